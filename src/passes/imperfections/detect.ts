import type { GpuImage } from '../../gpu/texture-pool.js';
import { blockMaxima, chain, type Drawer } from '../core/resize.js';
import { definePass } from '../types.js';
import { DETECT_PARAMS } from './params.js';
import { detectionPlan, MAX_RIDGE_TAPS, type DetectionPlan, type DetectionSettings } from './plan.js';

export const DETECT_SHADERS = [
  'imperfections/luma',
  'imperfections/morph',
  'imperfections/line_morph',
  'imperfections/box_down',
  'core/max_down',
  'imperfections/noise',
  'imperfections/activity',
  'imperfections/clean',
  'imperfections/ridge_margin',
  'imperfections/ridge_open',
  'imperfections/reconstruct',
  'imperfections/thin',
  'imperfections/extent_init',
  'imperfections/extent_grow',
  'imperfections/highlight',
  'imperfections/detect_combine',
  'imperfections/dilate',
] as const;

interface MorphOptions {
  step: [number, number];
  radius: number;
  /** false: erode opening channels (r, b) and dilate closing channels (g, a); true: the reverse. */
  dilate: boolean;
  /** Residual mode: output (Y - open, close - Y, ...) against this luma. */
  reference?: GpuImage;
}

function morph(d: Drawer, img: GpuImage, o: MorphOptions): GpuImage {
  return d.draw({
    shader: 'imperfections/morph',
    inputs: o.reference ? { u_image: img, u_reference: o.reference } : { u_image: img },
    uniforms: { u_step: o.step, u_dilate: o.dilate ? 1 : 0, u_residual: o.reference ? 1 : 0 },
    defines: { MORPH_RADIUS: Math.floor(o.radius) },
  });
}

/**
 * Slots of orientation i's ridge taps for ridge_open.frag: slot s of
 * 4 MAX_HALF + 1 holds tap floor(s h / MAX_HALF) - 2h (h = ridgeHalf; the
 * texel is tap 0, tap +-k the offset +-ridgeAlong[k - 1]), so that every run
 * of 2 MAX_HALF + 1 slots is one window of 2h + 1 taps.
 */
function ridgeSlots(plan: DetectionPlan, i: number): { x: number[]; y: number[] } {
  const maxHalf = MAX_RIDGE_TAPS / 2;
  const h = plan.ridgeHalf;
  const tap = (s: number) => Math.floor((s * h) / maxHalf) - 2 * h;
  const offsets = Array.from({ length: 4 * maxHalf + 1 }, (_, s) => {
    const k = tap(s);
    return k === 0 ? [0, 0] : plan.ridgeAlong[i][Math.abs(k) - 1].map((v) => Math.sign(k) * v);
  });
  return { x: offsets.map((o) => o[0]), y: offsets.map((o) => o[1]) };
}

const X: [number, number] = [1, 0];
const Y: [number, number] = [0, 1];

/** Square opening (r, b) and closing (g, a) of packed luma, returned as residuals against `reference`. */
function squareResidual(d: Drawer, packed: GpuImage, radius: number, reference: GpuImage): GpuImage {
  return chain(d, packed, [
    (c) => morph(d, c, { step: X, radius, dilate: false }),
    (c) => morph(d, c, { step: Y, radius, dilate: false }),
    (c) => morph(d, c, { step: X, radius, dilate: true }),
    (c) => morph(d, c, { step: Y, radius, dilate: true, reference }),
  ]);
}

/**
 * The residual of the line openings/closings at every orientation of `lines`
 * (two per draw), combined with the square residual `thin`: (Y - max open,
 * min close - Y, ...) over the square and all segments.
 */
function lineResidual(d: Drawer, luma: GpuImage, thin: GpuImage, lines: number[][][]): GpuImage {
  let residual = thin;
  for (let i = 0; i < lines.length; i += 2) {
    const [a, b] = [lines[i], lines[i + 1]];
    const uniforms = {
      u_lineAx: a.map((o) => o[0]), u_lineAy: a.map((o) => o[1]),
      u_lineBx: b.map((o) => o[0]), u_lineBy: b.map((o) => o[1]),
    };
    const defines = { LINE_TAPS: a.length };
    const eroded = d.draw({ shader: 'imperfections/line_morph', inputs: { u_image: luma }, uniforms: { ...uniforms, u_dilate: 0 }, defines });
    const next = d.draw({ shader: 'imperfections/line_morph', inputs: { u_image: eroded, u_reference: luma, u_previous: residual }, uniforms: { ...uniforms, u_dilate: 1 }, defines });
    d.release(eroded);
    if (residual !== thin) d.release(residual);
    residual = next;
  }
  return residual;
}

