import type { GpuImage } from '../../gpu/texture-pool.js';
import type { Drawer } from '../core/resize.js';
import { definePass } from '../types.js';
import { detectDefects, detectionSettings, DETECT_SHADERS } from './detect.js';
import { fillMasked, FILL_SHADERS } from './fill.js';
import { DETECT_PARAMS, FILL_PARAMS } from './params.js';

/** Must match MAX_SPOTS in shaders/imperfections/spots.frag. */
export const MAX_SPOTS = 64;

/** Adds heal spots (mode 1) to a mask and clears protect spots (mode 0); coordinates in render pixels. */
export function applySpots(d: Drawer, mask: GpuImage, spots: number[][]): GpuImage {
  const field = (f: number) => spots.map((s) => s[f]);
  return d.draw({
    shader: 'imperfections/spots',
    inputs: { u_mask: mask },
    uniforms: { u_spotX: field(0), u_spotY: field(1), u_spotRadius: field(2), u_spotMode: field(3), u_spotCount: spots.length },
  });
}

export const healPass = definePass({
  type: 'imperfections.heal',
  title: 'Heal dust and scratches',
  category: 'imperfections',
  description:
    'Detects dust specks and short scratches (as imperfections.detect), adds or vetoes manual spots, and fills the result (as imperfections.fill). Only masked pixels change.',
  inputs: [{ name: 'image', description: 'photo to clean' }],
  outputs: [
    { name: 'out', description: 'cleaned photo' },
    { name: 'mask', description: 'what was healed: automatic detections plus heal spots, minus protected spots' },
  ],
  params: {
    ...DETECT_PARAMS,
    ...FILL_PARAMS,
    spots: {
      type: 'list',
      fields: ['x', 'y', 'radius', 'mode'],
      spatial: [true, true, true, false],
      maxItems: MAX_SPOTS,
      default: [],
      description: 'manual spots: centre x, y and radius in source pixels (origin at the top-left corner); mode 1 heals the disc, mode 0 protects it from any change',
    },
  },
  shaders: [...new Set([...DETECT_SHADERS, 'imperfections/spots', ...FILL_SHADERS])],
  run(ctx, inputs, p) {
    const spots = p.spots as number[][];
    for (const [i, s] of spots.entries()) {
      if (s[2] < 0) throw new Error(`imperfections.heal: spot ${i} has a negative radius ${s[2]}`);
      if (s[3] !== 0 && s[3] !== 1) throw new Error(`imperfections.heal: spot ${i} has mode ${s[3]}; use 1 (heal) or 0 (protect)`);
    }
    const detected = detectDefects(ctx, inputs.image!, detectionSettings(p));
    let mask = detected;
    if (spots.length > 0) {
      mask = applySpots(ctx, detected, spots);
      ctx.release(detected);
    }
    const out = fillMasked(ctx, inputs.image!, mask, p.reach as number);
    return { out, mask };
  },
});

