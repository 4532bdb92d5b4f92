import { definePass } from '../types.js';
import { reduceToMean, weightedBlur } from '../light/illumination.js';

/** Sigma (px at render scale) of the old-backdrop estimate in edge pixels. */
const EDGE_SIGMA = 1.5;

export const cleanPass = definePass({
  type: 'background.clean',
  title: 'Clean background',
  category: 'background',
  description:
    'Mutes a cluttered or coloured backdrop under the soft matte without cutting the piece out: the backdrop is blurred (over backdrop pixels only, so the piece does not bleed), evened out, desaturated and lightened.',
  inputs: [
    { name: 'image', description: 'photo (linear, premultiplied)' },
    { name: 'alpha', description: 'soft matte of the piece (red), e.g. background.key:alpha' },
    { name: 'foreground', description: 'decontaminated piece premultiplied by alpha (background.key:foreground); cleaner edges when given', optional: true },
  ],
  outputs: [{ name: 'out', description: 'image with the muted backdrop' }],
  params: {
    blur: { type: 'number', default: 12, min: 0, max: 500, unit: 'px', step: 0.5, description: 'blur of the backdrop (Gaussian sigma) to hide clutter and texture' },
    evenOut: { type: 'number', default: 0.5, min: 0, max: 1, unit: '', step: 0.01, description: 'pull the backdrop brightness towards its mean (1 = uniform brightness)' },
    desaturate: { type: 'number', default: 0.7, min: 0, max: 1, unit: '', step: 0.01, description: 'remove the backdrop colour (1 = grey)' },
    lighten: { type: 'number', default: 0.3, min: 0, max: 1, unit: '', step: 0.01, description: 'mix the backdrop towards white' },
  },
  shaders: ['background/clean', 'light/weight_pack', 'core/blur_gauss', 'core/downsample', 'core/resample'],
  run(ctx, inputs, p) {
    const image = inputs.image!;
    const alpha = inputs.alpha!;
    if (alpha.width !== image.width || alpha.height !== image.height)
      throw new RangeError(`background.clean: alpha is ${alpha.width}x${alpha.height}, the image ${image.width}x${image.height}`);
    const edgeSigma = EDGE_SIGMA;
    const smooth = weightedBlur(ctx, image, alpha, Math.max(p.blur as number, edgeSigma), true);
    const near = weightedBlur(ctx, image, alpha, edgeSigma, true);
    const packed = ctx.draw({ shader: 'light/weight_pack', inputs: { u_image: image, u_weight: alpha }, uniforms: { u_invert: 1 } });
    const mean = reduceToMean(ctx, packed);
    ctx.release(packed);
    const out = ctx.draw({
      shader: 'background/clean',
      inputs: { u_image: image, u_alpha: alpha, ...(inputs.foreground ? { u_foreground: inputs.foreground } : {}), u_smooth: smooth, u_near: near, u_mean: mean },
      uniforms: {
        u_hasForeground: inputs.foreground ? 1 : 0,
        u_evenOut: p.evenOut as number,
        u_desaturate: p.desaturate as number,
        u_lighten: p.lighten as number,
      },
    });
    return { out };
  },
});
