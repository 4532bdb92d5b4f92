/**
 * How the smudge parameters turn into blur radii, block level and thresholds.
 * Pure numbers, shared by the GPU pass (smudges.ts) and the float64 CPU
 * reference (src/cpu/smudge-ref.ts). All levels are display values (sRGB, 0..1).
 */

export interface SmudgeSettings {
  /** 0..1: how faint a blotch is still taken. */
  sensitivity: number;
  /** Smudge scale, % of the image height (sigma of the surround estimate). */
  size: number;
}

export interface SmudgePlan {
  /** Sigma (texels) of the surround estimate: the scale of the smudges looked for. */
  surroundSigma: number;
  /** Sigma (texels) of the blotch estimate: low-passes noise, texture and the print's ridges. */
  lowSigma: number;
  /** 2x2 halvings to the blocks of the activity and structure statistics (block side about surroundSigma). */
  blockLevel: number;
  /** Deviation threshold: max(floor, deviationFactor x deviation rank, fineFactor x fine rank). */
  floor: number;
  deviationFactor: number;
  fineFactor: number;
}

/**
 * Deviations from the surround beyond this are clipped before the low-pass,
 * so a missed speck (40/255) or a sharp edge adds little to the blotch
 * estimate; the strongest smudge the generator makes is about 12/255.
 */
export const SMUDGE_CLIP = 12 / 255;
/** Texels whose first-pass deviation is well above this weigh little in the second surround estimate. */
export const SMUDGE_WEIGHT_SCALE = 1 / 255;
/**
 * Structure guard: the largest gradient (per lowSigma, RGB norm) in the 3x3
 * neighbouring blocks must stay under this (ramp to twice it). A smudge's own
 * gradient is under ~0.6 of its deviation; metal edges, facets and the
 * piece's outline are 10-60/255.
 */
export const SMUDGE_EDGE = 4 / 255;
/**
 * The detected core (where the deviation clears the threshold) is blurred by
 * lowSigma and scaled by this gain (capped at 1): the soft flanks of a blotch,
 * under the threshold on their own, are corrected with it.
 */
export const SMUDGE_GROW_GAIN = 3;
/** A texel whose correction (mask x deviation) would stay under half an 8-bit level is left as read: only visible changes are made. */
export const SMUDGE_MIN_CHANGE = 0.5 / 255;
/** The rank (0 = lowest) of the 3x3 neighbouring blocks' statistics that sets the activity: a blotch raises only its own few blocks. */
export const SMUDGE_RANK = 2;

export function smudgePlan(s: SmudgeSettings, height: number): SmudgePlan {
  const surroundSigma = (s.size / 100) * height;
  return {
    surroundSigma,
    lowSigma: 0.24 * surroundSigma,
    blockLevel: Math.max(1, Math.round(Math.log2(Math.max(2, surroundSigma)))),
    floor: (1.5 - s.sensitivity) / 255,
    deviationFactor: 6 - 4 * s.sensitivity,
    fineFactor: 3 - 2 * s.sensitivity,
  };
}
