/**
 * Float64 reference of imperfections.smudges: the same algorithm as
 * shaders/imperfections/smudge_*.frag written plainly on CPU images, for
 * tests. Gaussian blurs are exact (gaussianBlurRef); the GPU blurs large
 * sigmas on a downsampled level, so the two agree closely only where every
 * sigma is at most 4 texels (small images).
 */
import { createImage, type CpuImage } from './image.js';
import { gaussianBlurRef, linearToSrgb, smoothstep, srgbToLinear } from './reference.js';
import { SMUDGE_CLIP, SMUDGE_EDGE, SMUDGE_GROW_GAIN, SMUDGE_MIN_CHANGE, SMUDGE_RANK, SMUDGE_WEIGHT_SCALE, smudgePlan, type SmudgeSettings } from '../passes/imperfections/smudge-plan.js';

const idx = (img: CpuImage, x: number, y: number) => (Math.min(img.height - 1, Math.max(0, y)) * img.width + Math.min(img.width - 1, Math.max(0, x))) * 4;

function map(img: CpuImage, f: (i: number, x: number, y: number) => [number, number, number, number]): CpuImage {
  const out = createImage(img.width, img.height);
  for (let y = 0; y < img.height; y++) for (let x = 0; x < img.width; x++) out.data.set(f((y * img.width + x) * 4, x, y), (y * img.width + x) * 4);
  return out;
}

/** 5x5 Gaussian (sigma 1) weights, as in smudge_clip.frag. */
const FINE = [-2, -1, 0, 1, 2].map((k) => Math.exp(-(k * k) / 2));

/** Blotch deviation L - S2 (display RGB) from the blotch estimate and the weighted surround. */
function deviation(low: CpuImage, surround: CpuImage, i: number): [number, number, number] {
  const w = surround.data[i + 3];
  if (!(w > 1e-4)) return [0, 0, 0];
  return [0, 1, 2].map((c) => low.data[i + c] - surround.data[i + c] / w) as [number, number, number];
}

/** 2x2 halving: mean of r, b, a and max of g (edge texels repeat on odd sizes). */
function reduce(img: CpuImage): CpuImage {
  const out = createImage(Math.ceil(img.width / 2), Math.ceil(img.height / 2));
  for (let y = 0; y < out.height; y++)
    for (let x = 0; x < out.width; x++) {
      const t = [idx(img, 2 * x, 2 * y), idx(img, 2 * x + 1, 2 * y), idx(img, 2 * x, 2 * y + 1), idx(img, 2 * x + 1, 2 * y + 1)];
      const o = (y * out.width + x) * 4;
      out.data[o] = t.reduce((s, i) => s + img.data[i], 0) / 4;
      out.data[o + 1] = Math.max(...t.map((i) => img.data[i + 1]));
      out.data[o + 2] = t.reduce((s, i) => s + img.data[i + 2], 0) / 4;
      out.data[o + 3] = t.reduce((s, i) => s + img.data[i + 3], 0) / 4;
    }
  return out;
}

function bilinearCovering(p: CpuImage, x: number, y: number, w: number, h: number, c: number): number {
  const tx = ((x + 0.5) * p.width) / w - 0.5, ty = ((y + 0.5) * p.height) / h - 0.5;
  const x0 = Math.floor(tx), y0 = Math.floor(ty);
  const fx = tx - x0, fy = ty - y0;
  const v = (xx: number, yy: number) => p.data[idx(p, xx, yy) + c];
  const top = v(x0, y0) * (1 - fx) + v(x0 + 1, y0) * fx;
  const bottom = v(x0, y0 + 1) * (1 - fx) + v(x0 + 1, y0 + 1) * fx;
  return top * (1 - fy) + bottom * fy;
}

