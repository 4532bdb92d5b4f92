/**
 * How detection and fill parameters (already in render pixels) turn into
 * radii, pyramid levels and thresholds. Pure numbers, shared by the GPU passes
 * and the float64 CPU reference so both run the same algorithm.
 */

export interface DetectionPlan {
  /** Half-side of the square whose opening/closing removes features up to maxSize. */
  squareRadius: number;
  /**
   * Line segments whose openings/closings, combined over orientations, give
   * the candidates' contrast and the activity: per orientation, the whole-
   * texel offsets round(k d), k = 1..ceil(maxSize / sqrt 2) + 1 (the taps are the texel
   * and +-offset). A speck shorter than the segment in every direction is
   * removed at every orientation; a thin structure longer than it along one
   * (a band edge, a facet line, a straight strand) survives along that one
   * and neither counts as a candidate nor raises the threshold.
   */
  lineOffsets: number[][][];
  /**
   * Reconstruction steps of the structure guard: a thin feature connected
   * within this many texels to a larger structure at least as bright (dark)
   * as itself is its corner or tip, not a defect.
   */
  reconstructionSteps: number;
  /**
   * Straight-ridge test that blocks the reconstruction (ridge_margin.frag,
   * ridge_open.frag): per orientation (those of lineOffsets), the whole-
   * texel offset to either side of the line (ridgeAcross) and the taps along
   * it, round(k d) for k = 1..2 ridgeHalf on both sides (ridgeAlong). A texel is a straight
   * ridge when it lies on a segment of 2 ridgeHalf + 1 of these taps (not
   * necessarily centred on it) every one of which is above (bright) or below
   * (dark) both sides by more than max(floor, ridgeFraction x the texel's
   * thin-feature contrast): a scratch, up to its ends, as opposed to a facet
   * corner or prong tip, which widens towards the structure it belongs to or
   * is shorter than the segment. The reconstruction does not grow through such
   * texels, so a scratch that runs into a brighter facet is no longer restored
   * as that facet's corner.
   */
  ridgeAcross: number[][];
  ridgeAlong: number[][][];
  ridgeHalf: number;
  ridgeFraction: number;
  /** Pyramid level (2x2 block maxima) of the extent test; at least 1 so chain links merge into strands. */
  extentLevel: number;
  /** Longest extent (coarse texels) of a feature that still counts as a defect. */
  maxExtent: number;
  /** Propagation steps of the extent boxes: long enough that a longer feature shows it. */
  extentSteps: number;
  /**
   * How far (coarse texels) a thin feature touching the frame is taken to go
   * on out of sight: half the longest defect, so a strand leaving the picture
   * after half a scratch length is long, and a speck on the edge is not.
   */
  frameExtension: number;
  /** Pyramid level whose blocks average the thin-feature residual into the activity. */
  noiseLevel: number;
  /**
   * Threshold = max(floor, activity), the activity being a low rank of the
   * nearby blocks' level min(meanFactor x mean, mean + tailFactor x standard
   * deviation) of the thin-feature residual. Sensor noise has a narrow
   * residual (mean about 2.4 sigma with the 7x7 square, spread about 1 sigma):
   * the spread term puts its threshold near 18 sigma, where a multiple of the
   * mean alone needed ~34 sigma to keep grain out and missed most generated
   * dust. Grain and texture have a heavy-tailed residual and keep the
   * multiple of the mean.
   */
  tailFactor: number;
  meanFactor: number;
  /**
   * Short features (line openings) have their own threshold: the activity of
   * their residual, but at least the thin-feature (square) activity up to
   * this level. On a small piece the square residual is dominated by long
   * structure (band edges, facet lines, straight strands: thin-feature
   * activity 90-640/255), which the short-feature residual does not hold.
   * Noise and brushed grain have a short-feature activity far below their
   * thin-feature one (a tenth on the synthetic metal) while their peaks are
   * short features too: with the threshold at 0.6-0.8 of the thin-feature
   * activity they cleared it on the defect-free metal (15-27 px); the cap
   * keeps the thin-feature yardstick for such texture (10-30/255).
   */
  activityCap: number;
  /**
   * The extent test traces thin structure at this fraction of the defect
   * threshold (hysteresis): a chain strand or grain line whose contrast dips
   * below the defect threshold along its length, between noise grains, stays
   * one long feature instead of breaking into short pieces that pass for
   * scratches.
   */
  structureFraction: number;
  floor: number;
  /** > 0: clipped points are glints, and thin features connected to them are kept; so are unclipped highlights (highlightRings) and soft dark shading (shadeSoftness). */
  glintGuard: number;
  /**
   * Isolated dark specks (detect_combine.frag, ringDepth): two square rings
   * around the texel, of Chebyshev radius squareRadius - 1 and squareRadius.
   * A dark texel below both rings, each fitted with a plane, by more than
   * max(isolationFloor, isolationFactor x the ring's spread about its plane),
   * with no line through it (two opposite taps below the plane by the floor),
   * is a speck without the activity threshold and the test for enclosing
   * structure of the other polarity, which take a dark speck between two
   * highlights for a bright link's hole. Its own coarse block must hold no
   * long dark structure, nor long bright structure with another compact
   * dark dot near (a pale dotted strand).
   */
  isolationRings: number[][][];
  isolationFactor: number;
  isolationFloor: number;
  /**
   * Unclipped highlights (highlight.frag): a bright thin texel above the
   * defect threshold, standing above the mean of the far ring (square ring
   * of radius 2 (squareRadius + 1)) by more than that threshold, is a
   * specular highlight on a bead or a wire when its light falls off around
   * it: along at least highlightAxes of the axes through it, the near ring's
   * taps (radius squareRadius + 1) on both sides lie above the far ring's by
   * highlightShare of that height (a bead's light falls all round, a wire's
   * across it), and at most highlightCrossing of the near taps come within
   * highlightShare of the height of the peak (a wire's streak crosses the
   * ring twice; white paper between dark links, a bright plateau's edge,
   * fills about half of it), and its light is soft: on the outer isolation
   * ring (radius squareRadius) it stands above the far ring by more than
   * 1 - highlightSoftness of its height. Dust on a flat surface has no
   * such halo, and dust on a soft bright patch (a blurred bead or leaf
   * behind it) ends in a step at its edge.
   * Bright candidates within squareRadius of one are left alone.
   * Taps as squareRing's; tap k of the far ring lies in the direction of
   * tap k of the near one.
   */
  highlightRings: number[][][];
  highlightShare: number;
  highlightCrossing: number;
  highlightAxes: number;
  highlightSoftness: number;
  /**
   * Soft dark shading (highlight.frag, b; a defocused print, a blurred
   * leaf's vein): a dark candidate deeper than the threshold below the far
   * ring's mean, whose shade falls off around it as a highlight's light
   * does, and that is soft: on the outer isolation ring (radius
   * squareRadius, where a speck up to maxSize wide has ended) it is still
   * darker than the far ring by more than shadeSoftness of its depth. Dark
   * candidates are left alone where the deepest one within squareRadius is
   * such shade, so a sharp speck in a soft dimple (it lies deeper) is
   * still taken.
   */
  shadeSoftness: number;
  /**
   * Specks on texture (detect_combine.frag, standsOut): a short candidate
   * that the extent test joined to the texture around it (a speck on skin,
   * on denim, on a wooden bead) is a defect anyway where
   * - its contrast is at least standOutRatio times every candidate contrast
   *   of either polarity on square rings around it: every radius from
   *   squareRadius (where a speck up to maxSize wide has ended) to 2
   *   squareRadius (at most four rings), then 3 and 4 squareRadius (a
   *   sparkle among others on a pave, gold dots along an enamel band);
   * - at least standOutDensity of those taps are thin structure of either
   *   polarity (texture all round; a dot on a strand or a line has it on a
   *   few taps only);
   * - no thin structure of its own polarity runs through it (two opposite
   *   taps of the innermost ring on it: a highlight on a jump ring);
   * - and no tap is clipped (a glint's rays).
   * Texture joins into long structure at a fraction of the threshold; a
   * speck far above all of it is not part of it.
   */
  standOutRings: number[][][];
  standOutRatio: number;
  standOutDensity: number;
}

