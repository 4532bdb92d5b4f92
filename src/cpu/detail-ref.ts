import { createImage, type CpuImage } from './image.js';
import { gaussianBlurRef, linearToSrgb, smoothstep, srgbToLinear } from './reference.js';

export interface SharpenParams {
  amount: number;
  /** Gaussian sigma, px. */
  radius: number;
  /** Noise floor, /255 of sRGB-encoded luminance. */
  threshold: number;
  /** %, of the 3x3 range. */
  overshoot: number;
}

/** Straight sRGB-encoded rgb of a premultiplied linear pixel. */
function encodedAt(img: CpuImage, x: number, y: number): number[] {
  const cx = Math.min(img.width - 1, Math.max(0, x));
  const cy = Math.min(img.height - 1, Math.max(0, y));
  const i = (cy * img.width + cx) * 4;
  const a = img.data[i + 3];
  return [0, 1, 2].map((c) => (a > 1e-6 ? linearToSrgb(img.data[i + c] / a) : 0));
}

/** detail.sharpen in float64: thresholded unsharp mask in encoded colour, clamped to the 3x3 range. */
export function sharpenRef(img: CpuImage, p: SharpenParams, mask?: CpuImage): CpuImage {
  const blur = gaussianBlurRef(img, p.radius);
  const t = p.threshold / 255;
  const out = createImage(img.width, img.height);
  for (let y = 0; y < img.height; y++)
    for (let x = 0; x < img.width; x++) {
      const i = (y * img.width + x) * 4;
      const centre = encodedAt(img, x, y);
      const detail = encodedAt(blur, x, y).map((b, c) => centre[c] - b);
      const magnitude = Math.abs(0.2126 * detail[0] + 0.7152 * detail[1] + 0.0722 * detail[2]);
      const gate = t > 0 ? smoothstep(t, 2 * t, magnitude) : 1;
      const lo = [...centre];
      const hi = [...centre];
      for (let dy = -1; dy <= 1; dy++)
        for (let dx = -1; dx <= 1; dx++) {
          const n = encodedAt(img, x + dx, y + dy);
          for (let c = 0; c < 3; c++) {
            lo[c] = Math.min(lo[c], n[c]);
            hi[c] = Math.max(hi[c], n[c]);
          }
        }
      const m = mask ? mask.data[i] : 1;
      const a = img.data[i + 3];
      for (let c = 0; c < 3; c++) {
        const margin = (p.overshoot / 100) * (hi[c] - lo[c]);
        const s = Math.min(hi[c] + margin, Math.max(lo[c] - margin, centre[c] + p.amount * gate * detail[c]));
        out.data[i + c] = srgbToLinear(centre[c] + (s - centre[c]) * m) * a;
      }
      out.data[i + 3] = a;
    }
  return out;
}
