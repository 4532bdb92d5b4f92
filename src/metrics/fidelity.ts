import type { CpuImage } from '../cpu/image.js';
import { luma } from './color.js';
import { checkSameSize, maskValue } from './mask.js';

/**
 * Image fidelity against ground truth. Inputs are display values in [0, 1]
 * (see toDisplay); an optional weight mask (red channel) restricts the
 * average to a region, soft masks weighting pixels fractionally. An empty
 * region gives NaN.
 */

/** Mean squared error over R, G, B. */
export function mse(result: CpuImage, truth: CpuImage, weights?: CpuImage): number {
  checkSameSize(result, truth, 'mse');
  if (weights) checkSameSize(result, weights, 'mse weights');
  let sum = 0;
  let total = 0;
  for (let p = 0; p < result.width * result.height; p++) {
    const w = weights ? maskValue(weights, p) : 1;
    if (w <= 0) continue;
    const i = p * 4;
    let e = 0;
    for (let c = 0; c < 3; c++) e += (result.data[i + c] - truth.data[i + c]) ** 2;
    sum += (w * e) / 3;
    total += w;
  }
  return total > 0 ? sum / total : NaN;
}

/** PSNR in dB for a peak of 1 over R, G, B; Infinity when identical. */
export function psnr(result: CpuImage, truth: CpuImage, weights?: CpuImage): number {
  const e = mse(result, truth, weights);
  return e === 0 ? Infinity : -10 * Math.log10(e);
}

/** Fraction of (weighted) pixels whose largest channel difference exceeds `tolerance`. */
export function changedFraction(result: CpuImage, truth: CpuImage, tolerance: number, weights?: CpuImage): number {
  checkSameSize(result, truth, 'changedFraction');
  let changed = 0;
  let total = 0;
  for (let p = 0; p < result.width * result.height; p++) {
    const w = weights ? maskValue(weights, p) : 1;
    if (w <= 0) continue;
    const i = p * 4;
    const d = Math.max(...[0, 1, 2].map((c) => Math.abs(result.data[i + c] - truth.data[i + c])));
    if (d > tolerance) changed += w;
    total += w;
  }
  return total > 0 ? changed / total : NaN;
}

/** Normalised 1-D Gaussian of the given radius (taps 2*radius+1). */
function gaussianKernel(radius: number, sigma: number): Float64Array {
  const k = new Float64Array(2 * radius + 1);
  let total = 0;
  for (let i = -radius; i <= radius; i++) total += k[i + radius] = Math.exp((-i * i) / (2 * sigma * sigma));
  return k.map((v) => v / total);
}

/** 'valid' separable filtering: output (w - 2r) x (h - 2r), no border handling needed. */
function filterValid(src: Float64Array, w: number, h: number, k: Float64Array): Float64Array {
  const r = (k.length - 1) / 2;
  const ow = w - 2 * r;
  const oh = h - 2 * r;
  const rows = new Float64Array(ow * h);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < ow; x++) {
      let s = 0;
      for (let j = 0; j < k.length; j++) s += k[j] * src[y * w + x + j];
      rows[y * ow + x] = s;
    }
  const out = new Float64Array(ow * oh);
  for (let y = 0; y < oh; y++)
    for (let x = 0; x < ow; x++) {
      let s = 0;
      for (let j = 0; j < k.length; j++) s += k[j] * rows[(y + j) * ow + x];
      out[y * ow + x] = s;
    }
  return out;
}

export interface SsimOptions {
  /** Weights on the SSIM map, sampled at each window's centre pixel. */
  weights?: CpuImage;
}

/**
 * Mean SSIM (Wang, Bovik, Sheikh & Simoncelli 2004) on Rec. 601 luma of
 * display values: 11x11 Gaussian window with sigma 1.5, K1 = 0.01,
 * K2 = 0.03, L = 1. The map covers only windows that fit inside the image
 * (the reference implementation's 'valid' filtering), so images need to be
 * at least 11x11.
 */
export function ssim(result: CpuImage, truth: CpuImage, opts: SsimOptions = {}): number {
  checkSameSize(result, truth, 'ssim');
  const { width: w, height: h } = result;
  const radius = 5;
  if (w < 2 * radius + 1 || h < 2 * radius + 1) throw new RangeError(`ssim needs images of at least 11x11, got ${w}x${h}`);
  if (opts.weights) checkSameSize(result, opts.weights, 'ssim weights');
  const k = gaussianKernel(radius, 1.5);
  const x = new Float64Array(w * h);
  const y = new Float64Array(w * h);
  for (let p = 0; p < w * h; p++) {
    x[p] = luma(result, p);
    y[p] = luma(truth, p);
  }
  const product = (a: Float64Array, b: Float64Array) => a.map((v, i) => v * b[i]);
  const muX = filterValid(x, w, h, k);
  const muY = filterValid(y, w, h, k);
  const xx = filterValid(product(x, x), w, h, k);
  const yy = filterValid(product(y, y), w, h, k);
  const xy = filterValid(product(x, y), w, h, k);
  const c1 = 0.01 ** 2;
  const c2 = 0.03 ** 2;
  const ow = w - 2 * radius;
  let sum = 0;
  let total = 0;
  for (let i = 0; i < muX.length; i++) {
    const cx = (i % ow) + radius;
    const cy = Math.floor(i / ow) + radius;
    const weight = opts.weights ? maskValue(opts.weights, cy * w + cx) : 1;
    if (weight <= 0) continue;
    const mx = muX[i];
    const my = muY[i];
    const vx = xx[i] - mx * mx;
    const vy = yy[i] - my * my;
    const cov = xy[i] - mx * my;
    const s = ((2 * mx * my + c1) * (2 * cov + c2)) / ((mx * mx + my * my + c1) * (vx + vy + c2));
    sum += weight * s;
    total += weight;
  }
  return total > 0 ? sum / total : NaN;
}