export interface DetectionSettings {
  sensitivity: number;
  maxSize: number;
  scratchLength: number;
  protectDetail: number;
}

// Measured on the test scenes and generated shots (docs/passes-imperfections.md):
// 0.4 keeps grain lines, chain strands and the short specular streaks of
// small jewelry whole (at 0.6 a streak broke into scratch-sized pieces that
// were healed away) without letting noise percolate into long features
// around a speck.
const STRUCTURE_FRACTION = 0.4;

// Measured on the test scenes and generated shots (docs/passes-imperfections.md): 15/255
// found one speck fewer on the benchmark, 30/255 two, 40/255 changed pixels on a defect-free shot.
const ACTIVITY_CAP = 20 / 255;

/** Ridge taps on each side of the texel, at most; must match 2 MAX_HALF in shaders/imperfections/ridge_open.frag. */
export const MAX_RIDGE_TAPS = 8;
// Measured on the synthetic scenes and the generated shots
// (docs/passes-imperfections.md): a straight ridge stands out from both sides
// by at least half the texel's thin-feature contrast along the whole segment.
const RIDGE_FRACTION = 0.5;

/** Taps of a square ring (isolation, highlight), at most; must match MAX_RING_TAPS in shaders/chunks/imperfections.glsl. */
const MAX_RING_TAPS = 32;
// Measured on the generated restoration shots and the photos (docs/imperfections-log.md, "Isolated dark specks").
const ISOLATION_FLOOR_SCALE = 2.4;
// Measured (docs/imperfections-log.md, "Highlights on beads and wire" and "Wire streaks"):
// with these, the synthetic scenes and the generated shots heal as without the guard, while
// the mask on earring_hand_01's beads and wire falls from 613 to 74 texels at full size and
// from 876 to 70 at 0.5 MP. Light falling in 60 % of the directions, the first rule, implies
// a quarter of the axes; counting directions let a wire's streak through, and at 50 % lost
// specks on the synthetic textured metal.
const HIGHLIGHT_SHARE = 0.15;
const HIGHLIGHT_CROSSING = 0.25;
const HIGHLIGHT_AXES = 0.25;
// Measured (docs/imperfections-log.md, "A highlight's light is soft"): on the 7 photos with
// synthetic defects 0.9, 0.8, 0.7 and 0.6 found the same specks (67.7 % against 67.2 %
// without the rule), outside 66.32, 66.32, 66.14 and 63.11 dB (66.32 without); the generated
// shots are unchanged.
const HIGHLIGHT_SOFTNESS = 0.8;
// Measured (docs/imperfections-log.md, "Soft dark shading"): the synthetic specks keep 0.91-1.15
// of their depth on that ring, the photos' defocused strokes 0.32-0.48.
const SHADE_SOFTNESS = 0.6;
// Measured (docs/imperfections-log.md, "Specks that stand out from texture"), with the rings
// out to 2 squareRadius: on the 7 photos with synthetic defects a ratio of 4 or 5 healed more real
// texture (outside 59-62 dB against 66), 10 found fewer specks; the specks rescued on skin and
// fabric had 0.26-0.76 of the taps on texture, a dot on a strand 0.07.
const STAND_OUT_RATIO = 6;
const STAND_OUT_DENSITY = 0.15;
/** Rings of the stand-out test from squareRadius to 2 squareRadius, at most (MAX_RING_TAPS taps each, two more rings outside: MAX_STAND_OUT_TAPS in detect_combine.frag). */
const STAND_OUT_INNER_RINGS = 4;

