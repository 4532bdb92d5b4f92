import type REGL from 'regl';
import { Renderer } from '../gpu/renderer.js';
import { ShaderLibrary, type ResolvedShader } from '../gpu/shader-library.js';
import type { GpuImage } from '../gpu/texture-pool.js';
import type { PassRegistry } from '../passes/registry.js';
import { createDefaultRegistry } from '../passes/index.js';
import { convertColor, convertColorDraw, type ConvertOptions } from '../passes/core/color.js';
import { GraphRunner, type RetainPolicy } from './runner.js';
import type { GraphSpec } from '../graph/types.js';
import { compileGraph } from '../graph/compile.js';

/**
 * Pixels crossing the CPU/GPU boundary: always RGBA, row 0 = top row.
 * Uint8 and Uint16 are full-range integers; Float32 is 0..1 (and may exceed
 * it for linear HDR data).
 */
export interface PixelBuffer {
  width: number;
  height: number;
  data: Uint8Array | Uint8ClampedArray | Uint16Array | Float32Array;
}

export interface PixelEncoding {
  /** "srgb": gamma-encoded (image files, canvases); "linear": linear light. */
  transfer: 'srgb' | 'linear';
  alpha: 'straight' | 'premultiplied';
}

export const FILE_ENCODING: PixelEncoding = { transfer: 'srgb', alpha: 'straight' };

/** An absurd size is refused before any texture is allocated. */
export class ImageSizeError extends RangeError {
  constructor(message: string) {
    super(message);
    this.name = 'ImageSizeError';
  }
}

/**
 * The engine: one WebGL context (headless-gl or a browser canvas), its
 * shader library and pass registry. Create it once and reuse it for every
 * image; each graph runs in a GraphRunner created from it.
 */
export class Engine {
  readonly renderer: Renderer;

  constructor(
    readonly regl: REGL.Regl,
    readonly gl: WebGLRenderingContext,
    readonly shaders: ShaderLibrary,
    readonly registry: PassRegistry = createDefaultRegistry(),
  ) {
    this.renderer = new Renderer(regl, gl, shaders);
    for (const w of this.renderer.caps.warnings) console.warn(`loupe: ${w}`);
  }

  get caps() {
    return this.renderer.caps;
  }

  /** Validates and compiles a graph without running it (throws GraphValidationError). */
  validate(graph: unknown): void {
    compileGraph(graph, this.registry);
  }

  runner(graph: GraphSpec, retain: RetainPolicy = 'all'): GraphRunner {
    return new GraphRunner(this.renderer, this.registry, graph, retain);
  }

  checkSize(width: number, height: number): void {
    const max = this.caps.maxTextureSize;
    if (!(Number.isInteger(width) && Number.isInteger(height) && width > 0 && height > 0))
      throw new ImageSizeError(`image size ${width}x${height} is not a positive integer size`);
    if (width > max || height > max)
      throw new ImageSizeError(`image ${width}x${height} exceeds this GPU's texture limit of ${max}x${max}`);
  }

  /**
   * Uploads pixels and converts them to the graph's working form: linear
   * light, premultiplied alpha, in the engine's float format.
   */
  upload(pixels: PixelBuffer, encoding: PixelEncoding = FILE_ENCODING): GpuImage {
    const { width, height, data } = pixels;
    this.checkSize(width, height);
    checkRgba(pixels);
    let texture: REGL.Texture2D;
    if (data instanceof Uint8Array || data instanceof Uint8ClampedArray) {
      texture = this.regl.texture({ width, height, data: data as Uint8Array, format: 'rgba', type: 'uint8' });
    } else {
      const floats = data instanceof Float32Array ? data : Float32Array.from(data, (v) => v / 65535);
      if (this.caps.format === 'float') {
        texture = this.regl.texture({ width, height, data: floats, format: 'rgba', type: 'float' });
      } else {
        // Without float uploads, 16-bit and float data go through 8 bits (reported by caps.warnings).
        const bytes = Uint8Array.from(floats, (v) => Math.round(Math.min(1, Math.max(0, v)) * 255));
        texture = this.regl.texture({ width, height, data: bytes, format: 'rgba', type: 'uint8' });
      }
    }
    try {
      return convertColor(this.renderer, { texture, width, height }, workingConversion(encoding));
    } finally {
      texture.destroy();
    }
  }

  /**
   * An 8-bit image kept on the GPU and changed a rectangle at a time, for
   * input that is edited in place (hint strokes painted in the browser):
   * only the changed pixels are uploaded, and `image()` converts the whole
   * to the working form in one draw, as `upload` does.
   */
  editableUpload(pixels: PixelBuffer, encoding: PixelEncoding = FILE_ENCODING): EditableUpload {
    const { width, height } = pixels;
    this.checkSize(width, height);
    const texture = this.regl.texture({ width, height, data: editableBytes(pixels), format: 'rgba', type: 'uint8' });
    return new EditableUpload(this.renderer, texture, width, height, workingConversion(encoding));
  }

