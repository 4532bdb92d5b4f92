/**
 * Float64 reference of the imperfection passes (imperfections.detect, .fill,
 * .heal): the same algorithm as shaders/imperfections/*.frag written plainly on
 * CPU images, for tests. Parameters are in render pixels; the derived radii
 * and levels come from src/passes/imperfections/plan.ts, shared with the GPU.
 */
import { createImage, type CpuImage } from './image.js';
import { bilateralGuideRef } from './frequency-ref.js';
import { gaussianBlurRef, linearToSrgb, smoothstep } from './reference.js';
import { DETAIL_TAPS, detectionPlan, FILL_RELAX_STEPS, texturePlan, type DetectionSettings } from '../passes/imperfections/plan.js';

/** A single-channel float64 plane (several planes model a multi-channel texture). */
interface Plane {
  w: number;
  h: number;
  v: Float64Array;
}

const plane = (w: number, h: number, f: (x: number, y: number) => number): Plane => {
  const v = new Float64Array(w * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) v[y * w + x] = f(x, y);
  return { w, h, v };
};
const at = (p: Plane, x: number, y: number) => p.v[Math.min(p.h - 1, Math.max(0, y)) * p.w + Math.min(p.w - 1, Math.max(0, x))];

function bilinearAt(p: Plane, px: number, py: number): number {
  const tx = px - 0.5, ty = py - 0.5;
  const x0 = Math.floor(tx), y0 = Math.floor(ty);
  const fx = tx - x0, fy = ty - y0;
  const top = at(p, x0, y0) * (1 - fx) + at(p, x0 + 1, y0) * fx;
  const bottom = at(p, x0, y0 + 1) * (1 - fx) + at(p, x0 + 1, y0 + 1) * fx;
  return top * (1 - fy) + bottom * fy;
}
/** Samples coarser plane `p` at the centre of texel (x, y) of an output of size w x h. */
const bilinearCovering = (p: Plane, x: number, y: number, w: number, h: number) => bilinearAt(p, ((x + 0.5) * p.w) / w, ((y + 0.5) * p.h) / h);

/** Perceptual luma from which a texel counts as clipped (a glint core). */
const CLIPPED = 0.98;

const luminance = (r: number, g: number, b: number) => 0.2126 * r + 0.7152 * g + 0.0722 * b;

/** Perceptual luma: sRGB-encoded luminance of the straight colour. */
export function lumaRef(img: CpuImage): Plane {
  return plane(img.width, img.height, (x, y) => {
    const i = (y * img.width + x) * 4;
    const a = img.data[i + 3];
    if (!(a > 1e-6)) return linearToSrgb(0);
    return linearToSrgb(luminance(img.data[i] / a, img.data[i + 1] / a, img.data[i + 2] / a));
  });
}

/** Min (or max) over a (2r+1)^2 square, edges clamped. */
function squareExtreme(p: Plane, r: number, op: (a: number, b: number) => number): Plane {
  const pass = (src: Plane, dx: number, dy: number) =>
    plane(src.w, src.h, (x, y) => {
      let m = at(src, x, y);
      for (let k = 1; k <= r; k++) m = op(m, op(at(src, x + k * dx, y + k * dy), at(src, x - k * dx, y - k * dy)));
      return m;
    });
  return pass(pass(p, 1, 0), 0, 1);
}

/** Opening and closing of luma with a (2r+1)^2 square. */
function openClose(y: Plane, r: number): { open: Plane; close: Plane } {
  return {
    open: squareExtreme(squareExtreme(y, r, Math.min), r, Math.max),
    close: squareExtreme(squareExtreme(y, r, Math.max), r, Math.min),
  };
}

/** Min (or max) over the texels at `offsets` from each texel (the texel itself included), edges clamped. */
function offsetExtreme(p: Plane, offsets: number[][], op: (a: number, b: number) => number): Plane {
  return plane(p.w, p.h, (x, y) => {
    let m = at(p, x, y);
    for (const [dx, dy] of offsets) m = op(m, op(at(p, x + dx, y + dy), at(p, x - dx, y - dy)));
    return m;
  });
}

/**
 * The maximum over orientations of the openings with a line segment, and the
 * minimum of the closings (line_morph.frag). A feature shorter than the
 * segment in every direction (a speck) is removed; a structure longer than it
 * along some direction (a straight strand, a band edge) survives.
 */
function lineOpenClose(y: Plane, lines: number[][][]): { open: Plane; close: Plane } {
  let open: Plane | undefined, close: Plane | undefined;
  for (const offsets of lines) {
    const o = offsetExtreme(offsetExtreme(y, offsets, Math.min), offsets, Math.max);
    const c = offsetExtreme(offsetExtreme(y, offsets, Math.max), offsets, Math.min);
    open = open ? plane(y.w, y.h, (x, yy) => Math.max(at(open!, x, yy), at(o, x, yy))) : o;
    close = close ? plane(y.w, y.h, (x, yy) => Math.min(at(close!, x, yy), at(c, x, yy))) : c;
  }
  return { open: open!, close: close! };
}

