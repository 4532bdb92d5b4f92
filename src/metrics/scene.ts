import type { CpuImage } from '../cpu/image.js';
import { luma, luminance } from './color.js';
import { checkSameSize, connectedComponents, distanceToMask, maskValue } from './mask.js';

/** Weighted mean and standard deviation of a per-pixel value. */
function weightedStats(n: number, value: (p: number) => number, weight: (p: number) => number): { mean: number; std: number; total: number } {
  let sum = 0;
  let total = 0;
  for (let p = 0; p < n; p++) {
    const w = weight(p);
    if (w <= 0) continue;
    sum += w * value(p);
    total += w;
  }
  const mean = sum / total;
  let squares = 0;
  for (let p = 0; p < n; p++) {
    const w = weight(p);
    if (w > 0) squares += w * (value(p) - mean) ** 2;
  }
  return { mean, std: Math.sqrt(squares / total), total };
}

/**
 * Coefficient of variation (std / mean) of linear-light Rec. 709 luminance
 * over a backdrop mask: 0 for a perfectly even backdrop.
 */
export function backdropVariation(linear: CpuImage, backdrop: CpuImage): number {
  checkSameSize(linear, backdrop, 'backdropVariation');
  const s = weightedStats(linear.width * linear.height, (p) => luminance(linear, p), (p) => maskValue(backdrop, p));
  return s.total > 0 ? s.std / s.mean : NaN;
}

/** Weighted mean Rec. 601 luma of display values over a region. */
export function meanLuma(display: CpuImage, region: CpuImage): number {
  checkSameSize(display, region, 'meanLuma');
  return weightedStats(display.width * display.height, (p) => luma(display, p), (p) => maskValue(region, p)).mean;
}

/** Fraction of the region's pixels with any channel >= `level` (display values: 254.5/255 by default). */
export function clippedFraction(display: CpuImage, region?: CpuImage, level = 254.5 / 255): number {
  if (region) checkSameSize(display, region, 'clippedFraction');
  let clipped = 0;
  let total = 0;
  for (let p = 0; p < display.width * display.height; p++) {
    const w = region ? maskValue(region, p) : 1;
    if (w <= 0) continue;
    const i = p * 4;
    if (display.data[i] >= level || display.data[i + 1] >= level || display.data[i + 2] >= level) clipped += w;
    total += w;
  }
  return total > 0 ? clipped / total : NaN;
}

/**
 * Residual contrast of each defect: the mean absolute luma difference to the
 * ground truth over the defect's core (its 8-connected component of
 * mask > 0.5), in display units. One value per defect, in scan order.
 */
export function defectResiduals(display: CpuImage, truth: CpuImage, mask: CpuImage): number[] {
  checkSameSize(display, truth, 'defectResiduals');
  checkSameSize(display, mask, 'defectResiduals mask');
  return connectedComponents(mask).map((pixels) => pixels.reduce((s, p) => s + Math.abs(luma(display, p) - luma(truth, p)), 0) / pixels.length);
}

export interface DefectRemoval {
  /** Defects (connected components) in the mask. */
  defects: number;
  /** Defects whose residual in the raw image reaches the threshold: the ones there are to remove. */
  visible: number;
  /** Visible defects whose residual after the method is below the threshold. */
  removed: number;
  /** removed / visible (NaN with no visible defect). */
  removedFraction: number;
}

/** How many visible defects a method removed (residual contrast below `threshold`, display units). */
export function defectRemoval(raw: CpuImage, result: CpuImage, truth: CpuImage, mask: CpuImage, threshold = 3 / 255): DefectRemoval {
  const before = defectResiduals(raw, truth, mask);
  const after = defectResiduals(result, truth, mask);
  let visible = 0;
  let removed = 0;
  before.forEach((b, i) => {
    if (b < threshold) return;
    visible++;
    if (after[i] < threshold) removed++;
  });
  return { defects: before.length, visible, removed, removedFraction: visible > 0 ? removed / visible : NaN };
}