/**
 * Straight ridges (r bright, g dark), which the reconstruction does not grow
 * through; two orientations per pair of draws: their side margins at every
 * texel (imperfections/ridge_margin, padded by the longest tap offset so taps
 * beyond the frame read what the luma's clamped reads give there), then the
 * opening of those margins along each line (imperfections/ridge_open), or-ed
 * with the previous orientations'.
 */
export function straightRidges(d: Drawer, luma: GpuImage, residual: GpuImage, plan: DetectionPlan): GpuImage {
  const pad = Math.max(0, ...plan.ridgeAlong.flat(2).map(Math.abs));
  let ridge: GpuImage | undefined;
  for (let i = 0; i < plan.ridgeAcross.length; i += 2) {
    const margins = d.draw({
      shader: 'imperfections/ridge_margin',
      inputs: { u_luma: luma },
      uniforms: { u_acrossA: plan.ridgeAcross[i], u_acrossB: plan.ridgeAcross[i + 1], u_pad: pad },
      width: luma.width + 2 * pad,
      height: luma.height + 2 * pad,
    });
    const [a, b] = [ridgeSlots(plan, i), ridgeSlots(plan, i + 1)];
    const next = d.draw({
      shader: 'imperfections/ridge_open',
      inputs: ridge ? { u_residual: residual, u_margins: margins, u_previous: ridge } : { u_residual: residual, u_margins: margins },
      uniforms: {
        u_slotAx: a.x, u_slotAy: a.y, u_slotBx: b.x, u_slotBy: b.y,
        u_pad: pad, u_fraction: plan.ridgeFraction, u_floor: plan.floor, u_accumulate: ridge ? 1 : 0,
      },
    });
    d.release(margins);
    if (ridge) d.release(ridge);
    ridge = next;
  }
  return ridge!;
}

/** `levels` halvings to block means (imperfections/box_down). */
function blockMeans(d: Drawer, img: GpuImage, levels: number): GpuImage {
  const half = (c: GpuImage) => d.draw({ shader: 'imperfections/box_down', inputs: { u_image: c }, width: Math.ceil(c.width / 2), height: Math.ceil(c.height / 2) });
  return chain(d, img, Array.from({ length: levels }, () => half));
}

/**
 * The defect mask of an image (r = g = b = 0..1, a = 1): specks and short
 * scratches up to maxSize wide and scratchLength long, darker or brighter
 * than their surroundings. See docs/passes-imperfections.md for the method.
 * Settings are in render pixels.
 */