/**
 * Whole-texel taps on the square ring of Chebyshev radius r: every texel of
 * it up to MAX_RING_TAPS, else that many evenly spaced along it. The second
 * half mirrors the first through the centre, so taps i and i + n/2 are
 * opposite (the line test); the first half's right side is its top side
 * turned a quarter, so the taps keep the square's symmetry and a plane fit
 * over them needs no cross terms.
 */
export function squareRing(r: number): number[][] {
  const n = Math.min(MAX_RING_TAPS, 8 * r);
  const half = Array.from({ length: n / 2 }, (_, k) => {
    const arc = (k * 8 * r) / n;
    return arc < 2 * r ? [Math.round(arc - r), -r] : [r, Math.round(arc - 3 * r)];
  });
  return [...half, ...half.map(([x, y]) => [-x, -y])];
}

/**
 * Smallest maxSize the detection's geometry is built for. Below it the
 * square is 3x3, both isolation rings are the same ring and the activity
 * blocks are 4 px: a defocused leaf, a druzy stone or skin then shows
 * 1-2 px features everywhere and the mask takes them (measured,
 * docs/passes-imperfections.md, "Previews and small maxSize"). A preview
 * scales maxSize 6 to 0.75-3 px, so without this floor the proxy healed
 * texture that the full-resolution render leaves.
 */
