import type { GpuImage } from '../../gpu/texture-pool.js';
import { gaussianBlur } from '../core/gaussian.js';
import { sumToPixel } from '../core/resize.js';
import { BILATERAL_SHADERS, bilateralFilter } from '../frequency/bilateral.js';
import { combine } from '../frequency/index.js';
import { definePass, type PassContext, type PassDefinition } from '../types.js';

const OUTPUT_MODE = { out: 0, mask: 1, base: 2, sparkle: 3 } as const;
/**
 * Fixed-point steps of veil removal (estimate = raw - veil(estimate)): the
 * first step uses the raw image as the source; the second corrects for the
 * veil the first counted as source light. More change little (the veil
 * amount is < 1 and the source level removes most of the veil's own light).
 */
const VEIL_STEPS = 2;

export const glareFlattenPass = definePass({
  type: 'glare.flatten',
  title: 'Glare flattening',
  category: 'glare',
  description:
    'Removes veiling glare and flattens specular hotspots while keeping texture and small glints. (1) Veil: light above a source level (on the piece only when a matte is given), blurred by the lens\'s scatter tail and scaled, is subtracted; with backdropVeil the backdrop\'s scattered light too, by an amount bounded by the piece\'s dark floor (nothing under a veil is darker than the veil). (2) Hotspots: an edge-preserving base (range-level bilateral guided by luminance) and detail split; near highlights, where the base is elevated above the glare-free tone of its surroundings, the base is pulled to that tone, which carries the metal\'s own colour (gold stays gold, silver neutral), unless the tone\'s hue is not that of the piece around the pixel (another material: a hotspot on a silver bezel whose glare-free surroundings are its sapphire is left as shot); detail is kept and glints much brighter than their immediate neighbourhood are protected. On a thin piece (a chain or wire) a spot blown in every channel is a bloom: it counts as a highlight and takes the strand\'s and backdrop\'s tone from within the reach.',
  inputs: [
    { name: 'image', description: 'image with glare' },
    { name: 'matte', description: 'where the piece is (red channel, 0..1, e.g. the keyer alpha or trimap): only there is light a veil source and flattened; the whole frame when absent', optional: true },
  ],
  outputs: [
    { name: 'out', description: 'flattened image' },
    { name: 'mask', description: 'where and how strongly hotspots were flattened (0..1)' },
    { name: 'base', description: 'the corrected edge-preserving base layer (detail removed)' },
    { name: 'sparkle', description: 'glints protected from flattening (0..1)' },
    { name: 'veil', description: 'the veiling glare that was subtracted' },
  ],
  params: {
    veil: { type: 'number', default: 0, min: 0, max: 1, unit: 'x', step: 0.01, description: 'veiling glare amount: the fraction of source light scattered into the veil (0 = no veil removal unless estimated)' },
    backdropVeil: { type: 'boolean', default: false, description: 'also remove the veil scattered from the backdrop (the light off the matte), its amount estimated from the piece\'s dark floor: nothing under a veil is darker than the veil, so the darkest piece pixels next to a bright backdrop bound how much of its light scattered (0 when they are not lifted; at most the piece\'s amount); needs the matte' },
    blownBackdrop: { type: 'number', default: 1, min: 0.01, max: 1, unit: '', step: 0.01, description: 'share of the backdrop (the light off the matte) blown out in every channel from which it counts as the frame\'s dominant light source: the dark floor\'s lift is then credited to the backdrop\'s scatter before the piece\'s, since a veil from a backdrop bright enough to clip is larger than the piece\'s (ramps in from half this share); 1 = off; with backdropVeil' },
    floorFraction: { type: 'number', default: 0.005, min: 0, max: 0.2, unit: '', step: 0.001, description: 'fraction of the dark-floor witnesses (piece pixels where the backdrop\'s scatter is substantial) allowed below the floor: noise, a misplaced matte edge' },
    estimateVeil: { type: 'boolean', default: false, description: 'estimate the veil amount from the backdrop (needs the matte): a plain backdrop brightens next to the piece only by veil, so the least-squares slope of backdrop luminance against the predicted scatter replaces "veil"' },
    veilRadius: { type: 'number', default: 24, min: 1, max: 800, unit: 'px', step: 0.5, description: 'Gaussian sigma of the lens scatter that spreads the veil' },
    sourceLevel: { type: 'number', default: 0.55, min: 0, max: 1, unit: '', step: 0.01, description: 'linear level above which light scatters into the veil' },
    strength: { type: 'number', default: 1, min: 0, max: 1, unit: '', step: 0.01, description: 'how far hotspots are pulled to the surrounding tone' },
    threshold: { type: 'number', default: 0.98, min: 0.2, max: 1, unit: '', step: 0.01, description: 'sRGB-encoded luminance of the base from which a pixel is a highlight (hotspot or blown area; ramps in over 0.03 below it)' },
    blownLevel: { type: 'number', default: 1, min: 0.5, max: 1, unit: '', step: 0.001, description: 'linear level that every channel of the photo must reach for a pixel to count as blown out (a clipped hotspot, flattened even when veil removal has pulled it below the threshold); 1 = off. 0.98 helps product shots on plain backdrops; on lifestyle photos it also flattens real blown areas (see docs)' },
    bloomLevel: { type: 'number', default: 0.98, min: 0.5, max: 1, unit: '', step: 0.001, description: 'linear level that every channel of the photo must reach for a pixel on a thin piece (a chain or wire: the matte fills 5-20% of the surround) to count as a highlight: a blown spot wider than the strand under it is a bloom, flattened to the strand\'s and backdrop\'s tone within the reach; inert without a matte (the whole frame is the piece); 1 = off' },
    excess: { type: 'number', default: 1.1, min: 1.01, max: 4, unit: 'x', step: 0.01, description: 'base luminance relative to the glare-free surroundings from which a pixel counts as glare (half effect at the midpoint from 1)' },
    spatialSigma: { type: 'number', default: 8, min: 1, max: 200, unit: 'px', step: 0.5, description: 'bilateral spatial sigma: texture finer than this is kept as detail' },
    rangeSigma: { type: 'number', default: 0.1, min: 0.04, max: 1, unit: '', step: 0.01, description: 'bilateral range sigma in sRGB-encoded luminance: edges of larger contrast stay sharp in the base' },
    surroundRadius: { type: 'number', default: 40, min: 2, max: 800, unit: 'px', step: 1, description: 'sigma of the neighbourhood whose glare-free pixels give the target tone; should exceed the hotspots\' size' },
    reach: { type: 'number', default: 16, min: 1, max: 400, unit: 'px', step: 0.5, description: 'how far around a highlight glare is flattened (Gaussian sigma of the proximity)' },
    iterations: { type: 'integer', default: 2, min: 1, max: 4, unit: '', step: 1, description: 'refinements of the glare-free tone: each excludes pixels found elevated from the estimate' },
    sparkleSize: { type: 'number', default: 3, min: 0.5, max: 20, unit: 'px', step: 0.1, description: 'sigma of the neighbourhood a glint is compared with' },
    sparkleContrast: { type: 'number', default: 1.6, min: 1.05, max: 10, unit: 'x', step: 0.05, description: 'luminance ratio to that neighbourhood above which a pixel is a glint' },
    sparkleProtection: { type: 'number', default: 1, min: 0, max: 1, unit: '', step: 0.01, description: 'how fully glints are kept (0 flattens them like any highlight)' },
    detailCeiling: { type: 'number', default: 0.2, min: 0, max: 4, unit: 'x', step: 0.01, description: 'inside flattened areas, positive detail is capped at this fraction of the restored tone (glare residue at hotspot rims); negative detail is kept' },
    detail: { type: 'number', default: 1, min: 0, max: 2, unit: 'x', step: 0.01, description: 'gain of the detail layer inside flattened areas' },
  },
  shaders: [...BILATERAL_SHADERS, 'glare/veil_source', 'glare/veil_remove', 'glare/veil_stats', 'glare/blown_backdrop', 'glare/veil_floor', 'glare/veil_floor_amount', 'core/reduce_sum', 'glare/highlights', 'glare/compact_highlights', 'glare/surround_weights', 'light/weight_pack', 'glare/apply', 'core/blend'],
  run(ctx, inputs, p) {
    const raw = inputs.image!;
    const matte = inputs.matte;
    const withMatte = (images: Record<string, GpuImage>) => (matte ? { ...images, u_matte: matte } : images);
    const matteFlag = { u_hasMatte: matte ? 1 : 0 };

    let image = raw;
    const estimate = (p.estimateVeil as boolean) && matte !== undefined;
    if (p.estimateVeil && !matte) ctx.warn('estimateVeil needs a matte input; using the veil parameter');
    const backdropVeil = (p.backdropVeil as boolean) && matte !== undefined;
    if (p.backdropVeil && !matte) ctx.warn('backdropVeil needs a matte input; without one the whole frame is the veil source');
    if ((p.veil as number) > 0 || estimate) {
      let stats: { u_statsA: GpuImage; u_statsB: GpuImage } | undefined;
      // The dark floor is taken against the piece's veil predicted from the raw image at every step: an upper
      // bound (its source holds the veil and hotspots), so an unlifted floor is not read as a lifted one.
      let pieceBound: GpuImage | undefined;
      const blown = backdropVeil && (p.blownBackdrop as number) < 1 ? blownBackdrop(ctx, raw, matte!) : undefined;
      let firstAmount: GpuImage | undefined;
      for (let step = 0; step < VEIL_STEPS; step++) {
        const scatter = (backdrop: boolean) => {
          const source = ctx.draw({ shader: 'glare/veil_source', inputs: withMatte({ u_image: image }), uniforms: { ...matteFlag, u_backdrop: backdrop ? 1 : 0, u_sourceLevel: p.sourceLevel as number } });
          const scattered = gaussianBlur(ctx, source, p.veilRadius as number);
          ctx.release(source);
          return scattered;
        };
        const scattered = scatter(false);
        // The fit uses the scatter predicted from the raw image (first step) and holds for both steps.
        if (estimate && !stats) stats = veilStatistics(ctx, raw, scattered, matte!);
        const amount = { u_veil: p.veil as number, u_autoVeil: stats ? 1 : 0 };
        let backdrop: { u_scatteredBackdrop: GpuImage; u_backdropAmount: GpuImage } | undefined;
        if (backdropVeil) {
          pieceBound ??= scattered;
          const scatteredBackdrop = scatter(true);
          const floor = { u_image: raw, u_scattered: pieceBound, u_scatteredBackdrop: scatteredBackdrop, u_matte: matte! };
          const blownRule = blown ? { u_blown: blown, ...(firstAmount ? { u_firstAmount: firstAmount } : {}) } : undefined;
          const floorAmount = darkFloor(ctx, floor, { ...stats }, blownRule, { ...amount, u_blownShare: p.blownBackdrop as number, u_fraction: p.floorFraction as number });
          if (blown && !firstAmount) firstAmount = floorAmount;
          backdrop = { u_scatteredBackdrop: scatteredBackdrop, u_backdropAmount: floorAmount };
        }
        const next = ctx.draw({
          shader: 'glare/veil_remove',
          inputs: { u_image: raw, u_scattered: scattered, ...stats, ...backdrop },
          uniforms: { ...amount, u_backdropVeil: backdrop ? 1 : 0 },
        });
        if (scattered !== pieceBound) ctx.release(scattered);
        if (backdrop) Object.values(backdrop).forEach((b) => b !== firstAmount && ctx.release(b));
        if (image !== raw) ctx.release(image);
        image = next;
      }
      for (const one of [stats?.u_statsA, stats?.u_statsB, pieceBound, blown, firstAmount]) if (one) ctx.release(one);
    }

    const base = bilateralFilter(ctx, image, p.spatialSigma as number, p.rangeSigma as number);
    const highlightMap = ctx.draw({
      shader: 'glare/highlights',
      inputs: withMatte({ u_base: base, u_raw: raw }),
      uniforms: { ...matteFlag, u_threshold: p.threshold as number, u_blownLevel: p.blownLevel as number, u_bloomLevel: p.bloomLevel as number },
    });
    const highlights = gaussianBlur(ctx, highlightMap, p.surroundRadius as number);
    const compact = ctx.draw({ shader: 'glare/compact_highlights', inputs: { u_highlightMap: highlightMap, u_highlights: highlights } });
    const nearby = gaussianBlur(ctx, compact, p.reach as number);
    ctx.release(compact);
    let surround: GpuImage | undefined;
    let surroundNear: GpuImage | undefined;
    for (let i = 0; i < (p.iterations as number); i++) {
      const weigh = (byPiece: boolean) =>
        ctx.draw({
          shader: 'glare/surround_weights',
          inputs: { u_base: base, u_highlightMap: highlightMap, u_highlights: highlights, ...(surround ? { u_surround: surround } : {}) },
          uniforms: { u_hasSurround: surround ? 1 : 0, u_excess: p.excess as number, u_byPiece: byPiece ? 1 : 0 },
        });
      const weights = weigh(true);
      const next = gaussianBlur(ctx, weights, p.surroundRadius as number);
      ctx.release(weights);
      // The glare-free tone within the reach, for blooms on thin pieces (glare/apply).
      if (i === (p.iterations as number) - 1) {
        const nearWeights = weigh(false);
        surroundNear = gaussianBlur(ctx, nearWeights, p.reach as number);
        ctx.release(nearWeights);
      }
      if (surround) ctx.release(surround);
      surround = next;
    }
    ctx.release(highlightMap);
    const local = gaussianBlur(ctx, image, p.sparkleSize as number);
    // The piece's colour around each pixel, highlights included (glare/apply's hue test): the image
    // averaged over the matte, or the image itself without one (the test reads chromaticity only).
    const pieceColourMap = matte ? ctx.draw({ shader: 'light/weight_pack', inputs: { u_image: image, u_weight: matte }, uniforms: { u_invert: 0 } }) : image;
    const pieceColour = gaussianBlur(ctx, pieceColourMap, p.reach as number);
    if (pieceColourMap !== image) ctx.release(pieceColourMap);
    const draw = (mode: keyof typeof OUTPUT_MODE) =>
      ctx.draw({
        shader: 'glare/apply',
        inputs: withMatte({ u_image: image, u_base: base, u_surround: surround!, u_surroundNear: surroundNear!, u_highlights: highlights, u_nearby: nearby, u_local: local, u_pieceColour: pieceColour }),
        uniforms: {
          ...matteFlag,
          u_strength: p.strength as number,
          u_excess: p.excess as number,
          u_sparkleContrast: p.sparkleContrast as number,
          u_sparkleProtection: p.sparkleProtection as number,
          u_detail: p.detail as number,
          u_detailCeiling: p.detailCeiling as number,
          u_output: OUTPUT_MODE[mode],
        },
      });
    // The inspection outputs are drawn only when read (a batch render reads the result alone).
    const result: Record<string, GpuImage> = { out: draw('out') };
    for (const mode of ['mask', 'base', 'sparkle'] as const) if (ctx.wants(mode)) result[mode] = draw(mode);
    if (ctx.wants('veil')) result.veil = combine(ctx, raw, image, 'subtract', 1, 1);
    return result;
  },
});

