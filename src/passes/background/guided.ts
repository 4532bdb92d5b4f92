import type { GpuImage } from '../../gpu/texture-pool.js';
import { downsampleTogether, type Drawer } from '../core/resize.js';

/**
 * Must match MAX_BOX_RADIUS in shaders/chunks/box.glsl. Large enough for the
 * keyer's default windows under a preset's referenceSize of 512 on the
 * largest texture (16384 px: refineRadius 4 -> 128 texels).
 */
export const MAX_BOX_RADIUS = 128;

/** Box mean of radius `radius` texels (window 2r+1), in-bounds normalised, all four channels. */
export function boxMean(d: Drawer, img: GpuImage, radius: number): GpuImage {
  return separableBox(d, img, radius, 'background/box_mean');
}

const BLOCKED_MIN_RADIUS = 8;

/**
 * Block length for one axis of a box of radius `radius` over `extent` texels
 * (chunks/box): 1 runs the single-tap window, more runs a block draw and a
 * combining draw. The two draws cost about block + (2r+1) / block + block
 * taps plus one more draw, so blocks pay from radius BLOCKED_MIN_RADIUS on.
 */
export function boxBlockLength(radius: number, extent: number): number {
  if (radius < BLOCKED_MIN_RADIUS) return 1;
  return Math.max(1, Math.min(radius + 1, extent, Math.round(Math.sqrt((2 * radius + 1) / 2))));
}

/**
 * One axis of a box filter with a shader that reads u_direction, u_radius,
 * u_block and u_stage (see chunks/box), with blocks of `block` texels.
 */
export function boxAxis(d: Drawer, img: GpuImage, radius: number, shader: string, direction: [number, number], block: number): GpuImage {
  const extent = direction[0] ? img.width : img.height;
  if (!(Number.isInteger(block) && block >= 1 && block <= radius + 1 && block <= extent))
    throw new RangeError(`box block ${block} must be an integer in 1..min(radius + 1, ${extent}) for radius ${radius}`);
  const uniforms = { u_direction: direction, u_radius: radius, u_block: block };
  const blocks = block > 1 ? d.draw({ shader, inputs: { u_image: img }, uniforms: { ...uniforms, u_stage: 1 } }) : img;
  const out = d.draw({ shader, inputs: { u_image: img, u_blocks: blocks }, uniforms: { ...uniforms, u_stage: 2 } });
  if (blocks !== img) d.release(blocks);
  return out;
}

/** Separable box filter of radius `radius` texels with a shader that reads u_direction, u_radius, u_block and u_stage (see chunks/box). */
export function separableBox(d: Drawer, img: GpuImage, radius: number, shader: string): GpuImage {
  const r = Math.round(radius);
  if (r < 0 || r > MAX_BOX_RADIUS) throw new RangeError(`box radius ${radius} is outside 0..${MAX_BOX_RADIUS} texels`);
  const h = boxAxis(d, img, r, shader, [1, 0], boxBlockLength(r, img.width));
  const v = boxAxis(d, h, r, shader, [0, 1], boxBlockLength(r, img.height));
  d.release(h);
  return v;
}

export interface GuidedOptions {
  /** Window radius in texels of the full-resolution guide. */
  radius: number;
  /** Ridge on the slope a (guide values are linear 0..1, so eps is in those units squared). */
  eps: number;
  /** Coefficients are computed at 1/subsample resolution (1, 2 or 4): the fast guided filter. */
  subsample: number;
  /** Trimap image: blue caps the output, green pins 0 (< 0.25) and 1 (> 0.75). */
  trimap?: GpuImage;
  /** Clamp the output to 0..1 (true for mattes). */
  clamp?: boolean;
}

/**
 * Colour guided filter of `input` (red channel) guided by the RGB of `guide`.
 * Output: q in r = g = b, alpha 1. With subsample s > 1 the window statistics
 * and coefficients are computed on a [1 3 3 1] pyramid level and only the
 * final q = a . I + b uses the full-resolution guide.
 */
export function guidedFilter(d: Drawer, guide: GpuImage, input: GpuImage, o: GuidedOptions): GpuImage {
  const levels = Math.round(Math.log2(o.subsample));
  if (!(o.subsample >= 1 && 2 ** levels === o.subsample)) throw new RangeError(`guided filter subsample must be 1, 2 or 4, got ${o.subsample}`);
  const [smallGuide, smallInput] = downsampleTogether(d, [guide, input], levels);
  const radius = Math.max(1, Math.round(o.radius / o.subsample));
  const means: GpuImage[] = [];
  for (let part = 0; part < 4; part++) {
    const products = d.draw({ shader: 'background/guided_moments', inputs: { u_guide: smallGuide, u_input: smallInput }, uniforms: { u_part: part } });
    means.push(boxMean(d, products, radius));
    d.release(products);
  }
  if (smallGuide !== guide) d.release(smallGuide);
  if (smallInput !== input) d.release(smallInput);
  const coeffs = d.draw({
    shader: 'background/guided_coeffs',
    inputs: { u_mean0: means[0], u_mean1: means[1], u_mean2: means[2], u_mean3: means[3] },
    uniforms: { u_eps: o.eps },
  });
  for (const m of means) d.release(m);
  const meanCoeffs = boxMean(d, coeffs, radius);
  d.release(coeffs);
  const out = d.draw({
    shader: 'background/guided_apply',
    inputs: o.trimap ? { u_guide: guide, u_coeffs: meanCoeffs, u_trimap: o.trimap } : { u_guide: guide, u_coeffs: meanCoeffs },
    uniforms: { u_hasTrimap: o.trimap ? 1 : 0, u_clamp: o.clamp ? 1 : 0 },
    width: guide.width,
    height: guide.height,
  });
  d.release(meanCoeffs);
  return out;
}
