/**
 * Optional keying peer for the quality benchmark: @imgly/background-removal-node,
 * an ML background remover (ONNX model + onnxruntime, ~300 MB). It is loaded
 * from a folder outside the repository (`--imgly <folder>`) so that the
 * project never depends on it; install recipe in docs/benchmarks.md.
 */
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import sharp from 'sharp';
import { createImage, type CpuImage } from '../../src/cpu/image.js';
import { fromDisplay, toDisplay } from '../../src/metrics/index.js';
import type { Method, MethodOutput } from './quality-methods.js';

export const IMGLY_PACKAGE = '@imgly/background-removal-node';
export const IMGLY_METHOD_NAME = 'imgly (ML)';

interface ImglyConfig {
  publicPath: string;
  model: 'small' | 'medium' | 'large';
  output: { format: 'image/png' };
}

interface ImglyModule {
  removeBackground(image: Blob, config: ImglyConfig): Promise<Blob>;
}

/** The package's CommonJS entry as installed under `folder`; a clear error when it is not there. */
export function resolveImgly(folder: string): string {
  const base = resolve(folder);
  try {
    return createRequire(join(base, 'package.json')).resolve(IMGLY_PACKAGE);
  } catch {
    throw new Error(`--imgly ${folder}: ${IMGLY_PACKAGE} is not installed in ${base} (no node_modules/${IMGLY_PACKAGE} there); install recipe in docs/benchmarks.md`);
  }
}

/** Linear image -> 8-bit sRGB RGB PNG (alpha dropped: keying inputs are opaque). */
export async function encodeSrgbPng(linear: CpuImage): Promise<Buffer> {
  const display = toDisplay(linear);
  const { width, height } = display;
  const rgb = Buffer.alloc(width * height * 3);
  for (let p = 0; p < width * height; p++)
    for (let c = 0; c < 3; c++) rgb[p * 3 + c] = Math.round(255 * Math.min(1, Math.max(0, display.data[p * 4 + c])));
  return sharp(rgb, { raw: { width, height, channels: 3 } }).png().toBuffer();
}

/**
 * A straight-alpha sRGB cut-out PNG -> the method's output: the matte (alpha
 * in every colour channel, like the other keying methods) and the cut-out in
 * linear light as result and foreground.
 */
export async function cutoutOutput(png: Buffer, width: number, height: number): Promise<MethodOutput> {
  const { data, info } = await sharp(png).toColourspace('srgb').ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  if (info.width !== width || info.height !== height || info.channels !== 4) throw new Error(`${IMGLY_PACKAGE} returned ${info.width}x${info.height}x${info.channels}, expected ${width}x${height}x4`);
  const at = (x: number, y: number, c: number) => data[(y * width + x) * 4 + c] / 255;
  const alpha = createImage(width, height, (x, y) => {
    const a = at(x, y, 3);
    return [a, a, a, 1];
  });
  const foreground = fromDisplay(createImage(width, height, (x, y) => [at(x, y, 0), at(x, y, 1), at(x, y, 2), at(x, y, 3)]));
  return { result: foreground, alpha, foreground };
}

/**
 * Loads the package from `folder` and makes the keying method. The model is
 * loaded and warmed up here, on a small image, so that the per-case timings
 * are inference only.
 */
export async function loadImglyMethod(folder: string, model: ImglyConfig['model'] = 'medium'): Promise<Method> {
  const entry = resolveImgly(folder);
  const imgly = createRequire(import.meta.url)(entry) as ImglyModule;
  if (typeof imgly.removeBackground !== 'function') throw new Error(`--imgly ${folder}: ${entry} does not export removeBackground`);
  // The package looks for its model relative to the working directory unless told where it is.
  const config: ImglyConfig = { publicPath: `${pathToFileURL(dirname(entry)).href}/`, model, output: { format: 'image/png' } };
  const run = async (raw: CpuImage) => {
    const cut = await imgly.removeBackground(new Blob([new Uint8Array(await encodeSrgbPng(raw))], { type: 'image/png' }), config);
    return cutoutOutput(Buffer.from(await cut.arrayBuffer()), raw.width, raw.height);
  };
  await run(createImage(16, 16, () => [0.5, 0.5, 0.5, 1]));
  return { name: IMGLY_METHOD_NAME, run: (c) => run(c.raw) };
}
