import { createImage, type CpuImage } from './image.js';
import { gaussianKernel, srgbToLinear } from './reference.js';

/**
 * Float64 references for the light family (light.flatten): first-order
 * normalized convolution and the flat-field gain. Exact Gaussians with
 * clamp-to-edge borders, like the core references.
 */

const LUMA = [0.2126, 0.7152, 0.0722];
export const luminanceOf = (r: number, g: number, b: number) => LUMA[0] * r + LUMA[1] * g + LUMA[2] * b;

/** Separable exact Gaussian of several float64 planes, clamp-to-edge. */
function gaussianPlanes(planes: Float64Array[], w: number, h: number, sigma: number): Float64Array[] {
  const radius = Math.max(1, Math.ceil(3 * sigma));
  const k = gaussianKernel(sigma, radius);
  const pass = (src: Float64Array, dx: number, dy: number) => {
    const out = new Float64Array(w * h);
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++) {
        let s = 0;
        for (let i = -radius; i <= radius; i++) {
          const xx = Math.min(w - 1, Math.max(0, x + i * dx));
          const yy = Math.min(h - 1, Math.max(0, y + i * dy));
          s += k[i + radius] * src[yy * w + xx];
        }
        out[y * w + x] = s;
      }
    return out;
  };
  return planes.map((p) => pass(pass(p, 1, 0), 0, 1));
}

/** Constant term of the weighted linear fit at every pixel, one sigma; also returns the blurred weight. */
function linearFit(img: CpuImage, weight: CpuImage, sigma: number, ridge: number, prior: number[], priorWeight: number): { fit: Float64Array[]; weight: Float64Array } {
  const { width: w, height: h } = img;
  const n = w * h;
  // Moments in units of sigma from the image centre (as the shader does, for float32's sake; exact here either way).
  const names = ['m', 'mx', 'my', 'mxx', 'mxy', 'myy', 'c0', 'c1', 'c2', 'c0x', 'c1x', 'c2x', 'c0y', 'c1y', 'c2y'];
  const planes = names.map(() => new Float64Array(n));
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      const m = weight.data[i * 4];
      const px = (x + 0.5 - w / 2) / sigma;
      const py = (y + 0.5 - h / 2) / sigma;
      const vals = [m, m * px, m * py, m * px * px, m * px * py, m * py * py];
      for (let c = 0; c < 3; c++) {
        const mc = m * img.data[i * 4 + c];
        vals[6 + c] = mc;
        vals[9 + c] = mc * px;
        vals[12 + c] = mc * py;
      }
      vals.forEach((v, j) => (planes[j][i] = v));
    }
  const b = gaussianPlanes(planes, w, h, sigma);
  const fit = [0, 1, 2].map(() => new Float64Array(n));
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      const px = (x + 0.5 - w / 2) / sigma;
      const py = (y + 0.5 - h / 2) / sigma;
      const s0 = b[0][i];
      const sx = b[1][i] - px * s0;
      const sy = b[2][i] - py * s0;
      const sxx = b[3][i] - 2 * px * b[1][i] + px * px * s0 + ridge;
      const sxy = b[4][i] - px * b[2][i] - py * b[1][i] + px * py * s0;
      const syy = b[5][i] - 2 * py * b[2][i] + py * py * s0 + ridge;
      // Solve the 3x3 normal equations by Cramer's rule for the constant term.
      const det3 = (a: number[][]) =>
        a[0][0] * (a[1][1] * a[2][2] - a[1][2] * a[2][1]) - a[0][1] * (a[1][0] * a[2][2] - a[1][2] * a[2][0]) + a[0][2] * (a[1][0] * a[2][1] - a[1][1] * a[2][0]);
      // The prior: one observation of weight priorWeight at the pixel itself (adds to s0 and si only).
      const M = [[s0 + priorWeight, sx, sy], [sx, sxx, sxy], [sy, sxy, syy]];
      const det = Math.max(det3(M), 1e-20);
      for (let c = 0; c < 3; c++) {
        const si = b[6 + c][i];
        const six = b[9 + c][i] - px * si;
        const siy = b[12 + c][i] - py * si;
        const Mc = [[si + priorWeight * prior[c], sx, sy], [six, sxx, sxy], [siy, sxy, syy]];
        fit[c][i] = det3(Mc) / det;
      }
    }
  return { fit, weight: b[0] };
}