/** Min (or max) over the 3x3 texels around (x, y). */
function squareAt(p: Plane, x: number, y: number, op: (a: number, b: number) => number): number {
  let m = at(p, x, y);
  for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) m = op(m, at(p, x + dx, y + dy));
  return m;
}

/** The mask rises from 0 at the threshold to 1 at this multiple of it (MASK_RAMP in shaders/chunks/imperfections.glsl). */
const MASK_RAMP = 1.2;

/** Extent (coarse texels) up to which a candidate's own piece is compact, a speck (COMPACT_EXTENT in the chunk). */
const COMPACT_EXTENT = 2;

/** Share of clipped blocks in the 5x5 around from which a clipped block is blown-out area, not a glint core (BLOWN_SHARE in extent_init.frag). */
const BLOWN_SHARE = 0.6;

/** Coarse texels within which another compact dark piece is a pale dotted strand's next dot (DOT_REACH in detect_combine.frag). */
const DOT_REACH = 3;

/** Extent from which a piece of thin structure joins others across a one-texel gap (LINK_EXTENT in shaders/chunks/imperfections.glsl). */
const LINK_EXTENT = 4;

/** Extent (max of width and height, in texels) of a feature box [x0, y0, -x1, -y1] (boxExtent in the chunk). */
const boxExtent = (b: number[]) => Math.max(-b[2] - b[0], -b[3] - b[1]);

/** Halves a plane by 2x2 mean or max (edge texels repeat on odd sizes). */
function halve(p: Plane, op: 'mean' | 'max'): Plane {
  return plane(Math.ceil(p.w / 2), Math.ceil(p.h / 2), (x, y) => {
    const s = [at(p, 2 * x, 2 * y), at(p, 2 * x + 1, 2 * y), at(p, 2 * x, 2 * y + 1), at(p, 2 * x + 1, 2 * y + 1)];
    return op === 'max' ? Math.max(...s) : 0.25 * (s[0] + s[1] + s[2] + s[3]);
  });
}
const reduce = (p: Plane, levels: number, op: 'mean' | 'max') => {
  for (let l = 0; l < levels; l++) p = halve(p, op);
  return p;
};

/**
 * Straight ridges (ridge_margin.frag, ridge_open.frag): 1 where the texel
 * lies on a segment of 2 ridgeHalf + 1 taps, at some orientation, every tap of which is above
 * (bright) or below (dark) both of its sides by more than max(floor,
 * ridgeFraction x the texel's thin-feature contrast). The segment need not be
 * centred on the texel (an opening along the line), so a scratch is a ridge
 * up to its ends, also where it meets a facet.
 */
export function straightRidgesRef(y: Plane, bright: Plane, dark: Plane, plan: ReturnType<typeof detectionPlan>): { bright: Plane; dark: Plane } {
  const h = plan.ridgeHalf;
  // sign 1: how much brighter than both sides, -1: how much darker.
  const ridgeAt = (x: number, yy: number, sign: number) => {
    let best = -Infinity;
    plan.ridgeAcross.forEach(([nx, ny], i) => {
      const above = (px: number, py: number) => Math.min(sign * (at(y, px, py) - at(y, px + nx, py + ny)), sign * (at(y, px, py) - at(y, px - nx, py - ny)));
      // Taps -2h..2h along the line; windows of 2h + 1 taps that contain the texel.
      const taps = [...plan.ridgeAlong[i].map(([dx, dy]) => above(x - dx, yy - dy)).reverse(), above(x, yy), ...plan.ridgeAlong[i].map(([dx, dy]) => above(x + dx, yy + dy))];
      for (let c = h; c <= 3 * h; c++) best = Math.max(best, Math.min(...taps.slice(c - h, c + h + 1)));
    });
    return best;
  };
  const flag = (residual: Plane, sign: number) =>
    plane(y.w, y.h, (x, yy) => (ridgeAt(x, yy, sign) > Math.max(plan.floor, plan.ridgeFraction * at(residual, x, yy)) ? 1 : 0));
  return { bright: flag(bright, 1), dark: flag(dark, -1) };
}

