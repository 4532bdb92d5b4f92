import { definePass } from '../types.js';

export const BLEND_MODES = ['mix', 'add', 'subtract', 'multiply', 'divide', 'screen', 'min', 'max'] as const;

export const blendPass = definePass({
  type: 'math.blend',
  title: 'Blend',
  category: 'core',
  description:
    'Arithmetic blend of two images in linear light: out = a·weightA (op) b·weightB, mixed over a by opacity and an optional mask. "mix" interpolates from a to b by weightB.',
  inputs: [
    { name: 'a', description: 'base image' },
    { name: 'b', description: 'second image' },
    { name: 'mask', description: 'where to apply (red channel, 0..1); everywhere when absent', optional: true },
  ],
  outputs: [{ name: 'out', description: 'blended image' }],
  params: {
    mode: { type: 'enum', options: BLEND_MODES, default: 'mix', description: 'arithmetic operation' },
    weightA: { type: 'number', default: 1, min: -16, max: 16, unit: 'x', step: 0.01, description: 'factor applied to a' },
    weightB: { type: 'number', default: 0.5, min: -16, max: 16, unit: 'x', step: 0.01, description: 'factor applied to b (the mix amount in "mix" mode)' },
    opacity: { type: 'number', default: 1, min: 0, max: 1, unit: '', step: 0.01, description: 'how much of the result replaces a' },
  },
  shaders: ['core/blend'],
  run(ctx, inputs, p) {
    const out = ctx.draw({
      shader: 'core/blend',
      inputs: inputs.mask ? { u_a: inputs.a!, u_b: inputs.b!, u_mask: inputs.mask } : { u_a: inputs.a!, u_b: inputs.b! },
      uniforms: {
        u_hasMask: inputs.mask ? 1 : 0,
        u_mode: BLEND_MODES.indexOf(p.mode as (typeof BLEND_MODES)[number]),
        u_weightA: p.weightA as number,
        u_weightB: p.weightB as number,
        u_opacity: p.opacity as number,
      },
    });
    return { out };
  },
});
