import type REGL from 'regl';

/** Texel storage of render targets, best first. */
export type TexelFormat = 'float' | 'half float' | 'uint8';

/**
 * An image living on the GPU: a colour texture wrapped in a framebuffer so it
 * can be both drawn into and sampled. Pixels are linear-light RGB with
 * premultiplied alpha unless `alpha` says otherwise.
 *
 * Handles are reference counted by the executor, not by pass code: a pass
 * allocates through its context, and whatever it does not return is given
 * back to the pool when the pass ends.
 */
export class GpuImage {
  private refs = 1;
  constructor(
    readonly fbo: REGL.Framebuffer2D,
    readonly texture: REGL.Texture2D,
    readonly width: number,
    readonly height: number,
    readonly format: TexelFormat,
    private readonly pool: TexturePool,
    public alpha: 'premultiplied' | 'straight' = 'premultiplied',
  ) {}

  retain(): this {
    if (this.refs <= 0) throw new Error('GpuImage used after it was returned to the pool');
    this.refs++;
    return this;
  }

  release(): void {
    if (this.refs <= 0) throw new Error('GpuImage released more often than retained');
    if (--this.refs === 0) this.pool.recycle(this);
  }

  get alive(): boolean {
    return this.refs > 0;
  }
}

export interface PoolStats {
  /** Textures handed out and not yet returned. */
  live: number;
  /** Highest `live` since the last resetPeak(). */
  peakLive: number;
  /** Highest number of live textures at the largest size seen since resetPeak(). */
  peakLiveFullSize: number;
  /** Textures ever created (allocations that missed the free list). */
  created: number;
  /** Bytes currently held by the pool (live and free). */
  bytes: number;
  peakBytes: number;
}

const BYTES_PER_TEXEL: Record<TexelFormat, number> = { float: 16, 'half float': 8, uint8: 4 };

/**
 * Recycles render targets by size and format. The graph compiler decides
 * lifetimes (see executor.ts); the pool only keeps free lists and counts.
 */
export class TexturePool {
  private free = new Map<string, GpuImage[]>();
  private liveBySize = new Map<number, number>();
  private stats: PoolStats = { live: 0, peakLive: 0, peakLiveFullSize: 0, created: 0, bytes: 0, peakBytes: 0 };
  private largestArea = 0;

  constructor(
    private readonly regl: REGL.Regl,
    readonly format: TexelFormat,
    private readonly linearFilter: boolean,
  ) {}

  acquire(width: number, height: number): GpuImage {
    const key = `${width}x${height}`;
    const list = this.free.get(key);
    let img = list?.pop();
    if (img) {
      // Recycled handles come back with a fresh reference count.
      img = new GpuImage(img.fbo, img.texture, width, height, this.format, this);
    } else {
      const texture = this.regl.texture({
        width,
        height,
        format: 'rgba',
        type: this.format,
        min: this.linearFilter ? 'linear' : 'nearest',
        mag: this.linearFilter ? 'linear' : 'nearest',
        wrapS: 'clamp',
        wrapT: 'clamp',
      });
      // headless-gl renders zeros into framebuffers with a depth attachment.
      const fbo = this.regl.framebuffer({ color: texture, depthStencil: false });
      img = new GpuImage(fbo, texture, width, height, this.format, this);
      this.stats.created++;
      this.stats.bytes += width * height * BYTES_PER_TEXEL[this.format];
      this.stats.peakBytes = Math.max(this.stats.peakBytes, this.stats.bytes);
    }
    this.countLive(width * height, +1);
    return img;
  }

  /** Called by GpuImage.release when its last reference goes. */
  recycle(img: GpuImage): void {
    const key = `${img.width}x${img.height}`;
    let list = this.free.get(key);
    if (!list) this.free.set(key, (list = []));
    list.push(img);
    this.countLive(img.width * img.height, -1);
  }

  private countLive(area: number, delta: number): void {
    this.stats.live += delta;
    this.stats.peakLive = Math.max(this.stats.peakLive, this.stats.live);
    const n = (this.liveBySize.get(area) ?? 0) + delta;
    this.liveBySize.set(area, n);
    if (area >= this.largestArea) {
      this.largestArea = area;
      this.stats.peakLiveFullSize = Math.max(this.stats.peakLiveFullSize, n);
    }
  }

  snapshot(): PoolStats {
    return { ...this.stats };
  }

  resetPeak(): void {
    this.stats.peakLive = this.stats.live;
    this.stats.peakBytes = this.stats.bytes;
    this.largestArea = 0;
    this.stats.peakLiveFullSize = 0;
  }

  /** Frees every texture not in use (e.g. after a batch at a new size). */
  trim(): void {
    for (const list of this.free.values()) {
      for (const img of list) {
        this.stats.bytes -= img.width * img.height * BYTES_PER_TEXEL[this.format];
        img.fbo.destroy();
        img.texture.destroy();
      }
    }
    this.free.clear();
  }
}