const smoothstep = (e0: number, e1: number, x: number) => {
  const t = Math.min(1, Math.max(0, (x - e0) / (e1 - e0)));
  return t * t * (3 - 2 * t);
};

/**
 * First-order normalized convolution with the fine/coarse cascade of
 * shaders/light/nc_solve.frag: fit at sigma, fit at coarseFactor * sigma
 * (both at most half the image's smaller side), mixed by
 * smoothstep(0.02, 0.1, blurred weight at sigma). Both fits include the
 * prior of NC_PRIOR_WEIGHT at the weight's global mean colour (exact here;
 * the GPU takes it from a [1 3 3 1] pyramid). Exact at every pixel: the GPU
 * solves on a pyramid level once sigma spans 2 * SOLVE_TEXELS_PER_SIGMA
 * texels and upsamples the fit, so compare at smaller sigmas.
 */
export function normalizedConvolutionRef(img: CpuImage, weight: CpuImage, sigma: number, ridge = 1e-3, coarseFactor = 4, priorWeight = 1e-4): CpuImage {
  const maxSigma = Math.min(img.width, img.height) / 2;
  const prior = [0, 0, 0];
  let total = 0;
  for (let i = 0; i < img.width * img.height; i++) {
    total += weight.data[i * 4];
    for (let c = 0; c < 3; c++) prior[c] += weight.data[i * 4] * img.data[i * 4 + c];
  }
  for (let c = 0; c < 3; c++) prior[c] /= Math.max(total, 1e-6);
  const fine = linearFit(img, weight, Math.min(sigma, maxSigma), ridge, prior, priorWeight);
  const coarse = linearFit(img, weight, Math.min(sigma * coarseFactor, maxSigma), ridge, prior, priorWeight);
  const out = createImage(img.width, img.height);
  for (let i = 0; i < img.width * img.height; i++) {
    const t = smoothstep(0.02, 0.1, fine.weight[i]);
    for (let c = 0; c < 3; c++) out.data[i * 4 + c] = coarse.fit[c][i] + (fine.fit[c][i] - coarse.fit[c][i]) * t;
    out.data[i * 4 + 3] = 1;
  }
  return out;
}

/** Linear level below which a channel's illumination is not measured (MEASURABLE_LIGHT in flatten_apply.frag). */
const MEASURABLE_LIGHT = 0.01;

/**
 * Flat-field gain of shaders/light/flatten_apply.frag given the illumination,
 * the backdrop mask and the mean backdrop colour. `level` is an sRGB grey (0 = keep the mean).
 */
export function flattenApplyRef(
  img: CpuImage, illumination: CpuImage, mask: CpuImage, meanColor: [number, number, number],
  level: number, neutralize: boolean, pieceAmount: number,
): CpuImage {
  const meanL = luminanceOf(...meanColor);
  const lvl = level > 0 ? srgbToLinear(level) : meanL;
  const target = neutralize ? [lvl, lvl, lvl] : meanColor.map((c) => (c * lvl) / Math.max(meanL, 1e-4));
  return createImage(img.width, img.height, (x, y) => {
    const i = (y * img.width + x) * 4;
    const amount = pieceAmount + (1 - pieceAmount) * mask.data[i];
    const gain = (c: number) => Math.max(target[c], MEASURABLE_LIGHT) / Math.max(illumination.data[i + c], MEASURABLE_LIGHT);
    const px = [0, 1, 2].map((c) => img.data[i + c] * gain(c) ** amount);
    return [px[0], px[1], px[2], img.data[i + 3]];
  });
}
