import type { CpuImage } from '../cpu/image.js';
import { checkSameSize, maskValue } from './mask.js';

/**
 * Alpha-matte errors as on alphamatting.com (Rhemann et al. 2009). Both
 * mattes hold alpha in 0..1 in the red channel; `weights` restricts the
 * errors to a region (e.g. thin chains, gems), soft masks weighting pixels.
 */
export interface MattingErrors {
  /** Sum of absolute differences (alpha in 0..1) over the region. */
  sad: number;
  /** SAD divided by the region's (weighted) pixel count: mean alpha error. */
  sadPerPixel: number;
  /** Mean squared alpha error. */
  mse: number;
  /**
   * Sum over the region of (|grad a| - |grad a_true|)^2 divided by 1000 (the
   * reporting unit of alphamatting.com), with gradients from Gaussian-derivative
   * filters of sigma 1.4 scaled so that a unit ramp has gradient 1.
   */
  gradient: number;
  /** Weighted pixel count of the region. */
  pixels: number;
}

const GRADIENT_SIGMA = 1.4;

/** Magnitude of the Gaussian-derivative gradient, clamp-to-edge borders. */
export function gradientMagnitude(alpha: CpuImage, sigma = GRADIENT_SIGMA): Float64Array {
  const { width: w, height: h } = alpha;
  const r = Math.ceil(3 * sigma);
  const smooth: number[] = [];
  const derive: number[] = [];
  let smoothSum = 0;
  let rampResponse = 0;
  for (let k = -r; k <= r; k++) {
    const g = Math.exp((-k * k) / (2 * sigma * sigma));
    smooth.push(g);
    derive.push(k * g);
    smoothSum += g;
    rampResponse += k * k * g;
  }
  const s = smooth.map((v) => v / smoothSum);
  const d = derive.map((v) => v / rampResponse);
  const value = (x: number, y: number) => maskValue(alpha, Math.min(h - 1, Math.max(0, y)) * w + Math.min(w - 1, Math.max(0, x)));
  // Separable: derivative along one axis, smoothing along the other.
  const filter = (kx: number[], ky: number[]) => {
    const tmp = new Float64Array(w * h);
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++) {
        let acc = 0;
        for (let k = -r; k <= r; k++) acc += kx[k + r] * value(x + k, y);
        tmp[y * w + x] = acc;
      }
    const out = new Float64Array(w * h);
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++) {
        let acc = 0;
        for (let k = -r; k <= r; k++) acc += ky[k + r] * tmp[Math.min(h - 1, Math.max(0, y + k)) * w + x];
        out[y * w + x] = acc;
      }
    return out;
  };
  const gx = filter(d, s);
  const gy = filter(s, d);
  return gx.map((v, i) => Math.hypot(v, gy[i]));
}

export function mattingErrors(alpha: CpuImage, truth: CpuImage, weights?: CpuImage): MattingErrors {
  checkSameSize(alpha, truth, 'mattingErrors');
  if (weights) checkSameSize(alpha, weights, 'mattingErrors weights');
  const ga = gradientMagnitude(alpha);
  const gt = gradientMagnitude(truth);
  let sad = 0;
  let squared = 0;
  let gradient = 0;
  let pixels = 0;
  for (let p = 0; p < alpha.width * alpha.height; p++) {
    const w = weights ? maskValue(weights, p) : 1;
    if (w <= 0) continue;
    const e = maskValue(alpha, p) - maskValue(truth, p);
    sad += w * Math.abs(e);
    squared += w * e * e;
    gradient += w * (ga[p] - gt[p]) ** 2;
    pixels += w;
  }
  return { sad, sadPerPixel: pixels > 0 ? sad / pixels : NaN, mse: pixels > 0 ? squared / pixels : NaN, gradient: gradient / 1000, pixels };
}