/** Smudge mask (r = g = b, a = 1) and the corrected image (working space: linear, premultiplied). */
export function smudgesRef(img: CpuImage, s: SmudgeSettings): { out: CpuImage; mask: CpuImage } {
  const plan = smudgePlan(s, img.height);
  const { width: w, height: h } = img;
  // Display values of the straight colour.
  const disp = map(img, (i) => {
    const a = img.data[i + 3];
    const c = [0, 1, 2].map((k) => (a > 1e-6 ? linearToSrgb(img.data[i + k] / a) : 0));
    return [c[0], c[1], c[2], 1];
  });
  const coarse = gaussianBlurRef(disp, plan.surroundSigma);
  // Clipped colour (rgb) and fine energy (a): squared distance to a 5x5 Gaussian mean.
  const clipped = map(disp, (i, x, y) => {
    const mean = [0, 0, 0];
    let total = 0;
    for (let dy = -2; dy <= 2; dy++)
      for (let dx = -2; dx <= 2; dx++) {
        const wt = FINE[dx + 2] * FINE[dy + 2];
        const j = idx(disp, x + dx, y + dy);
        for (let c = 0; c < 3; c++) mean[c] += wt * disp.data[j + c];
        total += wt;
      }
    const cc = [0, 1, 2].map((c) => coarse.data[i + c] + Math.min(SMUDGE_CLIP, Math.max(-SMUDGE_CLIP, disp.data[i + c] - coarse.data[i + c])));
    const fine = [0, 1, 2].reduce((e, c) => e + (disp.data[i + c] - mean[c] / total) ** 2, 0);
    return [cc[0], cc[1], cc[2], fine];
  });
  const low = gaussianBlurRef(clipped, plan.lowSigma);
  const weighted = map(clipped, (i) => {
    const d = Math.hypot(low.data[i] - coarse.data[i], low.data[i + 1] - coarse.data[i + 1], low.data[i + 2] - coarse.data[i + 2]);
    const wt = Math.exp(-((d / SMUDGE_WEIGHT_SCALE) ** 2));
    return [wt * clipped.data[i], wt * clipped.data[i + 1], wt * clipped.data[i + 2], wt];
  });
  const surround = gaussianBlurRef(weighted, plan.surroundSigma);
  // Per texel: squared deviation, gradient of the blotch estimate per lowSigma, fine energy.
  const stats = map(low, (i, x, y) => {
    const d = deviation(low, surround, i);
    let g2 = 0;
    for (let c = 0; c < 3; c++) {
      const gx = (low.data[idx(low, x + 1, y) + c] - low.data[idx(low, x - 1, y) + c]) / 2;
      const gy = (low.data[idx(low, x, y + 1) + c] - low.data[idx(low, x, y - 1) + c]) / 2;
      g2 += gx * gx + gy * gy;
    }
    return [d[0] ** 2 + d[1] ** 2 + d[2] ** 2, Math.sqrt(g2) * plan.lowSigma, low.data[i + 3], 1];
  });
  let blocks = stats;
  for (let l = 0; l < plan.blockLevel; l++) blocks = reduce(blocks);
  // Activity: a low rank of the 3x3 blocks' deviation and fine energy, the largest gradient.
  const activity = map(blocks, (_i, x, y) => {
    const dev: number[] = [], fine: number[] = [];
    let edge = 0;
    for (let dy = -1; dy <= 1; dy++)
      for (let dx = -1; dx <= 1; dx++) {
        const j = idx(blocks, x + dx, y + dy);
        dev.push(blocks.data[j]);
        fine.push(blocks.data[j + 2]);
        edge = Math.max(edge, blocks.data[j + 1]);
      }
    dev.sort((a, b) => a - b);
    fine.sort((a, b) => a - b);
    return [Math.sqrt(dev[SMUDGE_RANK]), edge, Math.sqrt(fine[SMUDGE_RANK]), 1];
  });
  const core = map(img, (i, x, y) => {
    const d = deviation(low, surround, i);
    const act = bilinearCovering(activity, x, y, w, h, 0);
    const edge = bilinearCovering(activity, x, y, w, h, 1);
    const fine = bilinearCovering(activity, x, y, w, h, 2);
    const t = Math.max(plan.floor, plan.deviationFactor * act, plan.fineFactor * fine);
    const inside = Math.min(x + 0.5, y + 0.5, w - x - 0.5, h - y - 0.5);
    const frame = smoothstep(0.5 * plan.surroundSigma, plan.surroundSigma, inside);
    const m = smoothstep(t, 2 * t, Math.hypot(d[0], d[1], d[2])) * (1 - smoothstep(SMUDGE_EDGE, 2 * SMUDGE_EDGE, edge)) * frame;
    return [m, m, m, 1];
  });
  const spread = gaussianBlurRef(core, plan.lowSigma);
  const mask = map(img, (i) => {
    const d = deviation(low, surround, i);
    let m = Math.min(1, SMUDGE_GROW_GAIN * spread.data[i]);
    if (m * Math.hypot(d[0], d[1], d[2]) < SMUDGE_MIN_CHANGE) m = 0;
    return [m, m, m, 1];
  });
  const out = map(img, (i) => {
    const m = mask.data[i];
    if (m === 0) return [img.data[i], img.data[i + 1], img.data[i + 2], img.data[i + 3]];
    const d = deviation(low, surround, i);
    const a = img.data[i + 3];
    const c = [0, 1, 2].map((k) => a * srgbToLinear(Math.max(0, disp.data[i + k] - m * d[k])));
    return [c[0], c[1], c[2], a];
  });
  return { out, mask };
}