const MIN_DETECTION_SIZE = 3;

/** Orientations of the line segments (even: line_morph.frag and the ridge test do two per draw). */
const LINE_ORIENTATIONS = 8;
/** Most taps on each side of a line segment (line_morph.frag's LINE_TAPS define; its standalone default is the same). */
export const MAX_LINE_TAPS = 48;

export function detectionPlan(p: DetectionSettings, width: number, height: number): DetectionPlan {
  // The detection's geometry (square, rings, blocks) follows maxSize, but not below MIN_DETECTION_SIZE.
  const maxSize = Math.max(MIN_DETECTION_SIZE, p.maxSize);
  const minSide = Math.min(width, height);
  const deepest = (minLevelSide: number) => Math.max(0, Math.floor(Math.log2(minSide / minLevelSide)));
  // Coarse enough that scratchLength spans about 20 texels; at least 2x2 blocks so chain links merge.
  const extentLevel = Math.min(Math.max(1, Math.round(Math.log2(p.scratchLength / 20))), 5, deepest(8));
  const f = 2 ** extentLevel;
  const squareRadius = Math.ceil(maxSize / 2);
  const floor = (4 - 3 * p.sensitivity) / 255;
  // A scratch of scratchLength touches at most scratchLength / f + 1 blocks along its longer axis.
  const maxExtent = p.scratchLength / f + 1;
  // Half length: the segment is longer than the diagonal of a maxSize square.
  const half = Math.min(MAX_LINE_TAPS, Math.ceil(maxSize / Math.SQRT2) + 1);
  const angle = (i: number) => (i * Math.PI) / LINE_ORIENTATIONS;
  // Whole-texel taps round(k d), k = 1..n, along orientation i (the float64 reference reuses them exactly).
  const tapsAlong = (i: number, n: number) => Array.from({ length: n }, (_, k) => [Math.round((k + 1) * Math.cos(angle(i))), Math.round((k + 1) * Math.sin(angle(i)))]);
  const lineOffsets = Array.from({ length: LINE_ORIENTATIONS }, (_, i) => tapsAlong(i, half));
  // The segment is about as long as the widest defect, the sides clear a thin scratch.
  const ridgeHalf = Math.min(MAX_RIDGE_TAPS / 2, Math.ceil(maxSize / 2));
  const across = Math.max(2, Math.ceil(maxSize / 3));
  const ridgeAcross = Array.from({ length: LINE_ORIENTATIONS }, (_, i) => [Math.round(-across * Math.sin(angle(i))), Math.round(across * Math.cos(angle(i)))]);
  const ridgeAlong = Array.from({ length: LINE_ORIENTATIONS }, (_, i) => tapsAlong(i, 2 * ridgeHalf));
  return {
    squareRadius,
    lineOffsets,
    ridgeAcross,
    ridgeAlong,
    ridgeHalf,
    ridgeFraction: RIDGE_FRACTION,
    reconstructionSteps: Math.round(4 * p.protectDetail * squareRadius),
    extentLevel,
    maxExtent,
    extentSteps: Math.ceil(maxExtent) + 4,
    frameExtension: maxExtent / 2,
    noiseLevel: Math.min(Math.ceil(Math.log2(2 * maxSize)), 6, deepest(2)),
    tailFactor: 24 - 16 * p.sensitivity,
    structureFraction: STRUCTURE_FRACTION,
    meanFactor: 20 - 12 * p.sensitivity,
    activityCap: ACTIVITY_CAP,
    floor,
    glintGuard: p.protectDetail,
    isolationRings: [squareRing(squareRadius - 1), squareRing(squareRadius)],
    isolationFactor: 3 - 2 * p.sensitivity,
    isolationFloor: ISOLATION_FLOOR_SCALE * floor,
    highlightRings: [squareRing(squareRadius + 1), squareRing(2 * (squareRadius + 1))],
    highlightShare: HIGHLIGHT_SHARE,
    highlightCrossing: HIGHLIGHT_CROSSING,
    highlightAxes: HIGHLIGHT_AXES,
    highlightSoftness: HIGHLIGHT_SOFTNESS,
    shadeSoftness: SHADE_SOFTNESS,
    standOutRings: [
      ...new Set(Array.from({ length: STAND_OUT_INNER_RINGS }, (_, k) => Math.round(squareRadius * (1 + k / (STAND_OUT_INNER_RINGS - 1))))),
      3 * squareRadius,
      4 * squareRadius,
    ].map(squareRing),
    standOutRatio: STAND_OUT_RATIO,
    standOutDensity: STAND_OUT_DENSITY,
  };
}

