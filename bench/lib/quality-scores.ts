/**
 * Scores of one method's output on one case, per task. Fidelity is measured
 * on display values (sRGB-encoded, what a viewer sees), lighting evenness on
 * linear luminance; see src/metrics.
 */
import { createImage, type CpuImage } from '../../src/cpu/image.js';
import {
  acutance,
  backdropVariation,
  changedFraction,
  clippedFraction,
  colourContamination,
  defectRemoval,
  dilateMask,
  distanceToMask,
  invertMask,
  lumaGradient,
  mattingErrors,
  maskFromPredicate,
  maskValue,
  meanLuma,
  noiseGain,
  overshoot,
  psnr,
  spotContrast,
  ssim,
  thresholdMask,
  toDisplay,
  unionMasks,
} from '../../src/metrics/index.js';
import type { CaseMaskName, QualityCase } from './quality-cases.js';
import type { MethodOutput } from './quality-methods.js';

export type Scores = Record<string, number>;

/** A defect's core: where its mask is above one half. */
const CORE_LEVEL = 0.5;
/** "Outside" a defect keeps 2 px clear of anything its mask touches at all (above 1%). */
const TOUCHED_LEVEL = 0.01;
const OUTSIDE_MARGIN = 2;
/** Pixels of a changed-pixel count: more than half an 8-bit level. */
const CHANGED_TOLERANCE = 0.5 / 255;

function defectRegions(c: QualityCase, kinds: CaseMaskName[]): { inside: CpuImage; outside: CpuImage } | undefined {
  const masks = kinds.map((k) => c.masks[k]).filter((m): m is CpuImage => !!m);
  if (masks.length === 0) return undefined;
  const all = unionMasks(masks[0], ...masks.slice(1));
  return { inside: thresholdMask(all, CORE_LEVEL), outside: invertMask(dilateMask(all, OUTSIDE_MARGIN, TOUCHED_LEVEL)) };
}

function removal(prefix: string, raw: CpuImage, result: CpuImage, truth: CpuImage, mask: CpuImage | undefined): Scores {
  if (!mask) return {};
  const r = defectRemoval(raw, result, truth, mask);
  return { [`${prefix}.visible`]: r.visible, [`${prefix}.removed`]: r.removed };
}

export function restorationScores(c: QualityCase, out: MethodOutput): Scores {
  const raw = toDisplay(c.raw);
  const result = toDisplay(out.result);
  const truth = toDisplay(c.truth);
  // A defect-free image has one score: the fraction of pixels a method changed (it should change none).
  if (c.defectFree) return { changed: changedFraction(result, truth, CHANGED_TOLERANCE) };
  const s: Scores = { psnr: psnr(result, truth), ssim: ssim(result, truth) };
  const regions = defectRegions(c, ['dust', 'scratches', 'smudges']);
  if (regions) {
    Object.assign(s, {
      psnrIn: psnr(result, truth, regions.inside),
      psnrOut: psnr(result, truth, regions.outside),
      ssimIn: ssim(result, truth, { weights: regions.inside }),
      ssimOut: ssim(result, truth, { weights: regions.outside }),
      ...removal('specks', raw, result, truth, c.masks.dust),
      ...removal('scratches', raw, result, truth, c.masks.scratches),
    });
  }
  return s;
}

export function glareScores(c: QualityCase, out: MethodOutput): Scores {
  const result = toDisplay(out.result);
  const truth = toDisplay(c.truth);
  const s: Scores = { psnr: psnr(result, truth) };
  const regions = defectRegions(c, ['glare']);
  if (regions) Object.assign(s, { psnrIn: psnr(result, truth, regions.inside), psnrOut: psnr(result, truth, regions.outside), clipped: clippedFraction(result, regions.inside) });
  if (c.masks.glints) s.glint = spotContrast(result, c.masks.glints);
  return s;
}

/** Backdrop regions from the true matte: all backdrop (3 px clear of the piece), near the piece, far from it. */
function backdropRegions(alpha: CpuImage) {
  const piece = thresholdMask(alpha, 0.002);
  const d = distanceToMask(piece);
  return {
    backdrop: maskFromPredicate(alpha, (p) => d[p] > 3),
    near: maskFromPredicate(alpha, (p) => d[p] > 3 && d[p] <= 15),
    far: maskFromPredicate(alpha, (p) => d[p] > 40),
  };
}

