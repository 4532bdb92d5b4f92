import sharp from 'sharp';
import { createImage, type CpuImage } from '../cpu/image.js';

/**
 * Photoshop-style "Dust & Scratches": a median filter of the given radius,
 * applied only where the pixel differs from its median by more than the
 * threshold. Works on display values (sRGB-encoded, 0..1) as Photoshop does on
 * the encoded file; the threshold is in 8-bit levels (0..255) like
 * Photoshop's. The median comes from sharp (libvips, square window 2r+1,
 * 8-bit), so replaced pixels carry 8-bit precision while untouched pixels keep
 * their exact values.
 */
export interface DustAndScratchesParams {
  /** Median radius in pixels (window 2r+1). */
  radius: number;
  /** Levels 0..255: pixels whose largest channel difference to the median is at most this stay untouched. */
  threshold: number;
}

export async function medianFiltered(display: CpuImage, radius: number): Promise<CpuImage> {
  if (!(Number.isInteger(radius) && radius >= 1 && radius <= 50)) throw new RangeError(`median radius must be an integer in 1..50, got ${radius}`);
  const { width, height } = display;
  const rgb = new Uint8Array(width * height * 3);
  for (let p = 0; p < width * height; p++)
    for (let c = 0; c < 3; c++) rgb[p * 3 + c] = Math.round(Math.min(1, Math.max(0, display.data[p * 4 + c])) * 255);
  const median = await sharp(rgb, { raw: { width, height, channels: 3 } })
    .median(2 * radius + 1)
    .raw()
    .toBuffer();
  return createImage(width, height, (x, y) => {
    const i = (y * width + x) * 3;
    return [median[i] / 255, median[i + 1] / 255, median[i + 2] / 255, display.data[(y * width + x) * 4 + 3]];
  });
}

/** Replaces each pixel by its median where any channel differs by more than `threshold` levels. */
export function replaceOutliers(display: CpuImage, median: CpuImage, threshold: number): CpuImage {
  if (!(threshold >= 0 && threshold <= 255)) throw new RangeError(`threshold must be in 0..255 levels, got ${threshold}`);
  const out = { width: display.width, height: display.height, data: display.data.slice() };
  const limit = threshold / 255;
  for (let i = 0; i < display.data.length; i += 4) {
    const d = Math.max(Math.abs(display.data[i] - median.data[i]), Math.abs(display.data[i + 1] - median.data[i + 1]), Math.abs(display.data[i + 2] - median.data[i + 2]));
    if (d > limit) out.data.set(median.data.subarray(i, i + 3), i);
  }
  return out;
}

export async function dustAndScratches(display: CpuImage, params: DustAndScratchesParams): Promise<CpuImage> {
  return replaceOutliers(display, await medianFiltered(display, params.radius), params.threshold);
}

export interface TunedDustAndScratches {
  params: DustAndScratchesParams;
  score: number;
  result: CpuImage;
}

export const DEFAULT_TUNING_GRID = { radii: [1, 2, 3, 4, 6, 8], thresholds: [0, 2, 4, 8, 12, 16, 24, 32, 48] };

/**
 * The best Dust & Scratches setting for one image under a score (higher is
 * better, e.g. PSNR against ground truth): an exhaustive grid over radius and
 * threshold, one median per radius. Tuning per image on its own ground truth
 * is the most the baseline could ever achieve, which makes it a demanding
 * reference.
 */
export async function tuneDustAndScratches(
  display: CpuImage,
  score: (result: CpuImage) => number,
  grid: { radii: number[]; thresholds: number[] } = DEFAULT_TUNING_GRID,
): Promise<TunedDustAndScratches> {
  let best: TunedDustAndScratches | undefined;
  for (const radius of grid.radii) {
    const median = await medianFiltered(display, radius);
    for (const threshold of grid.thresholds) {
      const result = replaceOutliers(display, median, threshold);
      const s = score(result);
      if (!best || s > best.score) best = { params: { radius, threshold }, score: s, result };
    }
  }
  if (!best) throw new RangeError('tuneDustAndScratches needs at least one radius and one threshold');
  return best;
}