/** Membrane steps after the push-pull fill: enough to smooth its blocks over holes of a few texels. */
export const FILL_RELAX_STEPS = 16;

/** Must match MAX_SHIFTS in shaders/imperfections/fill_texture.frag. */
export const MAX_TEXTURE_SHIFTS = 32;
/** Must match MAX_WINDOW in shaders/imperfections/fill_texture.frag. */
export const MAX_TEXTURE_WINDOW = 8;
/** Ring radii of the candidate shifts, in units of `reach`; 8 shifts per ring. */
const TEXTURE_RINGS = [0.75, 1.125, 1.5, 2];

/** Taps on each side of the texture layer's low-pass window; must match DETAIL_TAPS in shaders/chunks/texture_layer.glsl. */
export const DETAIL_TAPS = 4;
/**
 * Range sigma (sRGB-encoded luminance) of the texture layer's low-pass.
 * Measured (docs/imperfections-log.md, "The texture layer is edge-aware"):
 * 0.05, 0.1 and 0.2 all mend the smear across an edge; 0.1 removed the most
 * specks on the photos.
 */
const DETAIL_RANGE_SIGMA = 0.1;

/**
 * The texture stage of the fill: high frequencies are copied from the best-
 * matching displaced neighbourhood. All scales follow `reach` (how far the
 * fill looks around a hole): the edge-aware low-pass that splits off the
 * texture and the matching window have sigma reach/4; the shifts lie on rings
 * of 0.75-2 reach, far enough to leave a hole of a few texels and near enough
 * to stay in the same material. Shifts are whole texels so copied texture is
 * not resampled.
 */
export interface TexturePlan {
  shiftX: number[];
  shiftY: number[];
  lowSigma: number;
  /** The low-pass reads (2 DETAIL_TAPS + 1)^2 taps `detailStep` apart, out to `detailRadius` (2 lowSigma). */
  detailRadius: number;
  detailStep: number;
  detailRangeSigma: number;
  /** Texels (each axis) from a masked texel within which the texture stage reads the texture layer: the longest shift plus the window. */
  detailReach: number;
  windowSigma: number;
  windowRadius: number;
}

export function texturePlan(reach: number): TexturePlan {
  const shiftX: number[] = [];
  const shiftY: number[] = [];
  const seen = new Set<string>();
  TEXTURE_RINGS.forEach((ring, r) => {
    // At least one texel: a reach scaled below a texel (a thumbnail under a
    // preset's referenceSize) would otherwise round every shift to zero.
    const radius = Math.max(1, ring * reach);
    for (let k = 0; k < 8; k++) {
      // Alternate rings are turned by half a step so the shifts cover more directions.
      const angle = ((k + (r % 2) * 0.5) * Math.PI) / 4;
      const x = Math.round(radius * Math.cos(angle));
      const y = Math.round(radius * Math.sin(angle));
      const key = `${x},${y}`;
      if ((x === 0 && y === 0) || seen.has(key)) continue;
      seen.add(key);
      shiftX.push(x);
      shiftY.push(y);
    }
  });
  const lowSigma = reach / 4;
  const detailRadius = Math.ceil(2 * lowSigma);
  const windowSigma = reach / 4;
  const windowRadius = Math.min(MAX_TEXTURE_WINDOW, Math.ceil(2 * windowSigma));
  return {
    shiftX,
    shiftY,
    lowSigma,
    detailRadius,
    // A large reach strides over the window instead of reading every texel of it.
    detailStep: Math.max(1, Math.ceil(detailRadius / DETAIL_TAPS)),
    detailRangeSigma: DETAIL_RANGE_SIGMA,
    detailReach: Math.max(...shiftX.map(Math.abs), ...shiftY.map(Math.abs)) + windowRadius,
    windowSigma,
    windowRadius,
  };
}
