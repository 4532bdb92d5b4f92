import type { GpuImage } from '../../gpu/texture-pool.js';
import type { Drawer } from '../core/resize.js';
import { gaussianBlur } from '../core/gaussian.js';
import type { ParamSchemas } from '../schema.js';
import { definePass } from '../types.js';
import { SMUDGE_CLIP, SMUDGE_EDGE, SMUDGE_GROW_GAIN, SMUDGE_MIN_CHANGE, SMUDGE_WEIGHT_SCALE, smudgePlan, type SmudgeSettings } from './smudge-plan.js';

export const SMUDGE_SHADERS = [
  'imperfections/smudge_prep',
  'imperfections/smudge_clip',
  'imperfections/smudge_weight',
  'imperfections/smudge_stats',
  'imperfections/smudge_reduce',
  'imperfections/smudge_activity',
  'imperfections/smudge_mask',
  'imperfections/smudge_grow',
  'imperfections/smudge_apply',
  'core/blur_gauss',
  'core/downsample',
  'core/resample',
] as const;

export const SMUDGE_PARAMS = {
  sensitivity: {
    type: 'number', default: 0.5, min: 0, max: 1, unit: '', step: 0.01,
    description: 'how faint a blotch is still removed: the threshold on its deviation from the surround is the largest of (1.5 - s)/255, (6 - 4 s) x the deviation level of the neighbouring blocks and (3 - 2 s) x their fine texture and noise level',
  },
  size: {
    type: 'number', default: 5, min: 1, max: 20, unit: '%', step: 0.5,
    description: 'scale of the smudges looked for, % of the image height (sigma of the surround estimate; blotches of about 0.4 to 1.4 times it are found)',
  },
} as const satisfies ParamSchemas;

/**
 * Finds soft low-contrast blotches (fingerprints, haze) on smooth surfaces and
 * removes their low frequencies: the blotch is the low-passed colour minus a
 * surround estimate that leaves the blotch out (normalised convolution), kept
 * where it stands above the local deviation, texture and noise levels and no
 * edge is near. Returns the corrected image (only masked texels change) and
 * the mask. Bounded: four blurs and blockLevel + 8 other draws.
 */
export function removeSmudges(d: Drawer, image: GpuImage, settings: SmudgeSettings): { out: GpuImage; mask: GpuImage } {
  const plan = smudgePlan(settings, image.height);
  const display = d.draw({ shader: 'imperfections/smudge_prep', inputs: { u_image: image } });
  const coarse = gaussianBlur(d, display, plan.surroundSigma);
  const clipped = d.draw({ shader: 'imperfections/smudge_clip', inputs: { u_display: display, u_coarse: coarse }, uniforms: { u_clip: SMUDGE_CLIP } });
  d.release(display);
  const low = gaussianBlur(d, clipped, plan.lowSigma);
  const weighted = d.draw({ shader: 'imperfections/smudge_weight', inputs: { u_clipped: clipped, u_low: low, u_coarse: coarse }, uniforms: { u_weightScale: SMUDGE_WEIGHT_SCALE } });
  for (const img of [clipped, coarse]) d.release(img);
  const surround = gaussianBlur(d, weighted, plan.surroundSigma);
  d.release(weighted);

  let blocks = d.draw({ shader: 'imperfections/smudge_stats', inputs: { u_low: low, u_surround: surround }, uniforms: { u_lowSigma: plan.lowSigma } });
  for (let l = 0; l < plan.blockLevel; l++) {
    const next = d.draw({ shader: 'imperfections/smudge_reduce', inputs: { u_image: blocks }, width: Math.ceil(blocks.width / 2), height: Math.ceil(blocks.height / 2) });
    d.release(blocks);
    blocks = next;
  }
  const activity = d.draw({ shader: 'imperfections/smudge_activity', inputs: { u_blocks: blocks } });
  d.release(blocks);
  const core = d.draw({
    shader: 'imperfections/smudge_mask',
    inputs: { u_low: low, u_surround: surround, u_activity: activity },
    uniforms: { u_floor: plan.floor, u_deviationFactor: plan.deviationFactor, u_fineFactor: plan.fineFactor, u_edge: SMUDGE_EDGE, u_surroundSigma: plan.surroundSigma },
    width: image.width,
    height: image.height,
  });
  d.release(activity);
  const spread = gaussianBlur(d, core, plan.lowSigma);
  d.release(core);
  const mask = d.draw({
    shader: 'imperfections/smudge_grow',
    inputs: { u_core: spread, u_low: low, u_surround: surround },
    uniforms: { u_gain: SMUDGE_GROW_GAIN, u_minChange: SMUDGE_MIN_CHANGE },
  });
  d.release(spread);
  const out = d.draw({ shader: 'imperfections/smudge_apply', inputs: { u_image: image, u_mask: mask, u_low: low, u_surround: surround } });
  for (const img of [low, surround]) d.release(img);
  return { out, mask };
}

export const smudgesPass = definePass({
  type: 'imperfections.smudges',
  title: 'Remove smudges',
  category: 'imperfections',
  description:
    'Finds soft low-contrast blotches (fingerprints, haze) on smooth metal or backdrop and removes their tone and colour, keeping the texture. Textured areas, edges, facets, chains and the outline of the piece are left alone. Only masked pixels change.',
  inputs: [{ name: 'image', description: 'photo to clean' }],
  outputs: [
    { name: 'out', description: 'photo with the blotches evened out' },
    { name: 'mask', description: 'smudge mask (red channel, 0..1): how much of each blotch was removed' },
  ],
  params: SMUDGE_PARAMS,
  shaders: SMUDGE_SHADERS,
  run(ctx, inputs, p) {
    return removeSmudges(ctx, inputs.image!, { sensitivity: p.sensitivity as number, size: p.size as number });
  },
});
