import type { GpuImage } from '../../gpu/texture-pool.js';
import { gaussianBlur } from '../core/gaussian.js';
import { downsample2x, resample, type Drawer } from '../core/resize.js';

/** The coarse fit of the normalized convolution runs at this multiple of sigma. */
export const COARSE_SIGMA_FACTOR = 4;

/**
 * A Gaussian wider than half the image's smaller side is a global fit
 * already, and the pyramid blur needs levels of at least 8 texels.
 */
export function fitSigma(image: GpuImage, sigma: number): number {
  return Math.min(sigma, Math.min(image.width, image.height) / 2);
}

/**
 * Weighted mean over the whole image as a 1x1 image (rgb * w, w), by halving
 * with the [1 3 3 1] kernel down to one texel. `packed` holds (rgb * w, w).
 */
export function reduceToMean(d: Drawer, packed: GpuImage): GpuImage {
  return reduceToGrid(d, packed, 1);
}

/**
 * reduceToMean stopped at a grid whose longer side has at most `maxSide`
 * cells: each cell holds the [1 3 3 1]-weighted mean of its region.
 */
function reduceToGrid(d: Drawer, packed: GpuImage, maxSide: number): GpuImage {
  let cur = packed;
  while (Math.max(cur.width, cur.height) > maxSide) {
    const next = downsample2x(d, cur);
    if (cur !== packed) d.release(cur);
    cur = next;
  }
  return cur === packed ? d.draw({ shader: 'core/resample', inputs: { u_image: packed } }) : cur;
}

/** Mean colour of `image` over the weight (red of `weight`) as a 1x1 image (rgb * w, w). */
export function weightedMean(d: Drawer, image: GpuImage, weight: GpuImage): GpuImage {
  const packed = d.draw({ shader: 'light/weight_pack', inputs: { u_image: image, u_weight: weight }, uniforms: { u_invert: 0 } });
  const mean = reduceToMean(d, packed);
  d.release(packed);
  return mean;
}

/**
 * Weight (in units of the blurred weight, 1 = a window full of backdrop) of
 * the prior that pulls the normalized-convolution fit to the weight's global
 * mean colour. Far above float32 rounding of the moments, far below the
 * weight where a fit is trusted (>= 0.02): the bias there is <= 0.5 % of the
 * difference from the mean.
 */
export const NC_PRIOR_WEIGHT = 1e-4;

/**
 * Zeroth-order normalized convolution: Gaussian average of `image` over the
 * weight (red of `weight`, or 1 - red with invert). Returns (rgb * w, w)
 * blurred; shaders divide rgb by alpha to get the average.
 */
export function weightedBlur(d: Drawer, image: GpuImage, weight: GpuImage, sigma: number, invert = false): GpuImage {
  const packed = d.draw({ shader: 'light/weight_pack', inputs: { u_image: image, u_weight: weight }, uniforms: { u_invert: invert ? 1 : 0 } });
  const blurred = gaussianBlur(d, packed, sigma);
  d.release(packed);
  return blurred;
}

/**
 * The fit is solved on the pyramid level where the fine sigma still spans at
 * least this many texels, then upsampled bilinearly: it varies on the scale
 * of sigma, so a cell of sigma / 8 or less interpolates it to well under 1/255.
 */
export const SOLVE_TEXELS_PER_SIGMA = 8;

/** Variance (texels^2 of the finer level) added by one [1 3 3 1]/8 downsample, as in core/gaussian. */
const DOWNSAMPLE_VARIANCE = 0.75;

/** Halvings of `image` for a fit of sigma `sigma` (see SOLVE_TEXELS_PER_SIGMA); levels keep at least 8 texels. */
export function solveLevel(image: GpuImage, sigma: number): number {
  let level = 0;
  while (sigma / 2 ** (level + 1) >= SOLVE_TEXELS_PER_SIGMA && Math.min(image.width, image.height) / 2 ** (level + 1) >= 8) level++;
  return level;
}

/**
 * First-order normalized convolution (Knutsson & Westin 1993): per pixel, the
 * Gaussian-weighted linear fit of `image` over the weight `weight` (red),
 * evaluated at the pixel. Unlike blur(I*m)/blur(m) it is unbiased next to
 * holes in the weight when the image has a gradient (vignetting), so the
 * illumination under and around the piece follows the backdrop without a
 * halo. A fit at COARSE_SIGMA_FACTOR * sigma fills holes larger than the
 * fine Gaussian. `ridge` damps the slope where the weight is one-sided or
 * degenerate; it is absolute (not scaled by the blurred weight), so where
 * little weight lies in the window the fit falls back to the weighted mean
 * instead of an ill-conditioned extrapolation. It biases the fit by about
 * slope * sigma * ridge / (blurred weight). Where no weight reaches at all,
 * the fit is the weight's global mean colour (NC_PRIOR_WEIGHT). Output: the
 * fitted colour, opaque.
 *
 * Cost: the moments are computed once (coordinates in units of the fine
 * sigma; the coarse fit rescales its ridge to match) and halved down to
 * solveLevel, both blurs, the prior's global means and the solve run there,
 * and only the fitted colour is upsampled to full resolution.
 */
