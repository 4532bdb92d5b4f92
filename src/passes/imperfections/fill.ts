import type { GpuImage } from '../../gpu/texture-pool.js';
import type { Drawer } from '../core/resize.js';
import { gaussianBlur } from '../core/gaussian.js';
import { definePass } from '../types.js';
import { FILL_PARAMS } from './params.js';
import { FILL_RELAX_STEPS, texturePlan } from './plan.js';

export const FILL_SHADERS = [
  'imperfections/fill_weight',
  'imperfections/box_down',
  'imperfections/fill_up',
  'imperfections/fill_relax',
  'imperfections/fill_tensor',
  'imperfections/fill_heal',
  'imperfections/fill_detail',
  'imperfections/fill_texture',
  'core/blur_gauss',
  'core/downsample',
  'core/resample',
] as const;

/** Push-pull goes down to this size: a hole of any size finds surroundings within log2(size) levels. */
const COARSEST_SIDE = 1;

/**
 * Replaces masked pixels (mask red channel, 0..1) from their surroundings;
 * unmasked pixels come back bit-exact. Push-pull pyramid (one draw per level
 * down and up) for the smooth part, plus interpolation along the local edge
 * or grain direction within `reach` pixels, plus texture copied from the
 * best-matching displaced neighbourhood (fill_texture.frag).
 * Bounded: 2 log2(size) + FILL_RELAX_STEPS + 7 draws up to reach 8 (a wider
 * tensor blur adds its pyramid levels).
 */
export function fillMasked(d: Drawer, image: GpuImage, mask: GpuImage, reach: number): GpuImage {
  if (mask.width !== image.width || mask.height !== image.height)
    throw new Error(`imperfections.fill: mask is ${mask.width}x${mask.height} but the image is ${image.width}x${image.height}`);
  const levels: GpuImage[] = [d.draw({ shader: 'imperfections/fill_weight', inputs: { u_image: image, u_mask: mask } })];
  while (Math.max(levels[levels.length - 1].width, levels[levels.length - 1].height) > COARSEST_SIDE) {
    const prev = levels[levels.length - 1];
    levels.push(d.draw({ shader: 'imperfections/box_down', inputs: { u_image: prev }, width: Math.ceil(prev.width / 2), height: Math.ceil(prev.height / 2) }));
  }
  const plan = texturePlan(reach);
  const detailUniforms = { u_lowSigma: plan.lowSigma, u_detailRadius: plan.detailRadius, u_detailStep: plan.detailStep, u_detailRangeSigma: plan.detailRangeSigma };
  // The texture layer: the image minus its edge-aware local mean over valid
  // texels, drawn only within the texture stage's reach of a masked texel:
  // the pyramid level whose blocks span that reach says where (validity < 1).
  const nearLevel = Math.min(levels.length - 1, Math.ceil(Math.log2(plan.detailReach)));
  const detail = d.draw({
    shader: 'imperfections/fill_detail',
    inputs: { u_image: image, u_mask: mask, u_near: levels[nearLevel] },
    uniforms: { ...detailUniforms, u_nearBlock: 2 ** nearLevel },
  });
  // Pull: fill from the coarsest level up to level 0.
  let filled: GpuImage | undefined;
  for (let l = levels.length - 1; l >= 0; l--) {
    const next = d.draw({
      shader: 'imperfections/fill_up',
      inputs: filled ? { u_level: levels[l], u_coarser: filled } : { u_level: levels[l] },
      uniforms: { u_hasCoarser: filled ? 1 : 0 },
    });
    if (filled) d.release(filled);
    d.release(levels[l]);
    filled = next;
  }
  // Membrane relaxation of the masked texels, a fixed number of steps.
  let smooth = filled!;
  for (let i = 0; i < FILL_RELAX_STEPS; i++) {
    const next = d.draw({ shader: 'imperfections/fill_relax', inputs: { u_image: image, u_mask: mask, u_current: smooth } });
    d.release(smooth);
    smooth = next;
  }

  const tensorRaw = d.draw({ shader: 'imperfections/fill_tensor', inputs: { u_image: image, u_mask: mask } });
  const tensor = gaussianBlur(d, tensorRaw, reach / 2);
  d.release(tensorRaw);
  const fill = d.draw({
    shader: 'imperfections/fill_heal',
    inputs: { u_image: image, u_mask: mask, u_smooth: smooth, u_tensor: tensor },
    uniforms: { u_reach: reach },
  });
  d.release(tensor);
  d.release(smooth);
  const out = d.draw({
    shader: 'imperfections/fill_texture',
    inputs: { u_image: image, u_mask: mask, u_fill: fill, u_detail: detail },
    uniforms: {
      u_shiftX: plan.shiftX,
      u_shiftY: plan.shiftY,
      u_shiftCount: plan.shiftX.length,
      u_windowRadius: plan.windowRadius,
      u_windowSigma: plan.windowSigma,
      ...detailUniforms,
    },
  });
  d.release(fill);
  d.release(detail);
  return out;
}

export const fillPass = definePass({
  type: 'imperfections.fill',
  title: 'Fill masked pixels',
  category: 'imperfections',
  description:
    'Rebuilds masked pixels from their surroundings, as healing does: push-pull pyramid fill for the smooth part, continued along edges and grain where the surroundings are oriented, plus texture copied from the best-matching nearby patch. Only masked pixels change; a bounded number of passes.',
  inputs: [
    { name: 'image', description: 'photo to repair' },
    { name: 'mask', description: 'pixels to replace (red channel, 0..1; partial values blend)' },
  ],
  outputs: [{ name: 'out', description: 'repaired photo' }],
  params: FILL_PARAMS,
  shaders: FILL_SHADERS,
  run(ctx, inputs, p) {
    return { out: fillMasked(ctx, inputs.image!, inputs.mask!, p.reach as number) };
  },
});
