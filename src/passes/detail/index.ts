import { gaussianBlur } from '../core/gaussian.js';
import { definePass, type PassDefinition } from '../types.js';

export const detailSharpenPass = definePass({
  type: 'detail.sharpen',
  title: 'Detail sharpening',
  category: 'detail',
  description:
    'Thresholded unsharp mask on the high-frequency component (image - Gaussian blur), gated by a noise floor so flat noisy areas are left alone, and clamped to each pixel\'s 3x3 neighbourhood range (as AMD CAS does) so edges steepen without halos. Works on sRGB-encoded straight colour.',
  inputs: [
    { name: 'image', description: 'image to sharpen' },
    { name: 'mask', description: 'where to sharpen (red channel, 0..1); everywhere when absent', optional: true },
  ],
  outputs: [{ name: 'out', description: 'sharpened image' }],
  params: {
    amount: { type: 'number', default: 1, min: 0, max: 5, unit: 'x', step: 0.05, description: 'gain applied to the high-frequency detail' },
    radius: { type: 'number', default: 1.5, min: 0.3, max: 50, unit: 'px', step: 0.1, description: 'standard deviation of the blur that defines the detail: the size of the structures sharpened' },
    threshold: { type: 'number', default: 3, min: 0, max: 64, unit: '/255', step: 0.5, description: 'noise floor: detail whose luminance is below it is not sharpened, above twice it fully' },
    overshoot: { type: 'number', default: 0, min: 0, max: 100, unit: '%', step: 1, description: 'how far a result may pass the 3x3 neighbourhood min/max, in % of its range (0 = no halos)' },
  },
  shaders: ['detail/sharpen', 'core/blur_gauss', 'core/downsample', 'core/resample'],
  run(ctx, inputs, p) {
    const image = inputs.image!;
    const blur = gaussianBlur(ctx, image, p.radius as number);
    const out = ctx.draw({
      shader: 'detail/sharpen',
      inputs: inputs.mask ? { u_image: image, u_blur: blur, u_mask: inputs.mask } : { u_image: image, u_blur: blur },
      uniforms: {
        u_hasMask: inputs.mask ? 1 : 0,
        u_amount: p.amount as number,
        u_threshold: (p.threshold as number) / 255,
        u_overshoot: (p.overshoot as number) / 100,
      },
    });
    return { out };
  },
});

export const DETAIL_PASSES: PassDefinition[] = [detailSharpenPass];