export function normalizedConvolution(d: Drawer, image: GpuImage, weight: GpuImage, sigma: number, ridge = 1e-3): GpuImage {
  sigma = fitSigma(image, sigma);
  const coarseSigma = fitSigma(image, sigma * COARSE_SIGMA_FACTOR);
  const level = solveLevel(image, sigma);
  // The downsampling already blurred the moments by this variance (full-resolution texels^2).
  let downVariance = 0;
  for (let l = 0; l < level; l++) downVariance += DOWNSAMPLE_VARIANCE * 4 ** l;
  const levelSigma = (s: number) => Math.sqrt(s * s - downVariance) / 2 ** level;
  const fine: GpuImage[] = [];
  const coarse: GpuImage[] = [];
  // The prior (the weight's global mean colour) is the mean of moments 0 (m) and 2 (m * colour).
  const priorSums: GpuImage[] = [];
  for (let part = 0; part < 4; part++) {
    let m = d.draw({ shader: 'light/nc_moments', inputs: { u_image: image, u_weight: weight }, uniforms: { u_sigma: sigma, u_part: part } });
    for (let l = 0; l < level; l++) {
      const next = downsample2x(d, m);
      d.release(m);
      m = next;
    }
    if (part === 0 || part === 2) priorSums.push(reduceToMean(d, m));
    fine.push(gaussianBlur(d, m, levelSigma(sigma)));
    coarse.push(gaussianBlur(d, m, levelSigma(coarseSigma)));
    d.release(m);
  }
  const solved = d.draw({
    shader: 'light/nc_solve',
    inputs: {
      u_fine0: fine[0], u_fine1: fine[1], u_fine2: fine[2], u_fine3: fine[3],
      u_coarse0: coarse[0], u_coarse1: coarse[1], u_coarse2: coarse[2], u_coarse3: coarse[3],
      u_priorWeightSum: priorSums[0], u_priorColorSum: priorSums[1],
    },
    uniforms: {
      u_sourceSize: [image.width, image.height], u_sigma: sigma,
      // A slope per fine sigma is (coarse / fine) times a slope per coarse sigma, so the ridge scales by its square.
      u_ridgeFine: ridge, u_ridgeCoarse: ridge * (coarseSigma / sigma) ** 2, u_priorWeight: NC_PRIOR_WEIGHT,
    },
  });
  for (const t of [...fine, ...coarse, ...priorSums]) d.release(t);
  if (level === 0) return solved;
  const out = resample(d, solved, image.width, image.height);
  d.release(solved);
  return out;
}

/**
 * Local luminance statistics: Gaussian-blurred (L, L^2) at `sigma` texels,
 * from which shaders read the relative local contrast sqrt(var) / mean.
 */
export function localContrastStats(d: Drawer, image: GpuImage, sigma: number): GpuImage {
  const lumaMoments = d.draw({ shader: 'light/luma_moments', inputs: { u_image: image } });
  const stats = gaussianBlur(d, lumaMoments, sigma);
  d.release(lumaMoments);
  return stats;
}

/** Rounds of the truncated mean in estimateNoise. */
const NOISE_ROUNDS = 3;
/** estimateNoise's cells per side of the frame, at most (chunks/noise_cells.glsl holds up to 64). */
const NOISE_GRID = 32;

/**
 * The image's noise as a relative standard deviation, 1x1 (estimate, 0, 0, 1):
 * divide r by a (shaders read it through chunks/noise). A truncated mean of
 * the local relative standard deviation (`stats` from localContrastStats):
 * each round keeps the pixels below twice the previous estimate, which
 * leaves the smooth backdrop, whose local deviation is its noise. The mean
 * is taken in each cell of a grid of up to NOISE_GRID x NOISE_GRID, and the
 * estimate is the mean of the cells ranked in the middle fifth
 * (light/noise_quantiles, light/noise_central). Thresholds that must sit
 * above the noise scale with it, so it must not follow a local edit: a
 * retouched speck changes a cell or two, which moves the middle fifth by a
 * rank at most, and its mean by a small part of the gap between two cells
 * (which the snap in chunks/noise absorbs). One mean over the frame moved
 * with every edit and flipped pixels at their thresholds far away; the
 * median moved by the whole gap.
 */