/**
 * The backdrop's veil amount (1x1) from the piece's dark floor: the four
 * witness counts of glare/veil_floor, each summed to 1x1, read by
 * glare/veil_floor_amount. `blown`: the blown backdrop's share sums and, at
 * the second step, the first step's amount (chunks/glare, glarePieceVeilInFloor).
 */
function darkFloor(
  ctx: PassContext,
  inputs: Record<string, GpuImage>,
  fit: Record<string, GpuImage>,
  blown: { u_blown: GpuImage; u_firstAmount?: GpuImage } | undefined,
  uniforms: { u_veil: number; u_autoVeil: number; u_fraction: number; u_blownShare: number },
): GpuImage {
  const flags = { ...uniforms, u_hasBlown: blown ? 1 : 0 };
  const counts = [0, 1, 2, 3].map((part) => sumToPixel(ctx, ctx.draw({ shader: 'glare/veil_floor', inputs: { ...inputs, ...fit, ...(blown ? { u_blown: blown.u_blown } : {}) }, uniforms: { ...flags, u_part: part } })));
  const second = blown?.u_firstAmount ? { u_blown: blown.u_blown, u_firstAmount: blown.u_firstAmount } : undefined;
  const amount = ctx.draw({
    shader: 'glare/veil_floor_amount',
    inputs: { u_floor0: counts[0], u_floor1: counts[1], u_floor2: counts[2], u_floor3: counts[3], ...fit, ...second },
    uniforms: { ...uniforms, u_hasBlown: second ? 1 : 0 },
    width: 1,
    height: 1,
  });
  counts.forEach((c) => ctx.release(c));
  return amount;
}

/** The backdrop's blown and total weights (glare/blown_backdrop) summed to 1x1. */
function blownBackdrop(ctx: PassContext, raw: GpuImage, matte: GpuImage): GpuImage {
  return sumToPixel(ctx, ctx.draw({ shader: 'glare/blown_backdrop', inputs: { u_image: raw, u_matte: matte } }));
}

/** Sums the veil-fit terms of glare/veil_stats over the image down to two 1x1 images. */
function veilStatistics(ctx: PassContext, raw: GpuImage, scattered: GpuImage, matte: GpuImage): { u_statsA: GpuImage; u_statsB: GpuImage } {
  const total = (part: number) => sumToPixel(ctx, ctx.draw({ shader: 'glare/veil_stats', inputs: { u_image: raw, u_scattered: scattered, u_matte: matte }, uniforms: { u_part: part } }));
  return { u_statsA: total(0), u_statsB: total(1) };
}

export const GLARE_PASSES: PassDefinition[] = [glareFlattenPass];
