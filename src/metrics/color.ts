import { createImage, type CpuImage } from '../cpu/image.js';
import { linearToSrgb, srgbToLinear } from '../cpu/reference.js';

/**
 * Colour spaces of the metrics. Fidelity metrics (PSNR, SSIM, residual
 * contrast, contamination) are computed on display values: sRGB-encoded,
 * clamped to [0, 1], as a viewer sees the 8-bit file. Lighting metrics
 * (backdrop variation) use linear-light luminance, where light adds up.
 */

/** Linear-light (straight alpha) -> sRGB-encoded display values clamped to [0, 1]; alpha kept. */
export function toDisplay(linear: CpuImage): CpuImage {
  const out = createImage(linear.width, linear.height);
  for (let i = 0; i < linear.data.length; i += 4) {
    for (let c = 0; c < 3; c++) out.data[i + c] = Math.min(1, linearToSrgb(linear.data[i + c]));
    out.data[i + 3] = linear.data[i + 3];
  }
  return out;
}

/** sRGB-encoded display values -> linear light; alpha kept. */
export function fromDisplay(display: CpuImage): CpuImage {
  const out = createImage(display.width, display.height);
  for (let i = 0; i < display.data.length; i += 4) {
    for (let c = 0; c < 3; c++) out.data[i + c] = srgbToLinear(display.data[i + c]);
    out.data[i + 3] = display.data[i + 3];
  }
  return out;
}

/** Rec. 601 luma of display values (what SSIM implementations use via rgb2gray). */
export function luma(img: CpuImage, pixel: number): number {
  const i = pixel * 4;
  return 0.299 * img.data[i] + 0.587 * img.data[i + 1] + 0.114 * img.data[i + 2];
}

/** Rec. 709 luminance of linear-light values. */
export function luminance(img: CpuImage, pixel: number): number {
  const i = pixel * 4;
  return 0.2126 * img.data[i] + 0.7152 * img.data[i + 1] + 0.0722 * img.data[i + 2];
}