export function lightingScores(c: QualityCase, out: MethodOutput): Scores {
  const result = toDisplay(out.result);
  const truth = toDisplay(c.truth);
  const s: Scores = { psnr: psnr(result, truth) };
  if (c.alpha) {
    const r = backdropRegions(c.alpha);
    const nearMinusFar = (img: CpuImage) => meanLuma(img, r.near) - meanLuma(img, r.far);
    s.cov = backdropVariation(out.result, r.backdrop);
    // A halo is the backdrop near the piece differing from the backdrop far away, beyond what the truth has.
    s.halo = 255 * (nearMinusFar(result) - nearMinusFar(truth));
  }
  return s;
}

/**
 * True straight foreground where the matte is at least 0.1, recovered from
 * the clean composite: F = (C - (1 - a) B) / a.
 */
function trueForeground(c: QualityCase): CpuImage | undefined {
  if (c.foreground) return c.foreground;
  if (!c.alpha || !c.backdrop) return undefined;
  const f = createImage(c.truth.width, c.truth.height);
  for (let p = 0; p < c.truth.width * c.truth.height; p++) {
    const a = maskValue(c.alpha, p);
    if (a < 0.1) continue;
    for (let ch = 0; ch < 3; ch++) f.data[p * 4 + ch] = Math.max(0, (c.truth.data[p * 4 + ch] - (1 - a) * c.backdrop.data[p * 4 + ch]) / a);
    f.data[p * 4 + 3] = 1;
  }
  return f;
}

export function keyingScores(c: QualityCase, out: MethodOutput): Scores {
  if (!c.alpha || !out.alpha) return {};
  const e = mattingErrors(out.alpha, c.alpha);
  const s: Scores = { sad: e.sadPerPixel, mse: e.mse, grad: e.gradient };
  const thin = c.masks.thin && dilateMask(c.masks.thin, 1);
  if (thin && thin.data.some((v) => v > 0)) s.thinSad = mattingErrors(out.alpha, c.alpha, thin).sadPerPixel;
  const gem = c.masks.gem && thresholdMask(c.masks.gem, CORE_LEVEL);
  if (gem && gem.data.some((v) => v > 0)) s.gemSad = mattingErrors(out.alpha, c.alpha, gem).sadPerPixel;
  const truthF = trueForeground(c);
  if (out.foreground && truthF && c.backdrop) {
    const band = maskFromPredicate(c.alpha, (p) => maskValue(c.alpha!, p) >= 0.1 && maskValue(c.alpha!, p) <= 0.95);
    s.contamination = 255 * colourContamination(toDisplay(out.foreground), toDisplay(truthF), toDisplay(c.backdrop), band);
  }
  return s;
}

/** True edges: luma slope of the clean shot of at least this much per px (display units; about 13/255). */
const EDGE_SLOPE = 0.05;
/** Flat backdrop for the noise gain: true alpha 0 and this far from the piece, px. */
const FLAT_MARGIN = 10;

/**
 * Issue 4's sharpening targets: acutance gain on the true edges (result over
 * raw), overshoot beyond the raw image's 5x5 range within 1 px of them (as a
 * fraction of that range), noise gain on the flat backdrop.
 */
export function sharpeningScores(c: QualityCase, out: MethodOutput): Scores {
  const raw = toDisplay(c.raw);
  const result = toDisplay(out.result);
  const truth = toDisplay(c.truth);
  const slope = lumaGradient(truth);
  const edges = maskFromPredicate(truth, (p) => slope[p] >= EDGE_SLOPE);
  const o = overshoot(result, raw, dilateMask(edges, 1), 2);
  const s: Scores = { psnr: psnr(result, truth), acutance: acutance(result, edges) / acutance(raw, edges), overshootMean: o.mean, overshootP95: o.p95 };
  if (c.alpha) {
    const d = distanceToMask(thresholdMask(c.alpha, 0.002));
    s.noiseGain = noiseGain(result, raw, truth, maskFromPredicate(c.alpha, (p) => d[p] > FLAT_MARGIN));
  }
  return s;
}

export function scoreCase(c: QualityCase, out: MethodOutput): Scores {
  switch (c.task) {
    case 'restoration':
      return restorationScores(c, out);
    case 'glare':
      return glareScores(c, out);
    case 'lighting':
      return lightingScores(c, out);
    case 'keying':
      return keyingScores(c, out);
    case 'sharpening':
      return sharpeningScores(c, out);
  }
}

/** What the ground truth itself scores where that is informative (clipping, glints, backdrop evenness). */
export function truthScores(c: QualityCase): Scores {
  const keep: Record<string, string[]> = { restoration: [], glare: ['clipped', 'glint'], lighting: ['cov'], keying: [], sharpening: [] };
  if (keep[c.task].length === 0) return {};
  const s = scoreCase(c, { result: c.truth, alpha: c.alpha });
  return Object.fromEntries(Object.entries(s).filter(([k]) => keep[c.task].includes(k)));
}
