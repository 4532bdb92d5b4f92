import createREGL from 'regl';
import type REGL from 'regl';
import { Engine, FILE_ENCODING, type PixelBuffer, type PixelEncoding } from '../engine/engine.js';
import { OPTIONAL_EXTENSIONS, type Capabilities } from '../gpu/capabilities.js';
import { ShaderLibrary } from '../gpu/shader-library.js';
import type { GpuImage } from '../gpu/texture-pool.js';
import type { PassRegistry } from '../passes/registry.js';
import { createDefaultRegistry } from '../passes/index.js';
import { SHADER_FILES } from './shader-files.js';
import { pixelsToBlob, pixelsToImageBitmap } from './readback.js';

export type EngineCanvas = HTMLCanvasElement | OffscreenCanvas;

export interface BrowserEngineOptions {
  registry?: PassRegistry;
  /** Shader files by path relative to shaders/; defaults to the bundled shaders/ folder. */
  shaderFiles?: Record<string, string>;
}

/** How an image is shown on the canvas (see shaders/display/view.frag). */
export interface DisplayOptions {
  /** Device pixels per full-resolution image pixel: 1 = 100 %. Default: fit the canvas. */
  zoom?: number;
  /** Image point at the canvas centre, 0..1 from the top-left. Default: the middle. */
  center?: [number, number];
  /** Before/after split: left of this fraction of the canvas width shows `before`. */
  split?: number;
  before?: GpuImage;
  /** Full-resolution size of the image (when `image` is a preview proxy). Default: its own size. */
  sourceSize?: [number, number];
  /** sRGB colour around the image. */
  backdrop?: [number, number, number];
}

const CONTEXT_ATTRIBUTES: WebGLContextAttributes = {
  alpha: false,
  antialias: false,
  depth: false,
  stencil: false,
  premultipliedAlpha: false,
  // Keeps what display() drew readable (screenshots, canvas.toBlob, tests).
  preserveDrawingBuffer: true,
};

/** The zoom at which a width x height image fits the canvas. */
export function fitZoom(canvasWidth: number, canvasHeight: number, width: number, height: number): number {
  return Math.min(canvasWidth / width, canvasHeight / height);
}

/**
 * The engine on a browser canvas. Everything graph-related is the shared
 * Engine (same passes, same shaders, same GraphRunner as in Node); this adds
 * what only a page needs: the WebGL context and its loss, drawing to the
 * screen, and reading results as browser objects.
 *
 * When the context is lost (GPU reset, too many contexts, a tab in the
 * background on mobile) the engine and every GPU image die with it. On
 * restoration a new Engine is created on the same canvas, keeping the shader
 * library (and so any live edits); `onRestored` listeners get it and must
 * upload their images and rebuild runners.
 */
export class BrowserEngine {
  readonly shaders: ShaderLibrary;
  readonly registry: PassRegistry;
  private current: Engine | null;
  private regl: REGL.Regl | null;
  private lostListeners = new Set<() => void>();
  private restoredListeners = new Set<(engine: Engine) => void>();
  private readonly gl: WebGLRenderingContext;

  constructor(
    readonly canvas: EngineCanvas,
    options: BrowserEngineOptions = {},
  ) {
    const gl = canvas.getContext('webgl', CONTEXT_ATTRIBUTES) as WebGLRenderingContext | null;
    if (!gl) throw new Error('this browser could not create a WebGL context (WebGL disabled, or no GPU and no software fallback)');
    this.gl = gl;
    this.shaders = new ShaderLibrary(options.shaderFiles ?? SHADER_FILES);
    this.registry = options.registry ?? createDefaultRegistry();
    // Our listeners go first: on loss the regl instance is destroyed before
    // its own handler runs, so it does not try to restore dead resources.
    canvas.addEventListener('webglcontextlost', this.handleLost as EventListener, false);
    canvas.addEventListener('webglcontextrestored', this.handleRestored as EventListener, false);
    this.regl = createREGL({ gl, optionalExtensions: OPTIONAL_EXTENSIONS });
    this.current = new Engine(this.regl, gl, this.shaders, this.registry);
  }

