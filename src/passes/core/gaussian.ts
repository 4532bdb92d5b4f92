import type { GpuImage } from '../../gpu/texture-pool.js';
import { definePass } from '../types.js';
import { downsample2x, resample, type Drawer } from './resize.js';

/**
 * Most merged taps one pass draws (its TAP_COUNT define; blur_gauss.frag's
 * standalone default is the same): beyond it the blur runs on a coarser level.
 */
const MAX_TAPS = 16;
/** Above this sigma (in texels) the blur runs on a downsampled level. */
const DIRECT_SIGMA_MAX = 4;
/** Variance (texels^2 of the finer level) added by one [1 3 3 1]/8 downsample. */
const DOWNSAMPLE_VARIANCE = 0.75;

export interface LinearTaps {
  centerWeight: number;
  offsets: number[];
  weights: number[];
}

/**
 * Discrete Gaussian of radius ceil(3 sigma), normalised, with neighbouring
 * taps merged pairwise into bilinear fetches at their weighted midpoint.
 */
export function gaussianTaps(sigma: number, linearFilter = true): LinearTaps {
  const radius = Math.max(1, Math.ceil(3 * sigma));
  const w: number[] = [];
  for (let k = 0; k <= radius; k++) w.push(Math.exp((-k * k) / (2 * sigma * sigma)));
  const total = w[0] + 2 * w.slice(1).reduce((a, b) => a + b, 0);
  const norm = w.map((x) => x / total);
  const offsets: number[] = [];
  const weights: number[] = [];
  if (!linearFilter) {
    for (let k = 1; k <= radius; k++) {
      offsets.push(k);
      weights.push(norm[k]);
    }
  } else {
    for (let k = 1; k <= radius; k += 2) {
      const w1 = norm[k];
      const w2 = k + 1 <= radius ? norm[k + 1] : 0;
      offsets.push((k * w1 + (k + 1) * w2) / (w1 + w2));
      weights.push(w1 + w2);
    }
  }
  if (offsets.length > MAX_TAPS) throw new Error(`internal: sigma ${sigma} needs ${offsets.length} taps, more than ${MAX_TAPS}`);
  return { centerWeight: norm[0], offsets, weights };
}

/** Largest sigma one separable pass covers with MAX_TAPS taps. */
function maxPassSigma(linearFilter: boolean): number {
  return ((linearFilter ? 2 * MAX_TAPS : MAX_TAPS) - 1) / 3;
}

/**
 * Separable Gaussian at the current resolution. A sigma too wide for one
 * pass's taps is split into n equal passes (variances add: sigma / sqrt(n) each).
 */
function blurLevel(d: Drawer, img: GpuImage, sigma: number, linearFilter: boolean): GpuImage {
  const passes = Math.ceil((sigma / maxPassSigma(linearFilter)) ** 2);
  const taps = gaussianTaps(sigma / Math.sqrt(passes), linearFilter);
  const uniforms = (dir: [number, number]) => ({
    u_direction: dir,
    u_centerWeight: taps.centerWeight,
    u_offsets: taps.offsets,
    u_weights: taps.weights,
  });
  const defines = { TAP_COUNT: taps.offsets.length };
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
export function gaussianBlur(d: Drawer, img: GpuImage, sigma: number, linearFilter = true): GpuImage {
  if (sigma < 0.05) return resample(d, img, img.width, img.height);
  const directMax = linearFilter ? DIRECT_SIGMA_MAX : DIRECT_SIGMA_MAX / 2;
  if (sigma <= directMax) return blurLevel(d, img, sigma, linearFilter);

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
  if (level === 0) return blurLevel(d, img, sigma, linearFilter);
  let cur = img;
  for (let l = 0; l < level; l++) {
    const next = downsample2x(d, cur);
    if (cur !== img) d.release(cur);
    cur = next;
  }
  const blurred = blurLevel(d, cur, residual, linearFilter);
  d.release(cur);
  const out = resample(d, blurred, img.width, img.height);
  d.release(blurred);
  return out;
}

export const gaussianBlurPass = definePass({
  type: 'blur.gaussian',
  title: 'Gaussian blur',
  category: 'core',
  description: 'Separable Gaussian blur with linear-sampling taps; large sigmas run on a downsampled level at near-constant cost.',
  inputs: [{ name: 'image', description: 'image to blur' }],
  outputs: [{ name: 'out', description: 'blurred image' }],
  params: {
    sigma: { type: 'number', default: 4, min: 0, max: 500, unit: 'px', step: 0.1, description: 'standard deviation of the Gaussian' },
  },
  shaders: ['core/blur_gauss', 'core/downsample', 'core/resample'],
  run(ctx, inputs, p) {
    return { out: gaussianBlur(ctx, inputs.image!, p.sigma as number, ctx.caps.linearFilter) };
  },
});
