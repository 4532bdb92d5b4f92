import { srgbToLinear } from '../../cpu/reference.js';
import { definePass } from '../types.js';
import type { ParamSchemas } from '../schema.js';
import { estimateBackdrop, estimateNoise, localContrastStats, weightedMean } from './illumination.js';

/** Backdrop-estimation parameters, shared with background.key. */
export const BACKDROP_PARAMS = {
  illuminationSigma: {
    type: 'number', default: 60, min: 4, max: 2000, unit: 'px', step: 1,
    description: 'scale of the light variations to remove (Gaussian sigma of the backdrop fit); smaller follows tighter hot spots, larger ignores more of the piece',
  },
  detailSigma: {
    type: 'number', default: 2, min: 0.5, max: 20, unit: 'px', step: 0.1,
    description: 'window (Gaussian sigma) of the local-contrast test that separates the smooth backdrop from detailed jewelry',
  },
  textureTolerance: {
    type: 'number', default: 0.02, min: 0.001, max: 0.5, unit: '', step: 0.001,
    description: 'relative local contrast (std / mean) still counted as bare backdrop; raise for a textured or noisy backdrop',
  },
  colorTolerance: {
    type: 'number', default: 0.04, min: 0.005, max: 0.5, unit: '', step: 0.001,
    description: 'relative colour distance from the fitted backdrop still counted as backdrop',
  },
  iterations: {
    type: 'integer', default: 2, min: 0, max: 5, unit: '',
    description: 'refinements of the backdrop mask against the current fit',
  },
} as const satisfies ParamSchemas;

export const flattenPass = definePass({
  type: 'light.flatten',
  title: 'Flatten lighting',
  category: 'light',
  description:
    'Removes uneven light (gradients, vignetting, hot spots): the illumination is fitted on the backdrop only (first-order normalized convolution over a backdrop mask, so the piece leaves no halo) and divided out towards a target backdrop level.',
  inputs: [
    { name: 'image', description: 'photo (linear, premultiplied)' },
    { name: 'hints', description: 'user strokes: red = definitely piece, left out of the light estimate; green = definitely backdrop, which the estimate takes only where it looks like backdrop (green is for the key: clutter painted away must not set the light)', optional: true },
  ],
  outputs: [
    { name: 'out', description: 'evenly lit image' },
    { name: 'illumination', description: 'estimated backdrop as lit (what was divided out)' },
    { name: 'mask', description: 'backdrop mask used for the fit (1 = bare backdrop)' },
  ],
  params: {
    ...BACKDROP_PARAMS,
    level: {
      type: 'number', default: 0, min: 0, max: 1, unit: '', step: 0.005,
      description: 'backdrop level after correction as an sRGB grey (0.96 = 245/255); 0 keeps the mean backdrop level',
    },
    neutralize: { type: 'boolean', default: false, description: 'also remove the backdrop colour cast (target grey instead of the mean backdrop colour)' },
    pieceAmount: {
      type: 'number', default: 1, min: 0, max: 1, unit: '', step: 0.01,
      description: 'how much of the correction the piece receives (1 = same as the backdrop, physically right for uneven light; 0 = piece untouched)',
    },
  },
  shaders: ['light/luma_moments', 'light/noise_pack', 'light/noise_quantiles', 'light/noise_central', 'light/backdrop_mask', 'light/backdrop_reference', 'light/weight_pack', 'light/nc_moments', 'light/nc_solve', 'light/flatten_apply', 'core/blur_gauss', 'core/downsample', 'core/resample'],
  run(ctx, inputs, p) {
    const image = inputs.image!;
    const stats = localContrastStats(ctx, image, p.detailSigma as number);
    const noise = estimateNoise(ctx, stats);
    const est = estimateBackdrop(ctx, image, stats, {
      noise,
      sigma: p.illuminationSigma as number,
      textureTolerance: p.textureTolerance as number,
      colorTolerance: p.colorTolerance as number,
      iterations: p.iterations as number,
      hints: inputs.hints,
    });
    const level = p.level as number;
    const mean = weightedMean(ctx, image, est.mask);
    const out = ctx.draw({
      shader: 'light/flatten_apply',
      inputs: { u_image: image, u_illumination: est.backdrop, u_mask: est.mask, u_mean: mean },
      uniforms: { u_level: level > 0 ? srgbToLinear(level) : 0, u_neutralize: p.neutralize ? 1 : 0, u_pieceAmount: p.pieceAmount as number },
    });
    ctx.release(mean);
    return { out, illumination: est.backdrop, mask: est.mask };
  },
});