/**
 * Mean local contrast of small spots (e.g. glints): for each 8-connected
 * component of mask > 0.5, its mean luma minus the mean luma of the ring of
 * pixels 1 to `ring` px outside it (assigned to the nearest spot), in display
 * units. NaN when the mask has no spot.
 */
export function spotContrast(display: CpuImage, mask: CpuImage, ring = 3): number {
  checkSameSize(display, mask, 'spotContrast');
  const { width: w, height: h } = mask;
  const label = new Int32Array(w * h).fill(-1);
  const spots = connectedComponents(mask);
  spots.forEach((pixels, i) => pixels.forEach((p) => (label[p] = i)));
  const ringSum = new Float64Array(spots.length);
  const ringCount = new Float64Array(spots.length);
  const distance = distanceToMask(mask);
  const reach = Math.ceil(ring * 1.1);
  for (let p = 0; p < w * h; p++) {
    if (!(distance[p] > 0 && distance[p] <= ring)) continue;
    const x = p % w;
    const y = (p - x) / w;
    let nearest = -1;
    let best = Infinity;
    for (let dy = -reach; dy <= reach; dy++)
      for (let dx = -reach; dx <= reach; dx++) {
        const nx = x + dx;
        const ny = y + dy;
        if (nx < 0 || ny < 0 || nx >= w || ny >= h) continue;
        const l = label[ny * w + nx];
        if (l >= 0 && dx * dx + dy * dy < best) {
          best = dx * dx + dy * dy;
          nearest = l;
        }
      }
    if (nearest < 0) continue;
    ringSum[nearest] += luma(display, p);
    ringCount[nearest]++;
  }
  let sum = 0;
  let counted = 0;
  spots.forEach((pixels, i) => {
    if (ringCount[i] === 0) return;
    const inside = pixels.reduce((s, p) => s + luma(display, p), 0) / pixels.length;
    sum += inside - ringSum[i] / ringCount[i];
    counted++;
  });
  return counted > 0 ? sum / counted : NaN;
}

/**
 * Backdrop colour left in an extracted foreground: per pixel, the part of the
 * foreground error that points from the true foreground colour towards the
 * backdrop colour (negative parts count as 0), averaged over the region
 * (usually the edge band where 0 < alpha < 1). All images are straight
 * display values; pixels whose true foreground and backdrop colours are
 * closer than 1/255 have no defined direction and are skipped.
 *
 * Two limits keep it a measure of backdrop colour: a pixel counts at most
 * |backdrop - true foreground| (a foreground that is all backdrop; an error
 * beyond the backdrop along that direction is some other error: for white
 * metal on white the direction is a few levels long and a black or grey pixel
 * projected on it used to count for hundreds of levels), and each pixel is
 * weighted by the foreground's own alpha (its alpha channel), which is how
 * much of that colour any composite shows: where a method's matte is 0 its
 * colour is undefined and never seen (that miss is an alpha error, scored by
 * the matte metrics).
 */
export function colourContamination(foreground: CpuImage, trueForeground: CpuImage, backdrop: CpuImage, region: CpuImage): number {
  for (const [img, what] of [[trueForeground, 'trueForeground'], [backdrop, 'backdrop'], [region, 'region']] as const) checkSameSize(foreground, img, `colourContamination ${what}`);
  let sum = 0;
  let total = 0;
  for (let p = 0; p < foreground.width * foreground.height; p++) {
    const i = p * 4;
    const w = maskValue(region, p) * Math.min(1, Math.max(0, foreground.data[i + 3]));
    if (w <= 0) continue;
    const towards = [0, 1, 2].map((c) => backdrop.data[i + c] - trueForeground.data[i + c]);
    const length = Math.hypot(...towards);
    if (length < 1 / 255) continue;
    let along = 0;
    for (let c = 0; c < 3; c++) along += ((foreground.data[i + c] - trueForeground.data[i + c]) * towards[c]) / length;
    sum += w * Math.min(length, Math.max(0, along));
    total += w;
  }
  return total > 0 ? sum / total : NaN;
}
