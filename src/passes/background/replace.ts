import { gaussianBlur } from '../core/gaussian.js';
import { definePass } from '../types.js';

export const REPLACE_MODES = ['transparent', 'color', 'linear', 'radial', 'image'] as const;

export const replacePass = definePass({
  type: 'background.replace',
  title: 'Replace background',
  category: 'background',
  description:
    'Composites the keyed piece (decontaminated foreground and alpha) over a transparent background, a solid colour, a linear or radial gradient, or an image, with the contact shadow layer darkening the new background.',
  inputs: [
    { name: 'foreground', description: 'piece colour premultiplied by alpha (background.key:foreground)' },
    { name: 'alpha', description: 'matte (red); the foreground\'s alpha when absent', optional: true },
    { name: 'shadow', description: 'shadow layer (red = darkening 0..1), e.g. background.key:shadow', optional: true },
    { name: 'background', description: 'background image for mode "image" (stretched to the output size)', optional: true },
  ],
  outputs: [{ name: 'out', description: 'composite (premultiplied; transparent mode keeps alpha for a PNG cutout)' }],
  params: {
    mode: { type: 'enum', options: REPLACE_MODES, default: 'color', description: 'what goes behind the piece' },
    color: { type: 'color', default: [1, 1, 1], description: 'background colour, or the gradient start' },
    color2: { type: 'color', default: [0.85, 0.85, 0.85], description: 'gradient end colour' },
    angle: { type: 'number', default: 90, min: -180, max: 180, unit: 'deg', step: 1, description: 'linear gradient direction (90 = top to bottom)' },
    centerX: { type: 'number', default: 50, min: 0, max: 100, unit: '%', step: 0.5, description: 'radial gradient centre, % of the width' },
    centerY: { type: 'number', default: 45, min: 0, max: 100, unit: '%', step: 0.5, description: 'radial gradient centre, % of the height' },
    radius: { type: 'number', default: 75, min: 1, max: 200, unit: '%', step: 0.5, description: 'radial gradient radius, % of half the image diagonal' },
    shadowOpacity: { type: 'number', default: 1, min: 0, max: 1, unit: '', step: 0.01, description: 'how much of the contact shadow is kept (0 drops it)' },
    shadowSoftness: { type: 'number', default: 0, min: 0, max: 200, unit: 'px', step: 0.5, description: 'extra blur of the shadow (Gaussian sigma)' },
  },
  shaders: ['background/replace', 'core/blur_gauss', 'core/downsample', 'core/resample'],
  run(ctx, inputs, p) {
    const fg = inputs.foreground!;
    const mode = p.mode as (typeof REPLACE_MODES)[number];
    if (mode === 'image' && !inputs.background) throw new Error('background.replace: mode "image" needs the background input connected');
    const softness = p.shadowSoftness as number;
    const shadow = inputs.shadow && softness > 0 ? gaussianBlur(ctx, inputs.shadow, softness) : inputs.shadow;
    const angle = ((p.angle as number) * Math.PI) / 180;
    const out = ctx.draw({
      shader: 'background/replace',
      inputs: {
        u_foreground: fg,
        ...(inputs.alpha ? { u_alpha: inputs.alpha } : {}),
        ...(shadow ? { u_shadow: shadow } : {}),
        ...(inputs.background ? { u_background: inputs.background } : {}),
      },
      uniforms: {
        u_hasAlpha: inputs.alpha ? 1 : 0,
        u_hasShadow: shadow ? 1 : 0,
        u_mode: REPLACE_MODES.indexOf(mode),
        u_color: p.color as number[],
        u_color2: p.color2 as number[],
        u_direction: [Math.cos(angle), Math.sin(angle)],
        u_center: [(p.centerX as number) / 100, (p.centerY as number) / 100],
        u_radius: (((p.radius as number) / 100) * Math.hypot(fg.width, fg.height)) / 2,
        u_shadowOpacity: p.shadowOpacity as number,
      },
    });
    return { out };
  },
});