/** The defect mask (r = g = b, a = 1) that imperfections.detect should produce. */
export function detectRef(img: CpuImage, s: DetectionSettings): CpuImage {
  const { width: w, height: h } = img;
  const plan = detectionPlan(s, w, h);
  const y = lumaRef(img);
  // Thin features: what the square opening/closing removes. Short features:
  // thin ones that every line opening/closing removes too (specks; not band
  // edges, facet lines or straight strands).
  const thin = openClose(y, plan.squareRadius);
  const bright = plane(w, h, (x, yy) => at(y, x, yy) - at(thin.open, x, yy));
  const dark = plane(w, h, (x, yy) => at(thin.close, x, yy) - at(y, x, yy));
  const lines = lineOpenClose(y, plan.lineOffsets);
  const shortOpen = plane(w, h, (x, yy) => Math.max(at(thin.open, x, yy), at(lines.open, x, yy)));
  const shortClose = plane(w, h, (x, yy) => Math.min(at(thin.close, x, yy), at(lines.close, x, yy)));

  // Structure guard: reconstruction of the openings under, and the closings
  // over, the luma; it does not grow through straight ridges (scratches).
  const ridge = straightRidgesRef(y, bright, dark, plan);
  const reconstruct = (open: Plane, close: Plane) => {
    for (let step = 0; step < plan.reconstructionSteps; step++) {
      const o = open, c = close;
      open = plane(w, h, (x, yy) => (at(ridge.bright, x, yy) > 0 ? at(o, x, yy) : Math.min(at(y, x, yy), squareAt(o, x, yy, Math.max))));
      close = plane(w, h, (x, yy) => (at(ridge.dark, x, yy) > 0 ? at(c, x, yy) : Math.max(at(y, x, yy), squareAt(c, x, yy, Math.min))));
    }
    return { open, close };
  };
  const thinRec = reconstruct(thin.open, thin.close);
  const shortRec = reconstruct(shortOpen, shortClose);

  // Activity: per residual, the third lowest of the 3x3 neighbouring blocks'
  // level min(meanFactor x mean, mean + tailFactor x standard deviation).
  const rankedLevels = (residualAt: (x: number, yy: number) => number) => {
    const means = reduce(plane(w, h, residualAt), plan.noiseLevel, 'mean');
    const meanSquares = reduce(plane(w, h, (x, yy) => residualAt(x, yy) ** 2), plan.noiseLevel, 'mean');
    const tail = (x: number, yy: number) =>
      Math.min(plan.meanFactor * at(means, x, yy), at(means, x, yy) + plan.tailFactor * Math.sqrt(Math.max(0, at(meanSquares, x, yy) - at(means, x, yy) ** 2)));
    return plane(means.w, means.h, (x, yy) => {
      const v: number[] = [];
      for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) v.push(tail(x + dx, yy + dy));
      return v.sort((a, b) => a - b)[2];
    });
  };
  const thinActivity = rankedLevels((x, yy) => Math.max(at(bright, x, yy), at(dark, x, yy)));
  const shortLevels = rankedLevels((x, yy) => Math.max(at(y, x, yy) - at(shortOpen, x, yy), at(shortClose, x, yy) - at(y, x, yy)));
  // The short-feature threshold counts the thin-feature activity only up to activityCap.
  const shortActivity = plane(thinActivity.w, thinActivity.h, (x, yy) => Math.max(at(shortLevels, x, yy), Math.min(at(thinActivity, x, yy), plan.activityCap)));
  const thinThreshold = (x: number, yy: number) => Math.max(plan.floor, bilinearCovering(thinActivity, x, yy, w, h));
  const shortThreshold = (x: number, yy: number) => Math.max(plan.floor, bilinearCovering(shortActivity, x, yy, w, h));

  // Extent of connected thin features at the coarse level, per polarity
  // (block maxima of the fine indicators, traced at a fraction of the
  // short-feature threshold); clipped glint cores start with a huge box.
  const thinAt = (x: number, yy: number, residual: Plane) => (at(residual, x, yy) > plan.structureFraction * shortThreshold(x, yy) ? 1 : 0);
  const clipped = reduce(plane(w, h, (x, yy) => (plan.glintGuard > 0 && at(y, x, yy) >= CLIPPED ? 1 : 0)), plan.extentLevel, 'max');
  const NONE = 1e6;
  const GLINT = 1e4;
  const coarseThin = (residual: Plane) => reduce(plane(w, h, (x, yy) => thinAt(x, yy, residual)), plan.extentLevel, 'max');
  const brightThin = coarseThin(bright);
  // A glint core: a clipped block with a bright thin feature, in a 5x5 that is mostly not clipped
  // (not a blown-out backdrop, nor the white gap between two specks on one).
  const glint = (x: number, yy: number) => {
    if (!(at(clipped, x, yy) > 0.5 && at(brightThin, x, yy) > 0.5)) return false;
    let share = 0;
    for (let dy = -2; dy <= 2; dy++) for (let dx = -2; dx <= 2; dx++) share += at(clipped, x + dx, yy + dy) / 25;
    return share < BLOWN_SHARE;
  };
  const extentBoxes = (residual: Plane) => {
    const thin = residual === bright ? brightThin : coarseThin(residual);
    let boxes = [0, 1, 2, 3].map(() => plane(thin.w, thin.h, () => NONE));
    for (let yy = 0; yy < thin.h; yy++)
      for (let x = 0; x < thin.w; x++) {
        const i = yy * thin.w + x;
        // A feature on the frame's edge goes on out of sight for frameExtension texels.
        const e = plan.frameExtension;
        const onEdge = [x === 0, yy === 0, x === thin.w - 1, yy === thin.h - 1].map((b) => (b ? e : 0));
        const own = [x - onEdge[0], yy - onEdge[1], -x - onEdge[2], -yy - onEdge[3]];
        const start = glint(x, yy) ? [x - GLINT, yy - GLINT, -x - GLINT, -yy - GLINT] : at(thin, x, yy) > 0.5 ? own : undefined;
        start?.forEach((v, ch) => (boxes[ch].v[i] = v));
      }
    for (let step = 0; step < plan.extentSteps; step++) {
      const prev = boxes;
      // Union with the 8 neighbours' boxes and, between elongated pieces, across a one-texel gap.
      const boxAt = (x: number, yy: number) => prev.map((b) => at(b, x, yy));
      const next = prev.map((b) => plane(b.w, b.h, (x, yy) => at(b, x, yy)));
      for (let yy = 0; yy < next[0].h; yy++)
        for (let x = 0; x < next[0].w; x++) {
          const own = boxAt(x, yy);
          if (!(own[0] < NONE)) continue;
          const elongated = boxExtent(own) >= LINK_EXTENT;
          const box = own.slice();
          for (let dy = -2; dy <= 2; dy++)
            for (let dx = -2; dx <= 2; dx++) {
              const other = boxAt(x + dx, yy + dy);
              const adjacent = Math.abs(dx) <= 1 && Math.abs(dy) <= 1;
              if (adjacent || (elongated && other[0] < NONE && boxExtent(other) >= LINK_EXTENT)) for (let c = 0; c < 4; c++) box[c] = Math.min(box[c], other[c]);
            }
          box.forEach((v, c) => (next[c].v[yy * next[c].w + x] = v));
        }
      boxes = next;
    }
    return boxes;
  };
  const brightBoxes = extentBoxes(bright);
  const darkBoxes = extentBoxes(dark);
  const extentAt = (boxes: Plane[], cx: number, cy: number) => {
    const box = boxes.map((b) => at(b, cx, cy));
    return box[0] < NONE ? boxExtent(box) : -NONE;
  };
  // The other polarity's structure a candidate must not be next to (extentAround in the chunk): the
  // largest box of the 3x3 beside an elongated candidate; beside a compact one, the box at it or the
  // smaller of two on opposite sides within 2 texels (what encloses it, as a link its hole).
  const extentAround = (boxes: Plane[], cx: number, cy: number, compact: boolean) => {
    let e = extentAt(boxes, cx, cy);
    if (!compact) {
      for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) e = Math.max(e, extentAt(boxes, cx + dx, cy + dy));
      return e;
    }
    for (let dy = 0; dy <= 2; dy++)
      for (let dx = -2; dx <= 2; dx++) if (dy > 0 || dx > 0) e = Math.max(e, Math.min(extentAt(boxes, cx + dx, cy + dy), extentAt(boxes, cx - dx, cy - dy)));
    return e;
  };

  // Isolated dark specks (ringDepth in detect_combine.frag): depth below the
  // second lowest tap of each isolation ring, about a plane fitted to it;
  // none where two opposite taps both lie below the plane by the floor.
  const ringDepth = (x: number, yy: number, cap: number, ring: number[][]) => {
    const n = ring.length;
    const v = ring.map(([dx, dy]) => at(y, x + dx, yy + dy));
    const mean = v.reduce((a, b) => a + b, 0) / n;
    const moment = ring.reduce((a, [dx]) => a + dx * dx, 0);
    const sx = ring.reduce((a, [dx], i) => a + dx * v[i], 0) / moment;
    const sy = ring.reduce((a, [, dy], i) => a + dy * v[i], 0) / moment;
    const e = ring.map(([dx, dy], i) => v[i] - mean - sx * dx - sy * dy);
    for (let i = 0; i < n / 2; i++) if (Math.max(e[i], e[i + n / 2]) <= -plan.floor) return 0;
    const sorted = e.slice().sort((a, b) => a - b);
    const [lo2, hi2] = [sorted[1], sorted[n - 2]];
    return Math.min(lo2 - (at(y, x, yy) - mean), cap) / Math.max(plan.isolationFloor, plan.isolationFactor * (hi2 - lo2));
  };

  // Whether a compact dark piece other than the one at (cx, cy) lies within DOT_REACH coarse texels (darkDotNear in the shader).
  const darkDotNear = (cx: number, cy: number) => {
    const box = (x: number, yy: number) => darkBoxes.map((b) => at(b, x, yy));
    const own = box(cx, cy);
    for (let dy = -DOT_REACH; dy <= DOT_REACH; dy++)
      for (let dx = -DOT_REACH; dx <= DOT_REACH; dx++) {
        const b = box(cx + dx, cy + dy);
        if (b[0] < NONE && boxExtent(b) <= COMPACT_EXTENT && b.some((v, c) => v !== own[c])) return true;
      }
    return false;
  };

  // Unclipped highlights and soft dark shading (highlight.frag): a thin feature of either polarity,
  // beyond the far ring's mean by more than the threshold, whose light (or shade) falls off around it.
  const ringMean = (x: number, yy: number, ring: number[][]) => ring.reduce((a, [dx, dy]) => a + at(y, x + dx, yy + dy), 0) / ring.length;
  const [nearRing, farRing] = plan.highlightRings;
  const farMean = plane(w, h, (x, yy) => ringMean(x, yy, farRing));
  // The outer isolation ring (squareRadius), where the softness of highlights and shade is judged.
  const edgeMean = plane(w, h, (x, yy) => ringMean(x, yy, plan.isolationRings[1]));
  const fallsOff = (x: number, yy: number, polarity: number, height: number) => {
    const falls = nearRing.map(([dx, dy], k) => polarity * (at(y, x + dx, yy + dy) - at(y, x + farRing[k][0], yy + farRing[k][1])) >= plan.highlightShare * height);
    const half = nearRing.length / 2;
    const axes = falls.slice(0, half).filter((fall, k) => fall && falls[k + half]).length / half;
    const level = polarity * at(y, x, yy) - plan.highlightShare * height;
    const crossing = nearRing.filter(([dx, dy]) => polarity * at(y, x + dx, yy + dy) >= level).length / nearRing.length;
    return axes >= plan.highlightAxes && crossing <= plan.highlightCrossing;
  };
  const guard = plan.glintGuard > 0;
  // A highlight's light is soft too: at squareRadius it still stands above the far ring by more
  // than 1 - highlightSoftness of its height (dust on a blurred bright patch ends in a step).
  const highlightPeak = (x: number, yy: number) => {
    const [contrast, height] = [shortThreshold(x, yy), at(y, x, yy) - at(farMean, x, yy)];
    const soft = at(y, x, yy) - at(edgeMean, x, yy) < plan.highlightSoftness * height;
    return guard && at(bright, x, yy) > contrast && height > contrast && soft && fallsOff(x, yy, 1, height) ? 1 : 0;
  };
  // A dark candidate's depth below the far ring, and that depth where it is soft shade: deeper than
  // the threshold, its shade falling off, still darker than shadeSoftness of it at squareRadius.
  const darkDepth = plane(w, h, (x, yy) => (guard && at(dark, x, yy) > shortThreshold(x, yy) ? Math.max(0, at(farMean, x, yy) - at(y, x, yy)) : 0));
  const shadePeak = (x: number, yy: number) => {
    const depth = at(farMean, x, yy) - at(y, x, yy);
    const soft = at(edgeMean, x, yy) - at(y, x, yy) < plan.shadeSoftness * depth;
    return at(darkDepth, x, yy) > 0 && depth > shortThreshold(x, yy) && fallsOff(x, yy, -1, depth) && soft ? at(darkDepth, x, yy) : 0;
  };
  // Grown over a feature's width: the nearest highlight, the deepest shade, the deepest dark candidate.
  const highlights = squareExtreme(plane(w, h, highlightPeak), plan.squareRadius, Math.max);
  const deepestShade = squareExtreme(plane(w, h, shadePeak), plan.squareRadius, Math.max);
  const deepestDark = squareExtreme(darkDepth, plan.squareRadius, Math.max);

  // 1 where a feature box of this extent (coarse texels) is short enough to be a defect (shortExtent in the shader).
  const shortExtent = (extent: number) => 1 - smoothstep(plan.maxExtent + 1.5, plan.maxExtent + 3.5, extent);

  // Specks on texture (standsOut in detect_combine.frag): per polarity, 1 where a short candidate's
  // contrast is at least standOutRatio times every candidate contrast of either polarity on the
  // rings, at least standOutDensity of the taps are thin structure of either polarity, no thin
  // structure of its polarity runs through it (two opposite taps of the inner ring), and no tap is
  // clipped.
  const standOutTaps = plan.standOutRings.flat();
  const innerTaps = plan.standOutRings[0];
  const standsOut = (x: number, yy: number, contrastBright: number, contrastDark: number, structure: number) => {
    let [highest, textured] = [0, 0];
    for (const [dx, dy] of standOutTaps) {
      const v = at(y, x + dx, yy + dy);
      if (v >= CLIPPED) return [0, 0];
      highest = Math.max(highest, v - at(shortRec.open, x + dx, yy + dy), at(shortRec.close, x + dx, yy + dy) - v);
      if (Math.max(at(bright, x + dx, yy + dy), at(dark, x + dx, yy + dy)) >= structure) textured++;
    }
    if (textured < plan.standOutDensity * standOutTaps.length) return [0, 0];
    const through = (residual: Plane) =>
      innerTaps.slice(0, innerTaps.length / 2).some(([dx, dy]) => at(residual, x + dx, yy + dy) >= structure && at(residual, x - dx, yy - dy) >= structure);
    return [
      contrastBright >= plan.standOutRatio * highest && !through(bright) ? 1 : 0,
      contrastDark >= plan.standOutRatio * highest && !through(dark) ? 1 : 0,
    ];
  };

  const core = plane(w, h, (x, yy) => {
    const [t, ts] = [thinThreshold(x, yy), shortThreshold(x, yy)];
    const ramp = (threshold: number, contrast: number) => smoothstep(threshold, MASK_RAMP * threshold, contrast);
    // The block of the max reductions (on an odd size the last one covers a single texel).
    const [cx, cy] = [Math.floor(x / 2 ** plan.extentLevel), Math.floor(yy / 2 ** plan.extentLevel)];
    // Long own-polarity structure here, or long other-polarity structure beside it.
    const isolated = (own: Plane[], other: Plane[]) => {
      const ownExtent = extentAt(own, cx, cy);
      return shortExtent(Math.max(ownExtent, extentAround(other, cx, cy, ownExtent <= COMPACT_EXTENT)));
    };
    // A thin feature above the thin-feature threshold, or a short one above the short-feature threshold.
    const yv = at(y, x, yy);
    const [shortBright, shortDark] = [yv - at(shortRec.open, x, yy), at(shortRec.close, x, yy) - yv];
    const [candidateBright, candidateDark] = [ramp(ts, shortBright), ramp(ts, shortDark)];
    let b = Math.max(ramp(t, yv - at(thinRec.open, x, yy)), candidateBright) * isolated(brightBoxes, darkBoxes);
    let d = Math.max(ramp(t, at(thinRec.close, x, yy) - yv), candidateDark) * isolated(darkBoxes, brightBoxes);
    // A short candidate joined to the texture around it may still stand out from it (a speck on skin).
    if (b < candidateBright || d < candidateDark) {
      const [outBright, outDark] = standsOut(x, yy, shortBright, shortDark, plan.structureFraction * ts);
      [b, d] = [Math.max(b, candidateBright * outBright), Math.max(d, candidateDark * outDark)];
    }
    b *= 1 - at(highlights, x, yy);
    // Soft shading: the deepest dark candidate within reach is such shade (a speck in a dimple lies deeper).
    if (at(deepestShade, x, yy) > 0 && at(deepestShade, x, yy) >= at(deepestDark, x, yy)) d = 0;
    // An isolated dark speck: no long dark structure in its block, and long bright structure there
    // only if no other compact dark piece (a pale strand's next dark dot) is near (darkDotNear).
    const depth = Math.min(...plan.isolationRings.map((ring) => ringDepth(x, yy, shortDark, ring)));
    let quiet = shortExtent(extentAt(darkBoxes, cx, cy));
    const ownBright = extentAt(brightBoxes, cx, cy);
    if (depth > 1 && shortExtent(ownBright) < 1) quiet *= Math.max(shortExtent(ownBright), darkDotNear(cx, cy) ? 0 : 1);
    return Math.max(b, d, smoothstep(1, MASK_RAMP, depth) * quiet);
  });
  const grown = squareExtreme(core, 1, Math.max);
  return createImage(w, h, (x, yy) => {
    const m = at(grown, x, yy);
    return [m, m, m, 1];
  });
}

