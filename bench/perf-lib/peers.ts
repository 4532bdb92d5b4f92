/**
 * Peer implementations timed in the same process: sharp (libvips, native,
 * multi-threaded) and OpenCV.js (@techstark/opencv-js, single-threaded WASM).
 *
 * What a sample covers:
 * - sharp: raw RGBA buffer in, pipeline, raw buffer out (`toBuffer`), so it
 *   includes libvips' own input and output copies;
 * - OpenCV.js: the filter call alone on a Mat already in WASM memory, into a
 *   destination Mat allocated beforehand.
 */
import { createRequire } from 'node:module';
import sharp, { type Sharp } from 'sharp';
import { measure, type Timing, type TimingPlan } from './timing.js';

// libvips caches operation results: identical repeated calls would be served from cache.
sharp.cache(false);

export type SharpOp = (img: Sharp) => Sharp;

export async function timeSharp(pixels: Uint8Array, width: number, height: number, op: SharpOp, plan: TimingPlan): Promise<Timing> {
  const input = Buffer.from(pixels.buffer, pixels.byteOffset, pixels.byteLength);
  return measure(plan, async () => {
    await op(sharp(input, { raw: { width, height, channels: 4 } })).raw().toBuffer();
  });
}

/** The slice of the OpenCV.js API the benchmark uses. */
export interface Mat {
  data: Uint8Array;
  delete(): void;
}
export interface OpenCv {
  Mat: new (rows?: number, cols?: number, type?: number) => Mat;
  Size: new (width: number, height: number) => unknown;
  CV_8UC3: number;
  CV_8UC4: number;
  COLOR_RGBA2RGB: number;
  BORDER_DEFAULT: number;
  BORDER_REFLECT_101: number;
  cvtColor(src: Mat, dst: Mat, code: number): void;
  GaussianBlur(src: Mat, dst: Mat, ksize: unknown, sigmaX: number, sigmaY: number, border: number): void;
  medianBlur(src: Mat, dst: Mat, ksize: number): void;
  bilateralFilter(src: Mat, dst: Mat, d: number, sigmaColor: number, sigmaSpace: number, border: number): void;
  onRuntimeInitialized?: () => void;
}

/**
 * Loads OpenCV.js and waits for its WASM runtime. The module object has a
 * `then` method that returns itself, so it must never be awaited or
 * returned from a promise (that loops forever); it is wrapped instead.
 */
export async function loadOpenCv(): Promise<{ cv: OpenCv; loadMs: number }> {
  const t0 = performance.now();
  const require = createRequire(import.meta.url);
  const cv = require('@techstark/opencv-js') as OpenCv;
  if (!('Mat' in cv && typeof cv.Mat === 'function')) {
    await new Promise<void>((resolve) => {
      cv.onRuntimeInitialized = () => resolve();
    });
  }
  return { cv, loadMs: performance.now() - t0 };
}

/** Source Mats at one size: RGBA (Gaussian, median) and RGB (bilateralFilter takes 1 or 3 channels only). */
export class OpenCvImages {
  readonly rgba: Mat;
  readonly rgb: Mat;

  constructor(
    private readonly cv: OpenCv,
    readonly width: number,
    readonly height: number,
    pixels: Uint8Array,
  ) {
    this.rgba = new cv.Mat(height, width, cv.CV_8UC4);
    try {
      this.rgba.data.set(pixels);
      this.rgb = new cv.Mat(height, width, cv.CV_8UC3);
      cv.cvtColor(this.rgba, this.rgb, cv.COLOR_RGBA2RGB);
    } catch (e) {
      this.rgba.delete();
      throw e;
    }
  }

  /** Times `op(src, dst)`; the destination Mat is allocated at full size before timing starts. */
  async time(channels: 3 | 4, op: (cv: OpenCv, src: Mat, dst: Mat) => void, plan: TimingPlan): Promise<Timing> {
    const src = channels === 3 ? this.rgb : this.rgba;
    const dst = new this.cv.Mat(this.height, this.width, channels === 3 ? this.cv.CV_8UC3 : this.cv.CV_8UC4);
    try {
      return await measure(plan, () => op(this.cv, src, dst));
    } finally {
      dst.delete();
    }
  }

  delete(): void {
    this.rgba.delete();
    this.rgb.delete();
  }
}

/** OpenCV.js throws raw numbers (C++ exception pointers) or WASM RuntimeErrors; make them readable. */
export function describeOpenCvError(e: unknown): string {
  if (typeof e === 'number') return `OpenCV.js C++ exception (pointer ${e}), likely out of WASM memory (its heap is capped at 1 GiB)`;
  return e instanceof Error ? e.message : String(e);
}
