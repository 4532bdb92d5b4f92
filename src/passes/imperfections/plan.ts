/**
 * How detection and fill parameters (already in render pixels) turn into
 * radii, pyramid levels and thresholds. Pure numbers, shared by the GPU passes
 * and the float64 CPU reference so both run the same algorithm.
 */

export interface DetectionPlan {
  /** Half-side of the square whose opening/closing removes features up to maxSize. */
  squareRadius: number;
  /**
   * Reconstruction steps of the structure guard: a thin feature connected
   * within this many texels to a larger structure at least as bright (dark)
   * as itself is its corner or tip, not a defect.
   */
  reconstructionSteps: number;
  /** Pyramid level (2x2 block maxima) of the extent test; at least 1 so chain links merge into strands. */
  extentLevel: number;
  /** Longest extent (coarse texels) of a feature that still counts as a defect. */
  maxExtent: number;
  /** Propagation steps of the extent boxes: long enough that a longer feature shows it. */
  extentSteps: number;
  /** Pyramid level whose blocks average the thin-feature residual into the activity. */
  noiseLevel: number;
  /** Threshold = max(floor, noiseFactor * activity), activity being a low rank of nearby block means of the thin-feature residual. */
  noiseFactor: number;
  floor: number;
  /** > 0: clipped points are glints, and thin features connected to them are kept. */
  glintGuard: number;
}

export interface DetectionSettings {
  sensitivity: number;
  maxSize: number;
  scratchLength: number;
  protectDetail: number;
}

export function detectionPlan(p: DetectionSettings, width: number, height: number): DetectionPlan {
  const minSide = Math.min(width, height);
  const deepest = (minLevelSide: number) => Math.max(0, Math.floor(Math.log2(minSide / minLevelSide)));
  // Coarse enough that scratchLength spans about 20 texels; at least 2x2 blocks so chain links merge.
  const extentLevel = Math.min(Math.max(1, Math.round(Math.log2(p.scratchLength / 20))), 5, deepest(8));
  const f = 2 ** extentLevel;
  const squareRadius = Math.max(1, Math.ceil(p.maxSize / 2));
  // A scratch of scratchLength touches at most scratchLength / f + 1 blocks along its longer axis.
  const maxExtent = p.scratchLength / f + 1;
  return {
    squareRadius,
    reconstructionSteps: Math.round(4 * p.protectDetail * squareRadius),
    extentLevel,
    maxExtent,
    extentSteps: Math.ceil(maxExtent) + 4,
    noiseLevel: Math.min(Math.max(2, Math.ceil(Math.log2(2 * p.maxSize))), 6, deepest(2)),
    noiseFactor: 20 - 12 * p.sensitivity,
    floor: (4 - 3 * p.sensitivity) / 255,
    glintGuard: p.protectDetail,
  };
}

/** Membrane steps after the push-pull fill: enough to smooth its blocks over holes of a few texels. */
export const FILL_RELAX_STEPS = 16;