export function detectDefects(d: Drawer, image: GpuImage, settings: DetectionSettings): GpuImage {
  const plan = detectionPlan(settings, image.width, image.height);
  const luma = d.draw({ shader: 'imperfections/luma', inputs: { u_image: image } });

  // Thin features: contrast that a square opening/closing removes; short
  // features: thin ones that every line opening/closing removes too.
  const residual = squareResidual(d, luma, plan.squareRadius, luma);
  const shortResidual = lineResidual(d, luma, residual, plan.lineOffsets);

  // Structure guard: reconstruct what is connected to larger structures, but
  // not through straight ridges (scratches).
  const opened = d.draw({ shader: 'imperfections/clean', inputs: { u_luma: luma, u_residual: residual, u_shortResidual: shortResidual } });
  // (No reconstruction steps: nothing to block, so no ridge draw.)
  const ridge = plan.reconstructionSteps > 0 ? straightRidges(d, luma, residual, plan) : undefined;
  const step = (c: GpuImage) => d.draw({ shader: 'imperfections/reconstruct', inputs: { u_image: c, u_luma: luma, u_ridge: ridge! } });
  const reconstructed = chain(d, opened, Array.from({ length: plan.reconstructionSteps }, () => step));
  if (reconstructed !== opened) d.release(opened);
  if (ridge) d.release(ridge);

  // Activity: block mean and spread of the residuals, then a low rank of the
  // 3x3 blocks' tail levels around, so a defect (or a chain) does not raise its own threshold
  // while texture, present in most blocks, does.
  const perTexel = d.draw({ shader: 'imperfections/noise', inputs: { u_residual: residual, u_shortResidual: shortResidual } });
  d.release(shortResidual);
  const blocks = blockMeans(d, perTexel, plan.noiseLevel);
  if (blocks !== perTexel) d.release(perTexel);
  const activity = d.draw({ shader: 'imperfections/activity', inputs: { u_blocks: blocks }, uniforms: { u_tailFactor: plan.tailFactor, u_meanFactor: plan.meanFactor, u_activityCap: plan.activityCap } });
  d.release(blocks);

  // Extent at the coarse level: bounding boxes of connected thin features
  // (traced at the lower structure threshold), where blocks of
  // 2^extentLevel texels merge chain links into strands.
  const thin = d.draw({
    shader: 'imperfections/thin',
    inputs: { u_residual: residual, u_activity: activity, u_luma: luma },
    uniforms: { u_structureFraction: plan.structureFraction, u_floor: plan.floor, u_glintGuard: plan.glintGuard },
  });
  const coarseThin = blockMaxima(d, thin, plan.extentLevel);
  if (coarseThin !== thin) d.release(thin);
  const grow = (c: GpuImage) => d.draw({ shader: 'imperfections/extent_grow', inputs: { u_image: c } });
  const [bright, dark] = [0, 1].map((polarity) => {
    const initial = d.draw({ shader: 'imperfections/extent_init', inputs: { u_thin: coarseThin }, uniforms: { u_dark: polarity, u_frameExtension: plan.frameExtension } });
    const boxes = chain(d, initial, Array.from({ length: plan.extentSteps }, () => grow));
    d.release(initial);
    return boxes;
  });
  d.release(coarseThin);

  // Unclipped highlights (r), soft dark shading (b) and every dark candidate's depth (-g), grown over
  // a feature's width: bright candidates there stay, and so do dark ones whose deepest neighbour is
  // soft shading.
  const [near, far] = plan.highlightRings;
  const [inner, outer] = plan.isolationRings;
  const standOut = plan.standOutRings.flat();
  const falloffPeaks = d.draw({
    shader: 'imperfections/highlight',
    inputs: { u_luma: luma, u_residual: residual, u_activity: activity },
    uniforms: {
      u_floor: plan.floor, u_glintGuard: plan.glintGuard,
      u_nearX: near.map((o) => o[0]), u_nearY: near.map((o) => o[1]), u_nearTaps: near.length,
      u_farX: far.map((o) => o[0]), u_farY: far.map((o) => o[1]), u_farTaps: far.length,
      u_highlightShare: plan.highlightShare, u_highlightCrossing: plan.highlightCrossing, u_highlightAxes: plan.highlightAxes,
      u_edgeX: outer.map((o) => o[0]), u_edgeY: outer.map((o) => o[1]), u_edgeTaps: outer.length, u_shadeSoftness: plan.shadeSoftness, u_highlightSoftness: plan.highlightSoftness,
    },
  });
  const falloff = chain(d, falloffPeaks, [
    (c) => morph(d, c, { step: X, radius: plan.squareRadius, dilate: true }),
    (c) => morph(d, c, { step: Y, radius: plan.squareRadius, dilate: true }),
  ]);
  d.release(falloffPeaks);

  const core = d.draw({
    shader: 'imperfections/detect_combine',
    inputs: { u_luma: luma, u_residual: residual, u_reconstructed: reconstructed, u_activity: activity, u_extentBright: bright, u_extentDark: dark, u_falloff: falloff },
    uniforms: {
      u_floor: plan.floor, u_maxExtent: plan.maxExtent, u_extentBlock: 2 ** plan.extentLevel,
      u_innerX: inner.map((o) => o[0]), u_innerY: inner.map((o) => o[1]), u_innerTaps: inner.length,
      u_outerX: outer.map((o) => o[0]), u_outerY: outer.map((o) => o[1]), u_outerTaps: outer.length,
      u_isolationFactor: plan.isolationFactor, u_isolationFloor: plan.isolationFloor,
      u_standX: standOut.map((o) => o[0]), u_standY: standOut.map((o) => o[1]), u_standTaps: standOut.length, u_standInnerTaps: plan.standOutRings[0].length,
      u_standOutRatio: plan.standOutRatio, u_standOutDensity: plan.standOutDensity, u_structureFraction: plan.structureFraction,
    },
  });
  for (const img of [luma, residual, reconstructed, activity, bright, dark, falloff]) d.release(img);
  const mask = d.draw({ shader: 'imperfections/dilate', inputs: { u_mask: core } });
  d.release(core);
  return mask;
}

export function detectionSettings(p: Record<string, unknown>): DetectionSettings {
  return {
    sensitivity: p.sensitivity as number,
    maxSize: p.maxSize as number,
    scratchLength: p.scratchLength as number,
    protectDetail: p.protectDetail as number,
  };
}

export const detectPass = definePass({
  type: 'imperfections.detect',
  title: 'Detect dust and scratches',
  category: 'imperfections',
  description:
    'Finds dust specks (bright or dark) and short thin scratches: features thinner than maxSize and shorter than scratchLength in every direction, above a noise-adaptive threshold, stronger than the surrounding structure; on texture (skin, fabric), a speck that stands far above everything around it. Chains, engraving, facet edges, clipped glints, soft highlights whose light falls off around them and soft dark shading are left alone. Output: a 0..1 mask.',
  inputs: [{ name: 'image', description: 'photo to inspect' }],
  outputs: [{ name: 'mask', description: 'defect mask (red channel, 0..1)' }],
  params: DETECT_PARAMS,
  shaders: DETECT_SHADERS,
  run(ctx, inputs, p) {
    return { mask: detectDefects(ctx, inputs.image!, detectionSettings(p)) };
  },
});