  /** The live engine; throws while the context is lost. */
  get engine(): Engine {
    if (!this.current) throw new Error('the WebGL context is lost; wait for onRestored');
    return this.current;
  }

  get lost(): boolean {
    return this.current === null;
  }

  get caps(): Capabilities {
    return this.engine.caps;
  }

  /** Capability limits and fallbacks as lines a person can read. */
  capabilityReport(): string[] {
    const c = this.caps;
    const precision = { float: '32-bit float', 'half float': '16-bit half float', uint8: '8-bit' }[c.format];
    return [
      `renderer: ${c.renderer}`,
      `intermediate images: ${precision}${c.linearFilter ? ', linear filtering' : ', no linear filtering'}`,
      `largest image: ${c.maxTextureSize} x ${c.maxTextureSize} px`,
      ...c.warnings.map((w) => `warning: ${w}`),
    ];
  }

  onLost(listener: () => void): () => void {
    this.lostListeners.add(listener);
    return () => this.lostListeners.delete(listener);
  }

  onRestored(listener: (engine: Engine) => void): () => void {
    this.restoredListeners.add(listener);
    return () => this.restoredListeners.delete(listener);
  }

  /** Sets the drawing-buffer size (device pixels) used by display(). */
  resize(width: number, height: number): void {
    const w = Math.max(1, Math.round(width));
    const h = Math.max(1, Math.round(height));
    if (this.canvas.width !== w) this.canvas.width = w;
    if (this.canvas.height !== h) this.canvas.height = h;
  }

  /** Draws an image to the canvas (sRGB, flipped so row 0 is at the top). */
  display(image: GpuImage, o: DisplayOptions = {}): void {
    const [sw, sh] = o.sourceSize ?? [image.width, image.height];
    const zoom = o.zoom ?? fitZoom(this.gl.drawingBufferWidth, this.gl.drawingBufferHeight, sw, sh);
    this.engine.renderer.drawInto(null, {
      shader: 'display/view',
      inputs: o.before ? { u_image: image, u_before: o.before } : { u_image: image },
      uniforms: {
        u_sourceSize: [sw, sh],
        u_center: o.center ?? [0.5, 0.5],
        u_zoom: zoom,
        u_split: o.before && o.split !== undefined ? o.split : -1,
        u_backdrop: o.backdrop ?? [0.16, 0.16, 0.17],
      },
    });
  }

  /** Pixels of an image (default: sRGB, straight alpha, 8-bit: what a PNG holds). */
  readPixels(image: GpuImage, encoding: PixelEncoding = FILE_ENCODING, type: 'uint8' | 'uint16' | 'float32' = 'uint8'): PixelBuffer {
    return this.engine.download(image, encoding, type);
  }

  toBlob(image: GpuImage, mimeType = 'image/png', quality?: number): Promise<Blob> {
    return pixelsToBlob(this.readPixels(image), mimeType, quality);
  }

  toImageBitmap(image: GpuImage): Promise<ImageBitmap> {
    return pixelsToImageBitmap(this.readPixels(image));
  }

  destroy(): void {
    this.canvas.removeEventListener('webglcontextlost', this.handleLost as EventListener);
    this.canvas.removeEventListener('webglcontextrestored', this.handleRestored as EventListener);
    this.regl?.destroy();
    this.regl = null;
    this.current = null;
  }

  private handleLost = (event: Event) => {
    // Without preventDefault the browser never restores the context.
    event.preventDefault();
    this.regl?.destroy();
    this.regl = null;
    this.current = null;
    for (const l of this.lostListeners) l();
  };

  private handleRestored = () => {
    this.regl = createREGL({ gl: this.gl, optionalExtensions: OPTIONAL_EXTENSIONS });
    this.current = new Engine(this.regl, this.gl, this.shaders, this.registry);
    for (const l of this.restoredListeners) l(this.current);
  };
}

export function createBrowserEngine(canvas: EngineCanvas, options?: BrowserEngineOptions): BrowserEngine {
  return new BrowserEngine(canvas, options);
}
