import type { GpuImage } from '../../gpu/texture-pool.js';
import { definePass } from '../types.js';
import { downsample2x, resample, type Drawer } from './resize.js';

/**
 * Most taps per side one pass draws (its TAP_COUNT define; blur_gauss.frag's
 * standalone default is the same): beyond it the blur runs on a coarser level.
 */
const MAX_TAPS = 32;
/** Above this sigma (in texels) the blur runs on a downsampled level. */
const DIRECT_SIGMA_MAX = 4;
/** Variance (texels^2 of the finer level) added by one [1 3 3 1]/8 downsample. */
const DOWNSAMPLE_VARIANCE = 0.75;
/** Largest sigma one separable pass covers with MAX_TAPS taps (radius ceil(3 sigma)). */
const MAX_PASS_SIGMA = MAX_TAPS / 3;

export interface GaussianTaps {
  centerWeight: number;
  /** weights[k - 1] applies at +k and -k texels. */
  weights: number[];
}

/**
 * Discrete Gaussian of radius ceil(3 sigma), normalised. Every tap is its own
 * texel-centre fetch: merging neighbours into one bilinear fetch would halve
 * the fetches, but GPUs interpolate with 8-bit weights (an error of up to
 * 1/512 of the neighbours' difference, 4.6e-4 measured on an NVIDIA H100),
 * which the float64 references could not mirror.
 */
export function gaussianTaps(sigma: number): GaussianTaps {
  const radius = Math.max(1, Math.ceil(3 * sigma));
  if (radius > MAX_TAPS) throw new Error(`internal: sigma ${sigma} needs ${radius} taps, more than ${MAX_TAPS}`);
  const w: number[] = [];
  for (let k = 0; k <= radius; k++) w.push(Math.exp((-k * k) / (2 * sigma * sigma)));
  const total = w[0] + 2 * w.slice(1).reduce((a, b) => a + b, 0);
  return { centerWeight: w[0] / total, weights: w.slice(1).map((x) => x / total) };
}

/**
 * Separable Gaussian at the current resolution. A sigma too wide for one
 * pass's taps is split into n equal passes (variances add: sigma / sqrt(n) each).
 */
function blurLevel(d: Drawer, img: GpuImage, sigma: number): GpuImage {
  const passes = Math.ceil((sigma / MAX_PASS_SIGMA) ** 2);
  const taps = gaussianTaps(sigma / Math.sqrt(passes));
  const uniforms = (dir: [number, number]) => ({ u_direction: dir, u_centerWeight: taps.centerWeight, u_weights: taps.weights });
  const defines = { TAP_COUNT: taps.weights.length };
  let cur = img;
  for (let i = 0; i < passes; i++) {
    const h = d.draw({ shader: 'core/blur_gauss', inputs: { u_image: cur }, uniforms: uniforms([1, 0]), defines });
    if (cur !== img) d.release(cur);
    cur = d.draw({ shader: 'core/blur_gauss', inputs: { u_image: h }, uniforms: uniforms([0, 1]), defines });
    d.release(h);
  }
  return cur;
}

/**
 * Gaussian blur of standard deviation `sigma` texels. Small sigmas run as two
 * separable passes at full resolution; large ones blur a downsampled level
 * and upsample bilinearly, with the residual sigma chosen so the variances of
 * downsample, blur and upsample add up to sigma^2. Cost stays roughly
 * constant in sigma.
 */
export function gaussianBlur(d: Drawer, img: GpuImage, sigma: number): GpuImage {
  if (sigma < 0.05) return resample(d, img, img.width, img.height);
  if (sigma <= DIRECT_SIGMA_MAX) return blurLevel(d, img, sigma);

  // Deepest level whose residual blur is still at least one texel.
  let level = 0;
  let downVariance = 0;
  let residual = sigma;
  for (let l = 1; l < 12; l++) {
    const dv = downVariance + DOWNSAMPLE_VARIANCE * 4 ** (l - 1);
    const upVariance = 4 ** l / 6; // bilinear upsampling: triangle of half-width 2^l
    const r = Math.sqrt(sigma * sigma - dv - upVariance) / 2 ** l;
    if (!(r >= 1)) break;
    if (Math.min(img.width, img.height) / 2 ** l < 8) break;
    level = l;
    downVariance = dv;
    residual = r;
  }
  if (level === 0) return blurLevel(d, img, sigma);
  let cur = img;
  for (let l = 0; l < level; l++) {
    const next = downsample2x(d, cur);
    if (cur !== img) d.release(cur);
    cur = next;
  }
  const blurred = blurLevel(d, cur, residual);
  d.release(cur);
  const out = resample(d, blurred, img.width, img.height);
  d.release(blurred);
  return out;
}

export const gaussianBlurPass = definePass({
  type: 'blur.gaussian',
  title: 'Gaussian blur',
  category: 'core',
  description: 'Separable Gaussian blur; large sigmas run on a downsampled level at near-constant cost.',
  inputs: [{ name: 'image', description: 'image to blur' }],
  outputs: [{ name: 'out', description: 'blurred image' }],
  params: {
    sigma: { type: 'number', default: 4, min: 0, max: 500, unit: 'px', step: 0.1, description: 'standard deviation of the Gaussian' },
  },
  shaders: ['core/blur_gauss', 'core/downsample', 'core/resample'],
  run(ctx, inputs, p) {
    return { out: gaussianBlur(ctx, inputs.image!, p.sigma as number) };
  },
});