  /** Reads an image back, converted to the requested encoding and sample type. */
  download(img: GpuImage, encoding: PixelEncoding = FILE_ENCODING, type: 'uint8' | 'uint16' | 'float32' = 'uint8'): PixelBuffer {
    const conversion: ConvertOptions = {
      unpremultiply: encoding.alpha === 'straight' && img.alpha === 'premultiplied',
      premultiply: encoding.alpha === 'premultiplied' && img.alpha === 'straight',
      encodeSrgb: encoding.transfer === 'srgb',
    };
    if (type === 'uint8') return this.downloadBytes(img, conversion);
    const encoded = convertColor(this.renderer, img, conversion);
    try {
      const { width, height } = encoded;
      let floats: Float32Array;
      if (encoded.format === 'float') {
        floats = new Float32Array(width * height * 4);
        this.regl.read({ framebuffer: encoded.fbo, data: floats });
      } else {
        const bytes = new Uint8Array(width * height * 4);
        this.regl.read({ framebuffer: encoded.fbo, data: bytes });
        floats = Float32Array.from(bytes, (v) => v / 255);
      }
      if (type === 'float32') return { width, height, data: floats };
      const out = new Uint16Array(floats.length);
      for (let i = 0; i < floats.length; i++) out[i] = Math.round(Math.min(1, Math.max(0, floats[i])) * 65535);
      return { width, height, data: out };
    } finally {
      encoded.release();
    }
  }

  /**
   * 8-bit read-back: the conversion rounds to exact 8-bit levels like
   * Math.round(clamp(v) * 255) (but for values within float32 rounding of a
   * tie, which the GPU's float32 product may round the other way) and draws
   * them into an 8-bit framebuffer, whose bytes are read as they are: a
   * quarter of the float read and no per-value loop in JavaScript (24 MP on
   * llvmpipe: the float read took 0.38 s and the loop 1.1 s). The rounding is
   * the shader's own because GPUs' float-to-unorm conversions differ.
   */
  private downloadBytes(img: GpuImage, conversion: ConvertOptions): PixelBuffer {
    const { width, height } = img;
    const texture = this.regl.texture({ width, height, format: 'rgba', type: 'uint8' });
    const fbo = this.regl.framebuffer({ color: texture, depthStencil: false });
    try {
      this.renderer.drawInto({ fbo, width, height }, convertColorDraw(img, { ...conversion, quantize8: true }));
      const data = new Uint8Array(width * height * 4);
      this.regl.read({ framebuffer: fbo, data });
      return { width, height, data };
    } finally {
      fbo.destroy();
      texture.destroy();
    }
  }

  /** Checks edited shader text without installing it; throws ShaderCompileError at the edited line. */
  checkShader(name: string, text: string): void {
    const probe = new ShaderLibrary({ ...this.shaders.files(), [name.endsWith('.frag') ? name : `${name}.frag`]: text });
    const resolved: ResolvedShader = probe.resolve(name);
    this.renderer.checkSource(resolved);
  }

  /**
   * Live shader editing: installs the new text only if it compiles, so the
   * last good shader keeps running when an edit is broken.
   */
  editShader(name: string, text: string): void {
    this.checkShader(name, text);
    this.shaders.update(name, text);
    this.renderer.invalidate();
  }
}

/** A pixel buffer must hold four values per pixel. */
function checkRgba({ width, height, data }: PixelBuffer): void {
  if (data.length !== width * height * 4) throw new RangeError(`pixel buffer holds ${data.length} values, expected ${width * height * 4} (RGBA)`);
}

/** An editable upload's pixels: 8-bit RGBA. */
function editableBytes(pixels: PixelBuffer): Uint8Array {
  const { data } = pixels;
  if (!(data instanceof Uint8Array || data instanceof Uint8ClampedArray)) throw new TypeError('an editable upload takes 8-bit pixels');
  checkRgba(pixels);
  return data as Uint8Array;
}

/** From a pixel encoding to the graph's working form (linear, premultiplied). */
function workingConversion(encoding: PixelEncoding): ConvertOptions {
  return { decodeSrgb: encoding.transfer === 'srgb', premultiply: encoding.alpha === 'straight' };
}

/** See Engine.editableUpload. */
export class EditableUpload {
  constructor(
    private readonly renderer: Renderer,
    private readonly texture: REGL.Texture2D,
    readonly width: number,
    readonly height: number,
    private readonly conversion: ConvertOptions,
  ) {}

  /** Replaces the pixels of the rectangle at (x, y) (from the top left) by `pixels` (8-bit RGBA). */
  update(x: number, y: number, pixels: PixelBuffer): void {
    const { width, height } = pixels;
    const data = editableBytes(pixels);
    if (!(Number.isInteger(x) && Number.isInteger(y) && x >= 0 && y >= 0 && x + width <= this.width && y + height <= this.height))
      throw new RangeError(`rectangle ${width}x${height} at (${x}, ${y}) is not inside the ${this.width}x${this.height} image`);
    this.texture.subimage({ width, height, data }, x, y);
  }

  /** The whole image in the graph's working form (a new image: release it when done). */
  image(): GpuImage {
    return convertColor(this.renderer, { texture: this.texture, width: this.width, height: this.height }, this.conversion);
  }

  dispose(): void {
    this.texture.destroy();
  }
}
