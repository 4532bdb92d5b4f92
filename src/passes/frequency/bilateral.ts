import type { GpuImage } from '../../gpu/texture-pool.js';
import { gaussianBlur } from '../core/gaussian.js';
import type { Drawer } from '../core/resize.js';

/** Shaders the range-level bilateral draws with (for pass `shaders` lists). */
export const BILATERAL_SHADERS = ['frequency/bilateral_level', 'frequency/bilateral_accumulate', 'core/blur_gauss', 'core/downsample', 'core/resample'];

/**
 * Guide levels of the range-level bilateral: evenly spaced over the guide's
 * 0..1 range, no further apart than the range sigma (Yang, Tan & Ahuja show
 * that spacing keeps the piecewise-linear interpolation error small).
 */
export function bilateralLevels(rangeSigma: number): { levels: number[]; spacing: number } {
  if (!(rangeSigma > 0)) throw new RangeError(`bilateral range sigma must be > 0, got ${rangeSigma}`);
  const count = Math.max(2, Math.ceil(1 / rangeSigma) + 1);
  const spacing = 1 / (count - 1);
  return { levels: Array.from({ length: count }, (_, k) => k * spacing), spacing };
}

/**
 * Edge-preserving smoothing of colour guided by sRGB-encoded luminance, as
 * K ordinary Gaussian blurs (one per guide level) plus interpolation: its cost
 * does not grow with the spatial sigma, because gaussianBlur runs large
 * sigmas on a pyramid. Never an O(r^2) loop.
 */
export function bilateralFilter(d: Drawer, img: GpuImage, spatialSigma: number, rangeSigma: number): GpuImage {
  const { levels, spacing } = bilateralLevels(rangeSigma);
  let sum: GpuImage | undefined;
  for (const level of levels) {
    const weighted = d.draw({ shader: 'frequency/bilateral_level', inputs: { u_image: img }, uniforms: { u_level: level, u_rangeSigma: rangeSigma } });
    const blurred = gaussianBlur(d, weighted, spatialSigma);
    d.release(weighted);
    const next = d.draw({
      shader: 'frequency/bilateral_accumulate',
      inputs: sum ? { u_image: img, u_levelBlur: blurred, u_previous: sum } : { u_image: img, u_levelBlur: blurred },
      uniforms: { u_hasPrevious: sum ? 1 : 0, u_level: level, u_spacing: spacing },
    });
    d.release(blurred);
    if (sum) d.release(sum);
    sum = next;
  }
  return sum!;
}