/** Manual spots [x, y, radius, mode] applied to a mask: mode 1 heals a disc, 0 protects it. */
export function applySpotsRef(mask: CpuImage, spots: number[][]): CpuImage {
  return createImage(mask.width, mask.height, (x, y) => {
    let m = mask.data[(y * mask.width + x) * 4];
    let keep = 1;
    for (const [sx, sy, r, mode] of spots) {
      const inside = Math.min(1, Math.max(0, r + 0.5 - Math.hypot(x + 0.5 - sx, y + 0.5 - sy)));
      if (mode > 0.5) m = Math.max(m, inside);
      else keep = Math.min(keep, 1 - inside);
    }
    m *= keep;
    return [m, m, m, 1];
  });
}

/** What imperfections.fill should produce: push-pull fill, interpolation along edges, texture from a matched shift; masked pixels only. */
export function fillRef(img: CpuImage, mask: CpuImage, reach: number): CpuImage {
  const m = plane(img.width, img.height, (x, y) => mask.data[(y * img.width + x) * 4]);
  return textureFillRef(img, m, smoothFillRef(img, mask, reach), reach);
}

/**
 * The fill before its texture stage (fill_heal.frag): push-pull, membrane and
 * edge-directed interpolation where the mask is non-zero, the image elsewhere.
 */