export function estimateNoise(d: Drawer, stats: GpuImage): GpuImage {
  let estimate: GpuImage | undefined;
  for (let round = 0; round < NOISE_ROUNDS; round++) {
    const packed = d.draw({
      shader: 'light/noise_pack',
      inputs: estimate ? { u_stats: stats, u_previous: estimate } : { u_stats: stats },
      uniforms: { u_first: estimate ? 0 : 1 },
    });
    if (estimate) d.release(estimate);
    const cells = reduceToGrid(d, packed, NOISE_GRID);
    d.release(packed);
    const quantiles = d.draw({ shader: 'light/noise_quantiles', inputs: { u_cells: cells }, width: 2, height: 1 });
    estimate = d.draw({ shader: 'light/noise_central', inputs: { u_cells: cells, u_quantiles: quantiles }, width: 1, height: 1 });
    d.release(quantiles);
    d.release(cells);
  }
  return estimate!;
}

export interface BackdropOptions {
  /** Gaussian sigma (texels) of the illumination fit. */
  sigma: number;
  textureTolerance: number;
  colorTolerance: number;
  /** Refinements of the mask against the current estimate (each one fit). */
  iterations: number;
  /** 1x1 noise estimate (estimateNoise); the texture tolerance is at least twice the noise. */
  noise: GpuImage;
  hints?: GpuImage;
}

export interface BackdropEstimate {
  /** The backdrop as lit, fitted everywhere (under the piece too); alpha = fit weight. */
  backdrop: GpuImage;
  /** Backdrop mask used by the last fit (1 = bare backdrop), r = g = b; its mean colour is weightedMean(image, mask). */
  mask: GpuImage;
}

/** The border band whose smooth pixels give the second reference colour (backdrop_reference.frag), as a share of the shorter side (backdrop_mask.frag). */
const BORDER_SHARE = 1 / 16;
/** The border's mean colour is the reference where this many times more of the frame passes against it than against the whole frame's (backdrop_reference.frag). */
const BORDER_PASS_RATIO = 4;

/**
 * Estimates the clean backdrop under uneven light from the backdrop pixels
 * only (`stats` comes from localContrastStats): a mask of smooth pixels near the backdrop colour, a first-order
 * normalized convolution over it, then `iterations` rounds that re-derive
 * the mask against the estimate (so the piece, its edges and its shadow
 * drop out) and fit again.
 */
export function estimateBackdrop(d: Drawer, image: GpuImage, stats: GpuImage, o: BackdropOptions): BackdropEstimate {
  const hintInputs: Record<string, GpuImage> = o.hints ? { u_hints: o.hints } : {};
  const wide = localContrastStats(d, image, fitSigma(image, o.sigma));
  const mask = (mode: number, reference?: GpuImage, pack = false, border = false) =>
    d.draw({
      shader: 'light/backdrop_mask',
      inputs: { u_image: image, u_stats: stats, u_wide: wide, u_noise: o.noise, ...(reference ? { u_reference: reference } : {}), ...hintInputs },
      uniforms: {
        u_mode: mode, u_hasHints: o.hints ? 1 : 0, u_pack: pack ? 1 : 0, u_borderWidth: border ? BORDER_SHARE * Math.min(image.width, image.height) : 0,
        u_textureTolerance: o.textureTolerance, u_colorTolerance: o.colorTolerance,
      },
    });
  // The mean colour of packed mask weights, as a 1x1 image.
  const meanOf = (packed: GpuImage) => {
    const mean = reduceToMean(d, packed);
    d.release(packed);
    return mean;
  };

  // The smooth pixels serve only their mean colour (packed for it directly):
  // of the whole frame, or of its border when far more passes against that
  // (light/backdrop_reference.frag).
  const globalMean = meanOf(mask(0, undefined, true));
  const borderMean = meanOf(mask(0, undefined, true, true));
  const passed = meanOf(mask(1, globalMean, true));
  const passedBorder = meanOf(mask(1, borderMean, true));
  const reference = d.draw({
    shader: 'light/backdrop_reference',
    inputs: { u_global: globalMean, u_border: borderMean, u_passed: passed, u_passedBorder: passedBorder },
    uniforms: { u_minRatio: BORDER_PASS_RATIO },
    width: 1,
    height: 1,
  });
  for (const t of [globalMean, borderMean, passed, passedBorder]) d.release(t);
  let m = mask(1, reference);
  d.release(reference);
  let backdrop = normalizedConvolution(d, image, m, o.sigma);
  for (let i = 0; i < o.iterations; i++) {
    d.release(m);
    m = mask(2, backdrop);
    const next = normalizedConvolution(d, image, m, o.sigma);
    d.release(backdrop);
    backdrop = next;
  }
  d.release(wide);
  return { backdrop, mask: m };
}
