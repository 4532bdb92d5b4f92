import type { CpuImage } from '../cpu/image.js';
import { luma } from './color.js';
import { checkSameSize, maskValue } from './mask.js';

/**
 * Sharpening metrics (issue 4: edge acutance up, overshoot <= 5% of the edge
 * contrast, noise gain in flat regions <= 1.1x), on display values' Rec. 601
 * luma.
 */

/** |grad luma| per pixel by central differences (one-sided at the frame), in display units per px. */
export function lumaGradient(display: CpuImage): Float64Array {
  const { width: w, height: h } = display;
  const y = Float64Array.from({ length: w * h }, (_, p) => luma(display, p));
  const g = new Float64Array(w * h);
  for (let r = 0; r < h; r++)
    for (let c = 0; c < w; c++) {
      const at = (cc: number, rr: number) => y[Math.min(h - 1, Math.max(0, rr)) * w + Math.min(w - 1, Math.max(0, cc))];
      const dx = (at(c + 1, r) - at(c - 1, r)) / (c > 0 && c < w - 1 ? 2 : 1);
      const dy = (at(c, r + 1) - at(c, r - 1)) / (r > 0 && r < h - 1 ? 2 : 1);
      g[r * w + c] = Math.hypot(dx, dy);
    }
  return g;
}

/** Acutance: mean |grad luma| over a region (e.g. the true edges); compare a result's with the raw image's. */
export function acutance(display: CpuImage, region: CpuImage): number {
  checkSameSize(display, region, 'acutance');
  const g = lumaGradient(display);
  let sum = 0;
  let total = 0;
  for (let p = 0; p < g.length; p++) {
    const w = maskValue(region, p);
    sum += w * g[p];
    total += w;
  }
  return total > 0 ? sum / total : NaN;
}

export interface Overshoot {
  /** Mean over the measured pixels of how far luma leaves the reference's local range, as a fraction of that range. */
  mean: number;
  /** The 95th percentile of the same. */
  p95: number;
  /** Pixels measured: in the region, with a local range of at least minContrast. */
  count: number;
}

/**
 * Halo overshoot: how far the result's luma goes beyond the range the
 * reference (the raw image) has within `radius` px, relative to that range
 * (the edge's contrast). A halo-free sharpening stays inside it.
 */
export function overshoot(result: CpuImage, reference: CpuImage, region: CpuImage, radius = 2, minContrast = 20 / 255): Overshoot {
  checkSameSize(result, reference, 'overshoot');
  checkSameSize(result, region, 'overshoot');
  const { width: w, height: h } = result;
  const values: number[] = [];
  for (let r = 0; r < h; r++)
    for (let c = 0; c < w; c++) {
      const p = r * w + c;
      if (maskValue(region, p) < 0.5) continue;
      let lo = Infinity;
      let hi = -Infinity;
      for (let dr = -radius; dr <= radius; dr++)
        for (let dc = -radius; dc <= radius; dc++) {
          const rr = r + dr;
          const cc = c + dc;
          if (rr < 0 || rr >= h || cc < 0 || cc >= w) continue;
          const v = luma(reference, rr * w + cc);
          lo = Math.min(lo, v);
          hi = Math.max(hi, v);
        }
      if (hi - lo < minContrast) continue;
      const v = luma(result, p);
      values.push(Math.max(0, v - hi, lo - v) / (hi - lo));
    }
  if (values.length === 0) return { mean: NaN, p95: NaN, count: 0 };
  values.sort((a, b) => a - b);
  return { mean: values.reduce((a, b) => a + b, 0) / values.length, p95: values[Math.min(values.length - 1, Math.floor(0.95 * values.length))], count: values.length };
}

/**
 * Noise gain over a flat region: std of (result - truth) luma over std of
 * (raw - truth) luma. 1 = the noise is as shot; a sharpening that amplifies
 * noise gives more.
 */
export function noiseGain(result: CpuImage, raw: CpuImage, truth: CpuImage, region: CpuImage): number {
  checkSameSize(result, truth, 'noiseGain');
  checkSameSize(raw, truth, 'noiseGain');
  checkSameSize(region, truth, 'noiseGain');
  const std = (img: CpuImage) => {
    let n = 0;
    let sum = 0;
    let squares = 0;
    for (let p = 0; p < truth.width * truth.height; p++) {
      const w = maskValue(region, p);
      if (w <= 0) continue;
      const d = luma(img, p) - luma(truth, p);
      n += w;
      sum += w * d;
      squares += w * d * d;
    }
    return n > 0 ? Math.sqrt(Math.max(0, squares / n - (sum / n) ** 2)) : NaN;
  };
  return std(result) / std(raw);
}