export function smoothFillRef(img: CpuImage, mask: CpuImage, reach: number): CpuImage {
  const { width: w, height: h } = img;
  const m = plane(w, h, (x, y) => mask.data[(y * w + x) * 4]);
  const channel = (c: number) => plane(w, h, (x, y) => img.data[(y * w + x) * 4 + c]);
  const rgb = [0, 1, 2].map(channel);

  // Push: weighted colour and weight, averaged down to 1x1.
  let level = [...rgb.map((p) => plane(w, h, (x, y) => at(p, x, y) * (1 - at(m, x, y)))), plane(w, h, (x, y) => 1 - at(m, x, y))];
  const levels = [level];
  while (Math.max(level[0].w, level[0].h) > 1) {
    level = level.map((p) => halve(p, 'mean'));
    levels.push(level);
  }
  // Pull: every level filled from the one above, down to level 0.
  let filled: Plane[] | undefined;
  for (let l = levels.length - 1; l >= 0; l--) {
    const [cr, cg, cb, cw] = levels[l];
    const prev = filled;
    filled = [cr, cg, cb].map((p, ch) =>
      plane(p.w, p.h, (x, y) => {
        const weight = at(cw, x, y);
        if (prev) return at(p, x, y) + (1 - weight) * bilinearCovering(prev[ch], x, y, p.w, p.h);
        return weight > 1e-6 ? at(p, x, y) / weight : 0;
      }),
    );
  }
  // Membrane relaxation inside the mask.
  let smoothFill = filled!;
  for (let step = 0; step < FILL_RELAX_STEPS; step++) {
    const cur = smoothFill;
    smoothFill = cur.map((p, ch) =>
      plane(w, h, (x, y) => {
        const mean = 0.25 * (at(p, x + 1, y) + at(p, x - 1, y) + at(p, x, y + 1) + at(p, x, y - 1));
        return at(rgb[ch], x, y) + (mean - at(rgb[ch], x, y)) * at(m, x, y);
      }),
    );
  }

  // Validity-weighted structure tensor, blurred.
  const y = lumaRef(img);
  const valid = (x: number, yy: number) => 1 - at(m, x, yy);
  const tensor = createImage(w, h, (x, yy) => {
    const wt = Math.min(valid(x, yy), valid(x + 1, yy), valid(x - 1, yy), valid(x, yy + 1), valid(x, yy - 1));
    const gx = 0.5 * (at(y, x + 1, yy) - at(y, x - 1, yy));
    const gy = 0.5 * (at(y, x, yy + 1) - at(y, x, yy - 1));
    return [wt * gx * gx, wt * gx * gy, wt * gy * gy, wt];
  });
  const blurred = gaussianBlurRef(tensor, reach / 2);

  const fill = createImage(w, h);
  fill.data.set(img.data);
  const fillData = fill.data;
  for (let yy = 0; yy < h; yy++)
    for (let x = 0; x < w; x++) {
      const i = (yy * w + x) * 4;
      const mv = at(m, x, yy);
      if (mv <= 0) continue;
      const smooth = smoothFill.map((p) => at(p, x, yy));
      const [t0, t1, t2, t3] = blurred.data.subarray(i, i + 4);
      const [jx, jy, jz] = t3 > 1e-6 ? [t0 / t3, t1 / t3, t2 / t3] : [0, 0, 0];
      const coherence = Math.sqrt((jx - jz) ** 2 + 4 * jy * jy) / (jx + jz + 1e-12);
      const theta = 0.5 * Math.atan2(2 * jy, jx - jz + 1e-12);
      const along = [-Math.sin(theta), Math.cos(theta)];
      let distA = 0, distB = 0;
      let sideA = [0, 0, 0], sideB = [0, 0, 0];
      for (let k = 1; k <= 64 && k <= reach && !(distA > 0 && distB > 0); k++) {
        const ox = Math.floor(k * along[0] + 0.5), oy = Math.floor(k * along[1] + 0.5);
        if (distA === 0 && at(m, x + ox, yy + oy) < 0.05) {
          distA = k;
          sideA = rgb.map((p) => at(p, x + ox, yy + oy));
        }
        if (distB === 0 && at(m, x - ox, yy - oy) < 0.05) {
          distB = k;
          sideB = rgb.map((p) => at(p, x - ox, yy - oy));
        }
      }
      for (let ch = 0; ch < 3; ch++) {
        let fill = smooth[ch];
        if (distA > 0 && distB > 0) fill += ((sideA[ch] * distB + sideB[ch] * distA) / (distA + distB) - fill) * coherence;
        fillData[i + ch] = fill;
      }
    }
  return fill;
}

