import type { BrowserEngine } from '../src/browser/engine.js';
import { pixelsToBlob } from '../src/browser/readback.js';
import type { GraphRunner, RunStats } from '../src/engine/runner.js';
import type { EditableUpload, PixelBuffer } from '../src/engine/engine.js';
import type { GpuImage } from '../src/gpu/texture-pool.js';
import type { GraphSpec, ParamValue } from '../src/graph/types.js';

/** Proxy renders aim at about this many pixels, so a slider drag stays interactive. */
const PROXY_PIXELS = 0.25e6;
const MIN_PROXY_SCALE = 0.125;
const MAX_PROXY_SCALE = 0.5;
/** After the last change, wait this long before refining to full resolution. */
export const REFINE_DELAY_MS = 200;
/** Graph outputs the session adds to view intermediate images start with this. */
const VIEW_PREFIX = 'view:';

export interface ViewChoice {
  /** Graph output name in the runner's graph. */
  output: string;
  label: string;
}

export interface RenderInfo {
  kind: 'proxy' | 'full';
  /** performance.now() when the run began (the GPU may still be busy when listeners hear of it). */
  startedAt: number;
  scale: number;
  view: string;
  stats: RunStats;
  /** What the passes decided about the image (GraphRunner.notes), read after full renders only. */
  notes: string[];
}

export interface ViewState {
  /** null: fit the canvas. */
  zoom: number | null;
  center: [number, number];
  /** Before/after split position (0..1 of the canvas width), or null. */
  split: number | null;
}

/** The proxy scale for an image: about PROXY_PIXELS, or null when the image is small enough to render whole. */
export function proxyScale(width: number, height: number): number | null {
  const s = Math.sqrt(PROXY_PIXELS / (width * height));
  if (s >= MAX_PROXY_SCALE * 1.4) return null;
  return Math.min(MAX_PROXY_SCALE, Math.max(MIN_PROXY_SCALE, s));
}

/**
 * One image under one graph, previewed live. Two runners share the source:
 * a proxy runner (fraction of the resolution) answers slider moves at once,
 * a full-resolution runner refines when the hand stops. Both retain every
 * node's outputs, so each re-renders only the nodes downstream of a change.
 */
export class PreviewSession {
  readonly views: ViewChoice[];
  view: string;
  viewState: ViewState = { zoom: null, center: [0.5, 0.5], split: null };
  /** Every render, newest last (the status bar and the tests read it). */
  readonly log: RenderInfo[] = [];
  onError: (error: unknown) => void = () => {};

  private readonly full: GraphRunner;
  private readonly proxy: GraphRunner | null;
  private readonly proxyScale: number | null;
  private readonly baseOutputs: Record<string, string>;
  private readonly source: GpuImage;
  private shown: GpuImage | null = null;
  private frameRequested = false;
  private refineTimer: ReturnType<typeof setTimeout> | null = null;
  private fullIsCurrent = false;
  private idleWaiters: Array<() => void> = [];
  private disposed = false;
  private renderListeners = new Set<(info: RenderInfo) => void>();

  constructor(
    private readonly be: BrowserEngine,
    graph: GraphSpec,
    readonly pixels: PixelBuffer,
  ) {
    const engine = be.engine;
    this.baseOutputs = { ...graph.outputs };
    this.views = [
      ...Object.keys(graph.outputs).map((o) => ({ output: o, label: `output: ${o}` })),
      { output: `${VIEW_PREFIX}$source`, label: 'source' },
    ];
    const viewing: GraphSpec = structuredClone(graph);
    viewing.outputs[`${VIEW_PREFIX}$source`] = '$source';
    for (const node of graph.nodes) {
      const pass = engine.registry.get(node.pass);
      for (const out of pass?.outputs ?? []) {
        const ref = `${node.id}:${out.name}`;
        viewing.outputs[VIEW_PREFIX + ref] = ref;
        this.views.push({ output: VIEW_PREFIX + ref, label: `${node.id} › ${out.name}` });
      }
    }
    this.view = Object.keys(graph.outputs)[0];
    this.full = engine.runner(viewing, 'all');
    this.source = engine.upload(pixels);
    this.full.setExternal('source', this.source.retain());
    this.proxyScale = proxyScale(pixels.width, pixels.height);
    this.proxy = this.proxyScale ? engine.runner(viewing, 'all') : null;
    this.proxy?.setExternal('source', this.source.retain());
  }

  get width(): number {
    return this.pixels.width;
  }
  get height(): number {
    return this.pixels.height;
  }

  /** The graph with current parameters and its own outputs: what `loupe retouch --graph` reads. */
  exportGraph(): GraphSpec {
    const g = this.full.graph();
    g.outputs = { ...this.baseOutputs };
    return g;
  }

  setParam(nodeId: string, name: string, value: ParamValue): void {
    this.full.setParam(nodeId, name, value);
    this.proxy?.setParam(nodeId, name, value);
    this.changed();
  }

  setEnabled(nodeId: string, enabled: boolean): void {
    this.full.setEnabled(nodeId, enabled);
    this.proxy?.setEnabled(nodeId, enabled);
    this.changed();
  }

