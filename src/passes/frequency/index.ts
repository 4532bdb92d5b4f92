import type { GpuImage } from '../../gpu/texture-pool.js';
import { BLEND_MODES } from '../core/blend.js';
import { gaussianBlur } from '../core/gaussian.js';
import type { Drawer } from '../core/resize.js';
import { definePass, type PassDefinition } from '../types.js';
import { BILATERAL_SHADERS, bilateralFilter } from './bilateral.js';

/** a·weightA (op) b·weightB through shaders/core/blend.frag, optionally mixed over a by a mask. */
export function combine(d: Drawer, a: GpuImage, b: GpuImage, mode: (typeof BLEND_MODES)[number], weightA: number, weightB: number, mask?: GpuImage): GpuImage {
  return d.draw({
    shader: 'core/blend',
    inputs: mask ? { u_a: a, u_b: b, u_mask: mask } : { u_a: a, u_b: b },
    uniforms: { u_hasMask: mask ? 1 : 0, u_mode: BLEND_MODES.indexOf(mode), u_weightA: weightA, u_weightB: weightB, u_opacity: 1 },
  });
}

export const frequencySplitPass = definePass({
  type: 'frequency.split',
  title: 'Frequency separation',
  category: 'frequency',
  description:
    'Splits an image into a low-frequency layer (tone, colour, blotches) and a signed float high-frequency layer (texture, engraving, facet edges) with low + high = image. "edge-aware" uses a bilateral low pass so strong edges stay in the low layer and the high layer has no halos. For more than two bands, split the low output again with a larger radius.',
  inputs: [{ name: 'image', description: 'image to split' }],
  outputs: [
    { name: 'low', description: 'low-frequency layer (smoothed image)' },
    { name: 'high', description: 'signed high-frequency layer: image - low' },
  ],
  params: {
    method: { type: 'enum', options: ['gaussian', 'edge-aware'], default: 'gaussian', description: 'low pass: Gaussian blur, or range-level bilateral guided by luminance' },
    radius: { type: 'number', default: 6, min: 0.5, max: 200, unit: 'px', step: 0.1, description: 'spatial standard deviation of the low pass: detail finer than this goes to the high layer' },
    edgeTolerance: { type: 'number', default: 0.1, min: 0.04, max: 1, unit: '', step: 0.01, description: 'edge-aware only: range sigma in sRGB-encoded luminance (0..1); edges of larger contrast stay in the low layer' },
  },
  shaders: [...BILATERAL_SHADERS, 'core/blend'],
  run(ctx, inputs, p) {
    const image = inputs.image!;
    const radius = p.radius as number;
    const low =
      p.method === 'edge-aware'
        ? bilateralFilter(ctx, image, radius, p.edgeTolerance as number)
        : gaussianBlur(ctx, image, radius);
    return { low, high: combine(ctx, image, low, 'subtract', 1, 1) };
  },
});

/**
 * Linear luminance added to both sides of the tone-transfer ratio: ~3/255 once
 * sRGB-encoded, so near-black pixels (where the ratio is ill-conditioned) get
 * a bounded gain instead of amplified colour noise.
 */
export const TONE_TRANSFER_EPSILON = 1e-3;

export const frequencyCleanLowPass = definePass({
  type: 'frequency.clean-low',
  title: 'Clean low-frequency layer',
  category: 'frequency',
  description:
    'Evens out blotches and uneven tone in a low-frequency layer with a wide bilateral: luminance variations below the tolerance are smoothed, edges above it are kept. Only the smoothed luminance is applied; each pixel keeps its chromaticity, so a gold band is not blended with a white or linen backdrop of similar luminance. An optional mask limits where.',
  inputs: [
    { name: 'low', description: 'low-frequency layer (frequency.split:low)' },
    { name: 'mask', description: 'where to clean (red channel, 0..1); everywhere when absent', optional: true },
  ],
  outputs: [{ name: 'out', description: 'cleaned low-frequency layer' }],
  params: {
    amount: { type: 'number', default: 1, min: 0, max: 1, unit: '', step: 0.01, description: 'how much of the smoothed layer replaces the original' },
    radius: { type: 'number', default: 24, min: 1, max: 400, unit: 'px', step: 0.5, description: 'spatial sigma: the size of blotches to even out' },
    tolerance: { type: 'number', default: 0.06, min: 0.04, max: 1, unit: '', step: 0.01, description: 'range sigma in sRGB-encoded luminance: tone differences well above it are edges and are kept' },
  },
  shaders: [...BILATERAL_SHADERS, 'frequency/tone_transfer', 'core/blend'],
  run(ctx, inputs, p) {
    const low = inputs.low!;
    const smoothed = bilateralFilter(ctx, low, p.radius as number, p.tolerance as number);
    const toned = ctx.draw({ shader: 'frequency/tone_transfer', inputs: { u_image: low, u_smoothed: smoothed }, uniforms: { u_epsilon: TONE_TRANSFER_EPSILON } });
    ctx.release(smoothed);
    const out = combine(ctx, low, toned, 'mix', 1, p.amount as number, inputs.mask);
    ctx.release(toned);
    return { out };
  },
});

export const frequencyRecombinePass = definePass({
  type: 'frequency.recombine',
  title: 'Recombine frequencies',
  category: 'frequency',
  description: 'low + gain · high, in float: with gain 1 and untouched layers it reproduces the split image.',
  inputs: [
    { name: 'low', description: 'low-frequency layer' },
    { name: 'high', description: 'signed high-frequency layer' },
  ],
  outputs: [{ name: 'out', description: 'recombined image' }],
  params: {
    highGain: { type: 'number', default: 1, min: 0, max: 4, unit: 'x', step: 0.01, description: 'gain of the high layer: < 1 softens texture, > 1 strengthens it' },
  },
  shaders: ['core/blend'],
  run(ctx, inputs, p) {
    return { out: combine(ctx, inputs.low!, inputs.high!, 'add', 1, p.highGain as number) };
  },
});

export const FREQUENCY_PASSES: PassDefinition[] = [frequencySplitPass, frequencyCleanLowPass, frequencyRecombinePass];