/** The texture stage (fill_texture.frag): texture layer copied from the best-matching shift, blended by the mask. */
function textureFillRef(img: CpuImage, m: Plane, fill: CpuImage, reach: number): CpuImage {
  const { width: w, height: h } = img;
  const plan = texturePlan(reach);
  const clampX = (x: number) => Math.min(w - 1, Math.max(0, x));
  const clampY = (y: number) => Math.min(h - 1, Math.max(0, y));
  const rgbAt = (x: number, y: number) => {
    const i = (clampY(y) * w + clampX(x)) * 4;
    return [img.data[i], img.data[i + 1], img.data[i + 2]];
  };
  const guide = (c: number[]) => bilateralGuideRef(c[0], c[1], c[2]);
  // Mean of the valid texels around (x, y) whose luminance is near `g` (edgeAwareValidMean in chunks/texture_layer.glsl).
  const edgeAwareValidMean = (x: number, y: number, g: number, fallback: number[]) => {
    const sum = [0, 0, 0, 0];
    for (let j = -DETAIL_TAPS; j <= DETAIL_TAPS; j++)
      for (let i = -DETAIL_TAPS; i <= DETAIL_TAPS; i++) {
        const [ox, oy] = [i * plan.detailStep, j * plan.detailStep];
        if (Math.abs(ox) > plan.detailRadius || Math.abs(oy) > plan.detailRadius) continue;
        const s = rgbAt(x + ox, y + oy);
        const range = (guide(s) - g) / plan.detailRangeSigma;
        const wt = (1 - at(m, x + ox, y + oy)) * Math.exp(-(ox * ox + oy * oy) / (2 * plan.lowSigma ** 2) - 0.5 * range * range);
        for (let k = 0; k < 3; k++) sum[k] += wt * s[k];
        sum[3] += wt;
      }
    return sum[3] > 1e-6 ? sum.slice(0, 3).map((v) => v / sum[3]) : fallback;
  };
  // Texture layer (fill_detail.frag, which draws it only near masked texels, the only place it is read).
  const detail = createImage(w, h, (x, y) => {
    const c = rgbAt(x, y);
    const mean = edgeAwareValidMean(x, y, guide(c), c);
    return [c[0] - mean[0], c[1] - mean[1], c[2] - mean[2], 1 - at(m, x, y)];
  });
  const detailAt = (x: number, y: number) => {
    const i = (clampY(y) * w + clampX(x)) * 4;
    return detail.data.subarray(i, i + 4);
  };
  const r = plan.windowRadius;
  const out = createImage(w, h);
  out.data.set(img.data);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const i = (y * w + x) * 4;
      const mv = at(m, x, y);
      if (mv <= 0) continue;
      const f = [fill.data[i], fill.data[i + 1], fill.data[i + 2]];
      let bestCost = -1, bestEnergy = 0, bx = 0, by = 0;
      for (let k = 0; k < plan.shiftX.length; k++) {
        const sx = x + plan.shiftX[k], sy = y + plan.shiftY[k];
        if (sx < 0 || sy < 0 || sx >= w || sy >= h || at(m, sx, sy) >= 0.05) continue;
        let diff = 0, energy = 0, weight = 0, total = 0;
        for (let oy = -r; oy <= r; oy++)
          for (let ox = -r; ox <= r; ox++) {
            const g = Math.exp(-(ox * ox + oy * oy) / (2 * plan.windowSigma ** 2));
            const a = detailAt(x + ox, y + oy), b = detailAt(sx + ox, sy + oy);
            const wt = g * a[3] * b[3];
            let dd = 0, ee = 0;
            for (let c = 0; c < 3; c++) {
              dd += (a[c] - b[c]) ** 2;
              ee += 0.5 * (a[c] ** 2 + b[c] ** 2);
            }
            diff += wt * dd;
            energy += wt * ee;
            weight += wt;
            total += g;
          }
        if (weight < 0.25 * total) continue;
        const cost = diff / weight;
        if (bestCost < 0 || cost < bestCost) {
          bestCost = cost;
          bestEnergy = energy / weight;
          bx = sx;
          by = sy;
        }
      }
      let result = f;
      if (bestCost >= 0 && bestEnergy > 1e-12) {
        const gain = Math.min(1, Math.max(0, 1 - (0.5 * bestCost) / bestEnergy));
        const src = detailAt(bx, by);
        const base = edgeAwareValidMean(x, y, guide(f), f);
        result = f.map((v, c) => v + (base[c] + src[c] - v) * gain);
      }
      for (let c = 0; c < 3; c++) out.data[i + c] = img.data[i + c] + (result[c] - img.data[i + c]) * mv;
    }
  return out;
}

/** imperfections.heal: detection, manual spots, fill. */
export function healRef(img: CpuImage, s: DetectionSettings & { reach: number; spots: number[][] }): { out: CpuImage; mask: CpuImage } {
  let mask = detectRef(img, s);
  if (s.spots.length > 0) mask = applySpotsRef(mask, s.spots);
  return { out: fillRef(img, mask, s.reach), mask };
}