  /** The user's strokes as the graph's "$hints" (8-bit sRGB, the image's size); null takes them away. */
  /** The hint layer (8-bit, on the GPU), changed a stroke's rectangle at a time. */
  private hints: EditableUpload | null = null;
  /** Hint pixels sent to the GPU, whole layers and rectangles (for tests and the curious). */
  readonly hintUploads = { whole: 0, regions: 0, pixels: 0 };

  /** Whether the graph has "$hints" (a hint layer with something painted). */
  get hasHints(): boolean {
    return this.hints !== null;
  }

  /** Replaces the graph's "$hints" by the whole hint layer (null: no hints). */
  setHints(hints: PixelBuffer | null): void {
    this.hints?.dispose();
    this.hints = hints && this.be.engine.editableUpload(hints);
    if (hints) this.counted('whole', hints);
    this.hintsChanged();
  }

  /** Replaces the pixels of a rectangle of the hint layer; false when there is no hint layer yet (use setHints). */
  updateHints(x: number, y: number, pixels: PixelBuffer): boolean {
    if (!this.hints) return false;
    this.hints.update(x, y, pixels);
    this.counted('regions', pixels);
    this.hintsChanged();
    return true;
  }

  private counted(kind: 'whole' | 'regions', pixels: PixelBuffer): void {
    this.hintUploads[kind]++;
    this.hintUploads.pixels += pixels.width * pixels.height;
  }

  private hintsChanged(): void {
    const image = this.hints?.image();
    for (const runner of [this.full, this.proxy]) {
      if (!runner) continue;
      if (image) runner.setExternal('hints', image.retain());
      else runner.removeExternal('hints');
    }
    image?.release();
    this.changed();
  }

  setView(output: string): void {
    if (!this.views.some((v) => v.output === output)) throw new Error(`no view "${output}"`);
    this.view = output;
    this.changed();
  }

  /**
   * Something changed that needs a re-render (a parameter, the view, a
   * shader): a proxy render on the next frame, full resolution once idle.
   */
  changed(): void {
    this.fullIsCurrent = false;
    if (this.refineTimer) clearTimeout(this.refineTimer);
    this.refineTimer = null;
    if (!this.frameRequested) {
      this.frameRequested = true;
      requestAnimationFrame(() => {
        this.frameRequested = false;
        if (this.disposed) return;
        if (this.proxy) this.render('proxy');
        else this.render('full');
        if (!this.fullIsCurrent) this.refineTimer = setTimeout(() => this.refine(), REFINE_DELAY_MS);
      });
    }
  }

  /** Called after every render is on the canvas; returns an unsubscribe function. */
  onRender(listener: (info: RenderInfo) => void): () => void {
    this.renderListeners.add(listener);
    return () => this.renderListeners.delete(listener);
  }

  /** Redraws the last image with the current zoom, pan and split (no graph work). */
  redisplay(): void {
    if (!this.shown || this.be.lost) return;
    const { zoom, center, split } = this.viewState;
    this.be.display(this.shown, {
      sourceSize: [this.width, this.height],
      zoom: zoom ?? undefined,
      center,
      before: split !== null ? this.source : undefined,
      split: split ?? undefined,
    });
  }

  /** Resolves once the full-resolution render of the current state is on screen. */
  idle(): Promise<void> {
    if (this.fullIsCurrent && !this.frameRequested && !this.refineTimer) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Full-resolution pixels of a graph output (default: the first), 8-bit sRGB. */
  renderFull(output = Object.keys(this.baseOutputs)[0]): PixelBuffer {
    const img = this.full.run({ outputs: [output] }).get(output)!;
    return this.be.readPixels(img);
  }

  exportPng(output?: string): Promise<Blob> {
    return pixelsToBlob(this.renderFull(output));
  }

  /**
   * Frees GPU memory. After a context loss pass `contextLost`: the images
   * died with the context and must not be touched.
   */
  dispose(contextLost = false): void {
    this.disposed = true;
    if (this.refineTimer) clearTimeout(this.refineTimer);
    if (contextLost) return;
    this.shown?.release();
    this.shown = null;
    this.full.dispose();
    this.proxy?.dispose();
    this.source.release();
    this.hints?.dispose();
  }

  private refine(): void {
    this.refineTimer = null;
    if (this.disposed || this.frameRequested) return;
    this.render('full');
  }

  private render(kind: 'proxy' | 'full'): void {
    if (this.be.lost) return;
    const runner = kind === 'proxy' ? this.proxy! : this.full;
    const scale = kind === 'proxy' ? this.proxyScale! : 1;
    const startedAt = performance.now();
    try {
      const img = runner.run({ scale, outputs: [this.view] }).get(this.view)!;
      // Keep the shown image alive past the runner's next run (pan and zoom redraw it).
      this.shown?.release();
      this.shown = img.retain();
      this.redisplay();
      // Reading the notes waits for the GPU, so the proxy renders that follow a slider skip it.
      const notes = kind === 'full' ? runner.notes((n) => this.be.readPixels(n, { transfer: 'linear', alpha: n.alpha }, 'float32').data) : [];
      const info: RenderInfo = { kind, startedAt, scale, view: this.view, stats: runner.lastRun, notes };
      this.log.push(info);
      if (this.log.length > 200) this.log.shift();
      for (const l of this.renderListeners) l(info);
    } catch (e) {
      this.onError(e);
    }
    if (kind === 'full') {
      this.fullIsCurrent = true;
      for (const w of this.idleWaiters.splice(0)) w();
    }
  }
}
