import type { GpuImage } from '../../gpu/texture-pool.js';
import { gaussianBlur } from '../core/gaussian.js';
import { BILATERAL_SHADERS, bilateralFilter } from '../frequency/bilateral.js';
import { definePass, type PassDefinition } from '../types.js';

const OUTPUT_MODE = { out: 0, mask: 1, base: 2, sparkle: 3 } as const;

export const glareFlattenPass = definePass({
  type: 'glare.flatten',
  title: 'Glare flattening',
  category: 'glare',
  description:
    'Flattens specular hotspots and the glare veil around them while keeping texture and small glints. The image is split into an edge-preserving base (range-level bilateral of colour, guided by luminance) and detail; where the base is elevated above the glare-free tone of its surroundings near a highlight, the base is pulled to that tone, which carries the metal\'s own colour (gold stays gold, silver neutral). Detail is kept; glints much brighter than their immediate neighbourhood are protected.',
  inputs: [{ name: 'image', description: 'image with glare' }],
  outputs: [
    { name: 'out', description: 'flattened image' },
    { name: 'mask', description: 'where and how strongly glare was flattened (0..1)' },
    { name: 'base', description: 'the corrected edge-preserving base layer (detail removed)' },
    { name: 'sparkle', description: 'glints protected from flattening (0..1)' },
  ],
  params: {
    strength: { type: 'number', default: 1, min: 0, max: 1, unit: '', step: 0.01, description: 'how far glare is pulled to the surrounding tone' },
    threshold: { type: 'number', default: 0.98, min: 0.2, max: 1, unit: '', step: 0.01, description: 'sRGB-encoded luminance of the base from which a pixel is a highlight (hotspot or blown area; ramps in over 0.03 below it)' },
    excess: { type: 'number', default: 1.1, min: 1.01, max: 4, unit: 'x', step: 0.01, description: 'base luminance relative to the glare-free surroundings from which a pixel counts as veiled (half effect at the midpoint from 1)' },
    spatialSigma: { type: 'number', default: 8, min: 1, max: 200, unit: 'px', step: 0.5, description: 'bilateral spatial sigma: texture finer than this is kept as detail' },
    rangeSigma: { type: 'number', default: 0.1, min: 0.04, max: 1, unit: '', step: 0.01, description: 'bilateral range sigma in sRGB-encoded luminance: edges of larger contrast stay sharp in the base' },
    surroundRadius: { type: 'number', default: 40, min: 2, max: 800, unit: 'px', step: 1, description: 'sigma of the neighbourhood whose glare-free pixels give the target tone; should exceed the hotspots\' size' },
    veilRadius: { type: 'number', default: 16, min: 1, max: 400, unit: 'px', step: 0.5, description: 'how far around a highlight its veil is looked for (Gaussian sigma of the proximity)' },
    iterations: { type: 'integer', default: 2, min: 1, max: 4, unit: '', step: 1, description: 'refinements of the glare-free tone: each excludes pixels found elevated (the veil) from the estimate' },
    sparkleSize: { type: 'number', default: 3, min: 0.5, max: 20, unit: 'px', step: 0.1, description: 'sigma of the neighbourhood a glint is compared with' },
    sparkleContrast: { type: 'number', default: 1.6, min: 1.05, max: 10, unit: 'x', step: 0.05, description: 'luminance ratio to that neighbourhood above which a pixel is a glint' },
    sparkleProtection: { type: 'number', default: 1, min: 0, max: 1, unit: '', step: 0.01, description: 'how fully glints are kept (0 flattens them like any highlight)' },
    detailCeiling: { type: 'number', default: 0.2, min: 0, max: 4, unit: 'x', step: 0.01, description: 'inside flattened areas, positive detail is capped at this fraction of the restored tone (glare residue at hotspot rims); negative detail is kept' },
    detail: { type: 'number', default: 1, min: 0, max: 2, unit: 'x', step: 0.01, description: 'gain of the detail layer inside flattened areas' },
  },
  shaders: [...BILATERAL_SHADERS, 'glare/surround_weights', 'glare/apply'],
  run(ctx, inputs, p) {
    const image = inputs.image!;
    const lf = ctx.caps.linearFilter;
    const base = bilateralFilter(ctx, image, p.spatialSigma as number, p.rangeSigma as number, lf);
    const weights = (previous?: GpuImage) =>
      ctx.draw({
        shader: 'glare/surround_weights',
        inputs: previous ? { u_base: base, u_surround: previous } : { u_base: base },
        uniforms: { u_hasSurround: previous ? 1 : 0, u_threshold: p.threshold as number, u_excess: p.excess as number },
      });
    const highlightWeights = weights();
    const nearby = gaussianBlur(ctx, highlightWeights, p.veilRadius as number, lf);
    const highlights = gaussianBlur(ctx, highlightWeights, p.surroundRadius as number, lf);
    ctx.release(highlightWeights);
    let surround = highlights;
    for (let i = 1; i < (p.iterations as number); i++) {
      const w = weights(surround);
      const next = gaussianBlur(ctx, w, p.surroundRadius as number, lf);
      ctx.release(w);
      if (surround !== highlights) ctx.release(surround);
      surround = next;
    }
    const local = gaussianBlur(ctx, image, p.sparkleSize as number, lf);
    const draw = (mode: keyof typeof OUTPUT_MODE) =>
      ctx.draw({
        shader: 'glare/apply',
        inputs: { u_image: image, u_base: base, u_surround: surround, u_highlights: highlights, u_nearby: nearby, u_local: local },
        uniforms: {
          u_strength: p.strength as number,
          u_excess: p.excess as number,
          u_sparkleContrast: p.sparkleContrast as number,
          u_sparkleProtection: p.sparkleProtection as number,
          u_detail: p.detail as number,
          u_detailCeiling: p.detailCeiling as number,
          u_output: OUTPUT_MODE[mode],
        },
      });
    return { out: draw('out'), mask: draw('mask'), base: draw('base'), sparkle: draw('sparkle') };
  },
});

export const GLARE_PASSES: PassDefinition[] = [glareFlattenPass];
