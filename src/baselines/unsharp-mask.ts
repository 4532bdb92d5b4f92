import type { CpuImage } from '../cpu/image.js';
import { gaussianBlurRef } from '../cpu/reference.js';

/**
 * The textbook unsharp mask, the sharpening baseline: x + amount (x - G_radius x)
 * per channel of display values, clamped to [0, 1]; no noise threshold and
 * no limit on overshoot. Alpha is kept.
 */
export function unsharpMask(display: CpuImage, amount: number, radius: number): CpuImage {
  const blurred = gaussianBlurRef(display, radius);
  return {
    width: display.width,
    height: display.height,
    data: display.data.map((v, i) => (i % 4 === 3 ? v : Math.min(1, Math.max(0, v + amount * (v - blurred.data[i]))))),
  };
}
