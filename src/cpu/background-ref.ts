import { createImage, rng, type CpuImage } from './image.js';
import { gaussianBlurRef, linearToSrgb, smoothstep, srgbToLinear } from './reference.js';
import { luminanceOf } from './light-ref.js';
import { connectedComponents } from '../metrics/mask.js';

/**
 * Float64 references for the background family (box mean, colour guided
 * filter, blur-fusion step, composite), a synthetic jewelry scene with a
 * known matte, and the matting metrics the tests and benchmarks report.
 */

/** Box mean of radius r over all four channels, averaging only in-bounds pixels (chunks/box.glsl). */
export function boxMeanRef(img: CpuImage, r: number): CpuImage {
  const { width: w, height: h } = img;
  const out = createImage(w, h);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const s = [0, 0, 0, 0];
      let n = 0;
      for (let yy = Math.max(0, y - r); yy <= Math.min(h - 1, y + r); yy++)
        for (let xx = Math.max(0, x - r); xx <= Math.min(w - 1, x + r); xx++) {
          for (let c = 0; c < 4; c++) s[c] += img.data[(yy * w + xx) * 4 + c];
          n++;
        }
      for (let c = 0; c < 4; c++) out.data[(y * w + x) * 4 + c] = s[c] / n;
    }
  return out;
}

function solve3(m: number[][], v: number[]): number[] {
  const det = (a: number[][]) =>
    a[0][0] * (a[1][1] * a[2][2] - a[1][2] * a[2][1]) - a[0][1] * (a[1][0] * a[2][2] - a[1][2] * a[2][0]) + a[0][2] * (a[1][0] * a[2][1] - a[1][1] * a[2][0]);
  const d = det(m);
  return [0, 1, 2].map((k) => det(m.map((row, i) => row.map((x, j) => (j === k ? v[i] : x)))) / d);
}

/**
 * Colour guided filter (He, Sun & Tang 2010, full resolution): q = mean(a) . I + mean(b)
 * with a = (Cov I + eps U)^-1 Cov(I, p) over (2r+1)^2 windows. p is the red channel of `input`.
 * With a trimap (q capped by blue, then green < 0.25 -> 0, > 0.75 -> 1) and clamp, as guided_apply.frag.
 */
export function guidedFilterRef(guide: CpuImage, input: CpuImage, r: number, eps: number, opts: { trimap?: CpuImage; clamp?: boolean } = {}): CpuImage {
  const { width: w, height: h } = guide;
  const products = (part: number) =>
    createImage(w, h, (x, y) => {
      const i = (y * w + x) * 4;
      const [R, G, B] = [guide.data[i], guide.data[i + 1], guide.data[i + 2]];
      const p = input.data[i];
      if (part === 0) return [R, G, B, p];
      if (part === 1) return [R * p, G * p, B * p, 0];
      if (part === 2) return [R * R, R * G, R * B, G * G];
      return [G * B, B * B, 0, 0];
    });
  const means = [0, 1, 2, 3].map((k) => boxMeanRef(products(k), r));
  const coeffs = createImage(w, h, (x, y) => {
    const i = (y * w + x) * 4;
    const [m0, m1, m2, m3] = means.map((m) => m.data.subarray(i, i + 4));
    const mI = [m0[0], m0[1], m0[2]];
    const cov = [
      [m2[0] - mI[0] * mI[0] + eps, m2[1] - mI[0] * mI[1], m2[2] - mI[0] * mI[2]],
      [m2[1] - mI[0] * mI[1], m2[3] - mI[1] * mI[1] + eps, m3[0] - mI[1] * mI[2]],
      [m2[2] - mI[0] * mI[2], m3[0] - mI[1] * mI[2], m3[1] - mI[2] * mI[2] + eps],
    ];
    const a = solve3(cov, [0, 1, 2].map((c) => m1[c] - mI[c] * m0[3]));
    return [a[0], a[1], a[2], m0[3] - (a[0] * mI[0] + a[1] * mI[1] + a[2] * mI[2])];
  });
  const mc = boxMeanRef(coeffs, r);
  return createImage(w, h, (x, y) => {
    const i = (y * w + x) * 4;
    let q = mc.data[i] * guide.data[i] + mc.data[i + 1] * guide.data[i + 1] + mc.data[i + 2] * guide.data[i + 2] + mc.data[i + 3];
    if (opts.clamp) q = Math.min(1, Math.max(0, q));
    if (opts.trimap) {
      q = Math.min(q, opts.trimap.data[i + 2]);
      const t = opts.trimap.data[i + 1];
      if (t > 0.75) q = 1;
      else if (t < 0.25) q = 0;
    }
    return [q, q, q, 1];
  });
}

/**
 * One blur-fusion step (Forte & Pitie 2021) with a known backdrop, as
 * decontaminate.frag: F = F^ + a (I - a F^ - (1 - a) B), F^ = estimate.rgb / estimate.a.
 * The final step blends in the direct inversion (I - (1 - a) B) / a from a = 0.05 to 0.25
 * and, where the trimap (green) marks the unknown band, removes any component
 * towards the backdrop beyond the local colour F^ (despill), fading out for
 * colours 1 to 1.5 times |B - F^| past F^ along that line. `img` is the
 * relit shot; with `original` (the shot before relighting) each channel of
 * the final colour is multiplied by its relight factor min(original / img, 1).
 */
export function decontaminateRef(img: CpuImage, alpha: CpuImage, backdrop: CpuImage, estimate: CpuImage, final: boolean, trimap?: CpuImage, original?: CpuImage): CpuImage {
  return createImage(img.width, img.height, (x, y) => {
    const i = (y * img.width + x) * 4;
    const a = alpha.data[i];
    const e = estimate.data.subarray(i, i + 4);
    const local = [0, 1, 2].map((c) => (e[3] > 1e-5 ? e[c] / e[3] : img.data[i + c]));
    const f = [0, 1, 2].map((c) => {
      const fused = Math.max(0, local[c] + a * (img.data[i + c] - a * local[c] - (1 - a) * backdrop.data[i + c]));
      if (!final) return fused;
      const direct = Math.max(0, img.data[i + c] - (1 - a) * backdrop.data[i + c]) / Math.max(a, 1e-4);
      const t = Math.min(1, Math.max(0, (a - 0.05) / 0.2));
      return fused + (direct - fused) * t * t * (3 - 2 * t);
    });
    if (!final) return [f[0], f[1], f[2], 1];
    // Despill in the unknown band: no component towards the backdrop beyond the local colour.
    const band = trimap ? trimap.data[i + 1] : 0;
    const toward = [0, 1, 2].map((c) => backdrop.data[i + c] - local[c]);
    const len = Math.hypot(...toward);
    if (band > 0.25 && band < 0.75 && len > 1e-5) {
      const along = [0, 1, 2].reduce((s, c) => s + ((f[c] - local[c]) * toward[c]) / len, 0);
      const t = Math.min(1, Math.max(0, (along - len) / (0.5 * len)));
      const excess = Math.max(0, along) * (1 - t * t * (3 - 2 * t));
      for (let c = 0; c < 3; c++) f[c] = Math.max(0, f[c] - (excess * toward[c]) / len);
    }
    const k = [0, 1, 2].map((c) => (original && img.data[i + c] > 1e-6 ? Math.min(original.data[i + c] / img.data[i + c], 1) : 1));
    return [f[0] * k[0] * a, f[1] * k[1] * a, f[2] * k[2] * a, a];
  });
}

/** Parameters of trimap.frag (see ENCLOSED_HUE in passes/background/key.ts). */
export interface TrimapOptions {
  high: number;
  /** The key's backdrop threshold before its noise floor (lowContrast). */
  low: number;
  /** Relative noise std of the shot, as estimated (the shaders read it snapped: snapNoise). */
  noise: number;
  hueShare: number;
  hueMargin: number;
  /** red = piece, green = backdrop */
  hints?: CpuImage;
  /** red > 0.5: enclosed piece (enclosedDecideRef carried to full resolution) */
  fill?: CpuImage;
  /** Soft edges (softEdgesRef: red > 0.5 soft, blue > 0.5 very soft) take their band statistics from `wideBand` or `widerBand`. */
  soft?: { region: CpuImage; wideBand: CpuImage; widerBand: CpuImage };
}

/** Octave fraction the shaders snap the noise estimate to (NOISE_STEPS in shaders/chunks/noise.glsl). */
const NOISE_STEPS = 16;
/** The noise estimate as the shaders read it: snapped to 1/NOISE_STEPS octave (chunks/noise noiseLevel). */
export const snapNoise = (level: number) => (level < 1e-6 ? level : 2 ** (Math.floor(Math.log2(level) * NOISE_STEPS + 0.5) / NOISE_STEPS));

/** Brightness relative measures never divide by less than (RELATIVE_FLOOR in shaders/chunks/color.glsl). */
const RELATIVE_FLOOR = 0.02;
const relativeBase = (brightness: number) => Math.max(brightness, RELATIVE_FLOOR);
/** What colour differences are measured against on a dark backdrop (DARK_BACKDROP_SCALE in shaders/chunks/backdrop.glsl). */
const DARK_BACKDROP_SCALE = 0.2;

const chromaDifferenceOf = (c: number[], b: number[]) => {
  const k = luminanceOf(c[0], c[1], c[2]) / Math.max(luminanceOf(b[0], b[1], b[2]), 1e-4);
  return Math.hypot(c[0] - k * b[0], c[1] - k * b[1], c[2] - k * b[2]) / Math.max(b[0], b[1], b[2], DARK_BACKDROP_SCALE);
};

/**
 * Trimap and soft guess, as trimap.frag: from the key (r contrast, b
 * certain backdrop) and its band statistics (r peak contrast, g and b shares
 * of certain piece / backdrop) over the edge band (the wide or wider band at
 * soft edges). Backdrop where the band is all backdrop, piece where it is all
 * piece or holds no backdrop, except an
 * enclosed pixel that shows a coloured backdrop's hue (unknown); a pixel
 * that `fill` marks is piece with no ceiling. Output
 * r = soft guess (or 0 / 1), g = trimap, b = ceiling of the refined alpha
 * (the soft guess where the key or that hue test calls the pixel backdrop),
 * a = the ceiling from the hue test alone.
 */
export function trimapRef(key: CpuImage, narrowBand: CpuImage, image: CpuImage, backdrop: CpuImage, o: TrimapOptions): CpuImage {
  const noise = snapNoise(o.noise);
  const noiseContrast = 1.73 * noise;
  return createImage(key.width, key.height, (x, y) => {
    const i = (y * key.width + x) * 4;
    const px = (img: CpuImage) => [img.data[i], img.data[i + 1], img.data[i + 2]];
    const region = o.soft?.region.data.subarray(i, i + 4);
    const band = o.soft && region![2] > 0.5 ? o.soft.widerBand : o.soft && region![0] > 0.5 ? o.soft.wideBand : narrowBand;
    let trimap = 0.5;
    let backdropHue = false;
    if (band.data[i + 2] > 0.999) trimap = 0;
    else if (band.data[i + 1] > 0.999) trimap = 1;
    else if (band.data[i + 2] < 0.001) {
      const b = px(backdrop);
      const l = luminanceOf(b[0], b[1], b[2]);
      const colourless = chromaDifferenceOf([l, l, l], b);
      // chunks/backdrop: nearBlack, backdropLow.
      const t = Math.min(1, Math.max(0, (Math.max(...b) - 0.02) / 0.08));
      const nearBlack = 1 - t * t * (3 - 2 * t);
      const low = Math.max(o.low, 5 * 1.73 * 0.19 * noise);
      backdropHue = (colourless > o.hueMargin * noiseContrast && chromaDifferenceOf(px(image), b) < o.hueShare * colourless) || (nearBlack > 0.5 && key.data[i] <= low);
      trimap = backdropHue ? 0.5 : 1;
    }
    const filled = !!o.fill && o.fill.data[i] > 0.5;
    if (filled) {
      trimap = 1;
      backdropHue = false;
    }
    if (o.hints) {
      if (o.hints.data[i] > 0.5) trimap = 1;
      if (o.hints.data[i + 1] > 0.5) trimap = 0;
    }
    const full = Math.max(band.data[i], o.high);
    const soft = Math.min(1, Math.max(0, (key.data[i] - noiseContrast) / Math.max(full - noiseContrast, 1e-4)));
    const p = trimap === 0.5 ? soft : trimap;
    const hueCeiling = backdropHue ? soft : 1;
    return [p, trimap, key.data[i + 2] > 0.5 && !filled ? soft : hueCeiling, hueCeiling];
  });
}

/** Texel (x, y) of `img` with clamp-to-edge reads. */
const texel = (img: CpuImage, x: number, y: number) =>
  img.data.subarray(
    (Math.min(img.height - 1, Math.max(0, y)) * img.width + Math.min(img.width - 1, Math.max(0, x))) * 4,
    (Math.min(img.height - 1, Math.max(0, y)) * img.width + Math.min(img.width - 1, Math.max(0, x))) * 4 + 4,
  );

/**
 * Per-pixel statistics of the enclosed-region test, as enclosed_pack.frag:
 * r = certain backdrop (key b), g = relative luminance difference from the
 * backdrop, b = fine texture (mean absolute forward difference of luminance,
 * relative), a = certain piece (key g).
 */
export function enclosedPackRef(key: CpuImage, image: CpuImage, backdrop: CpuImage): CpuImage {
  const lum = (x: number, y: number) => {
    const c = texel(image, x, y);
    return luminanceOf(c[0], c[1], c[2]);
  };
  return createImage(key.width, key.height, (x, y) => {
    const k = texel(key, x, y);
    const b = texel(backdrop, x, y);
    const backdropLum = luminanceOf(b[0], b[1], b[2]);
    const lb = relativeBase(backdropLum);
    const l = lum(x, y);
    return [k[2], (l - backdropLum) / lb, (0.5 * (Math.abs(lum(x + 1, y) - l) + Math.abs(lum(x, y + 1) - l))) / lb, k[1]];
  });
}

/** 2x2 box halving (odd sizes round up, edge texels repeat), as enclosed_reduce.frag. */
export function enclosedReduceRef(img: CpuImage): CpuImage {
  return createImage(Math.ceil(img.width / 2), Math.ceil(img.height / 2), (x, y) => {
    const out = [0, 0, 0, 0];
    for (const [dx, dy] of [[0, 0], [1, 0], [0, 1], [1, 1]]) {
      const t = texel(img, 2 * x + dx, 2 * y + dy);
      for (let k = 0; k < 4; k++) out[k] += 0.25 * t[k];
    }
    return out as [number, number, number, number];
  });
}

/** Parameters of enclosed_grow.frag (all images of one size here). */
export interface EnclosedGrowOptions {
  /** 0: grow only; 1: the border's free texels are seeds too; 2: seeds only */
  border: 0 | 1 | 2;
  /** only where allowed r > 0.5 (enclosedAllowedRef) */
  allowed?: CpuImage;
}

/** Within three texels of region r > 0.5 and where outside r < 0.5, as enclosed_allowed.frag (all images of one size here). */
export function enclosedAllowedRef(region: CpuImage, outside: CpuImage): CpuImage {
  return createImage(region.width, region.height, (x, y) => {
    let near = 0;
    for (let dy = -3; dy <= 3; dy++) for (let dx = -3; dx <= 3; dx++) near = Math.max(near, texel(region, x + dx, y + dy)[0]);
    return [near > 0.5 && texel(outside, x, y)[0] < 0.5 ? 1 : 0, 0, 0, 1];
  });
}

/** One step of the 4-connected growth through free texels (r > 0.999), as enclosed_grow.frag. */
export function enclosedGrowRef(reached: CpuImage, free: CpuImage, o: EnclosedGrowOptions): CpuImage {
  const { width: w, height: h } = free;
  const on = (x: number, y: number) => texel(reached, x, y)[0] > 0.5;
  return createImage(w, h, (x, y) => {
    const border = x === 0 || y === 0 || x === w - 1 || y === h - 1;
    let r = (o.border > 0 && border) || (o.border < 2 && (on(x, y) || on(x + 1, y) || on(x - 1, y) || on(x, y + 1) || on(x, y - 1)));
    if (o.allowed) r = r && texel(o.allowed, x, y)[0] > 0.5;
    const v = texel(free, x, y)[0] > 0.999 && r ? 1 : 0;
    return [v, 0, 0, 1];
  });
}

/** The open backdrop's block statistics (rgb * w, w), as enclosed_open.frag. */
export function enclosedOpenRef(pack: CpuImage, reached: CpuImage): CpuImage {
  return createImage(pack.width, pack.height, (x, y) => {
    const s = texel(pack, x, y);
    const w = texel(reached, x, y)[0] > 0.5 ? 1 : 0;
    return [w * Math.abs(s[1]), w * s[2], 0, w];
  });
}

/** Parameters of enclosed_decide.frag (ENCLOSED_FILL in key.ts). */
export interface EnclosedDecideOptions {
  contrast: number;
  texture: number;
  /** brightening at or above this is visible to the key pixel by pixel */
  ceiling: number;
}

/**
 * Enclosed blocks that differ from the backdrop as a region, as
 * enclosed_decide.frag: not reached, no certain piece, no reached
 * 4-neighbour; pooled over the enclosed 3x3 neighbours, mean brightening >
 * contrast x the open blocks' mean |difference| and < ceiling, and texture >
 * texture x theirs. `open` is the 1x1 mean of enclosedOpenRef.
 */
export function enclosedDecideRef(pack: CpuImage, reached: CpuImage, open: CpuImage, o: EnclosedDecideOptions): CpuImage {
  const on = (x: number, y: number) => texel(reached, x, y)[0] > 0.5;
  const enclosed = (x: number, y: number) => texel(pack, x, y)[3] < 0.001 && !on(x, y);
  const [or, og, , oa] = open.data;
  return createImage(pack.width, pack.height, (x, y) => {
    let piece = 0;
    if (enclosed(x, y) && !(on(x + 1, y) || on(x - 1, y) || on(x, y + 1) || on(x, y - 1)) && oa > 1e-6) {
      let d = 0;
      let t = 0;
      let n = 0;
      for (let dy = -1; dy <= 1; dy++)
        for (let dx = -1; dx <= 1; dx++)
          if (enclosed(x + dx, y + dy)) {
            const s = texel(pack, x + dx, y + dy);
            d += s[1];
            t += s[2];
            n++;
          }
      piece = d / n > (o.contrast * or) / oa && d / n < o.ceiling && t / n > (o.texture * og) / oa ? 1 : 0;
    }
    return [piece, 0, 0, 1];
  });
}

/** Parameters of the soft-edge region (SOFT_EDGES in src/passes/background/key.ts), for an edge band of `edgeBand` px. */
export interface SoftEdgesOptions {
  edgeBand: number;
  fine: number;
  extra: number;
  soft: number;
  verySoft: number;
  minContrast: number;
  share: number;
  minEdges: number;
  /** Radius (texels) of the vote window. */
  voteRadius: number;
}

/**
 * Where the key finds soft (defocused) edges, as soft_edges.frag and
 * soft_edge_region.frag with exact Gaussian blurs: edge maxima of luminance
 * (blurred by fine x edgeBand, central differences, not below either
 * neighbour along the gradient, contrast at least minContrast of the
 * backdrop's brightest channel); a maximum is soft when a further blur by
 * extra x edgeBand lowers its gradient by a ratio R with R^2 < 1 + extra^2 /
 * (soft^2 + fine^2) (its own blur is above soft x edgeBand), very soft
 * likewise above verySoft x edgeBand. The region (r = g = 1) is where at
 * least `share` of the maxima in the vote window are soft and at least
 * `minEdges` maxima lie in it; b = 1 where also `share` of the soft ones are
 * very soft.
 */
export function softEdgesRef(image: CpuImage, backdrop: CpuImage, o: SoftEdgesOptions): CpuImage {
  const { width: w, height: h } = image;
  const [fineSigma, extraSigma] = [o.fine, o.extra].map((f) => f * o.edgeBand);
  const fine = gaussianBlurRef(image, fineSigma);
  const coarse = gaussianBlurRef(image, Math.hypot(fineSigma, extraSigma));
  const luma = (img: CpuImage, x: number, y: number) => {
    const c = texel(img, x, y);
    return luminanceOf(c[0], c[1], c[2]);
  };
  const gradient = (img: CpuImage, x: number, y: number) => [(luma(img, x + 1, y) - luma(img, x - 1, y)) / 2, (luma(img, x, y + 1) - luma(img, x, y - 1)) / 2];
  const limit = (blur: number) => 1 + extraSigma ** 2 / ((blur * o.edgeBand) ** 2 + fineSigma ** 2);
  const edges = createImage(w, h, (x, y) => {
    const i = (y * w + x) * 4;
    const scale = Math.max(backdrop.data[i], backdrop.data[i + 1], backdrop.data[i + 2], DARK_BACKDROP_SCALE);
    const g = gradient(fine, x, y);
    const peak = Math.hypot(g[0], g[1]);
    if (peak * fineSigma * Math.sqrt(2 * Math.PI) < o.minContrast * scale) return [0, 0, 0, 1];
    const [ax, ay] = g.map((v) => Math.floor(v / Math.max(peak, 1e-12) + 0.5));
    if (Math.hypot(...gradient(fine, x + ax, y + ay)) > peak || Math.hypot(...gradient(fine, x - ax, y - ay)) > peak) return [0, 0, 0, 1];
    const ratio = peak / Math.max(Math.hypot(...gradient(coarse, x, y)), 1e-12);
    return [ratio * ratio < limit(o.soft) ? 1 : 0, 1, ratio * ratio < limit(o.verySoft) ? 1 : 0, 1];
  });
  const vote = boxMeanRef(edges, o.voteRadius);
  const area = (2 * o.voteRadius + 1) ** 2;
  // Counts of maxima, compared with a hundredth of a count to spare (soft_edge_region.frag).
  const slack = 0.01;
  return createImage(w, h, (x, y) => {
    const [soft, all, verySoft] = [0, 1, 2].map((c) => vote.data[(y * w + x) * 4 + c] * area);
    const region = all >= o.minEdges - slack && soft >= o.share * all - slack ? 1 : 0;
    return [region, region, region && verySoft >= o.share * soft - slack ? 1 : 0, 1];
  });
}

/** Parameters of bridge_gaps.frag. */
export interface BridgeGapsOptions {
  minSide: number;
  insideSide: number;
  /** Soft edges (red > 0.5, softEdgesRef) are left as they are. */
  soft?: CpuImage;
}

/**
 * One-pixel gap bridging, as bridge_gaps.frag (texture reads clamp to the
 * edge): a pixel between two neighbours of at least `minSide` on opposite
 * sides (horizontal or vertical) gets at least their sum, at most 1 and, for
 * a pixel showing a coloured backdrop's hue (trimap alpha, trimapRef), at
 * most that ceiling unless both neighbours reach `insideSide`. Soft edges
 * (`soft`) are not bridged.
 */
export function bridgeGapsRef(alpha: CpuImage, trimap: CpuImage, o: BridgeGapsOptions): CpuImage {
  const { width: w, height: h } = alpha;
  const at = (x: number, y: number) => alpha.data[(Math.min(h - 1, Math.max(0, y)) * w + Math.min(w - 1, Math.max(0, x))) * 4];
  return createImage(w, h, (x, y) => {
    const ceiling = trimap.data[(y * w + x) * 4 + 3];
    let a = at(x, y);
    if (o.soft && o.soft.data[(y * w + x) * 4] > 0.5) return [a, a, a, 1];
    for (const [dx, dy] of [[1, 0], [0, 1]]) {
      const l = at(x + dx, y + dy);
      const r = at(x - dx, y - dy);
      if (Math.min(l, r) >= o.minSide) a = Math.max(a, Math.min(Math.min(l, r) >= o.insideSide ? 1 : ceiling, l + r));
    }
    return [a, a, a, 1];
  });
}

/** Parameters of the whole-frame check (KEEP_FRAME in key.ts, keepFrameEdgeWidth). */
export interface KeepFrameOptions {
  maxCover: number;
  ramp: number;
  /** Texels from the border that count as the frame's edge. */
  edgeWidth: number;
  /** Edge share ramp from which a textured backdrop keeps the frame. */
  texturedCover: readonly [number, number];
  /** RMS misfit ramp that makes a backdrop textured. */
  texturedMisfit: readonly [number, number];
}

/**
 * The whole-frame check, as edge_cover.frag and keep_frame.frag: the mean
 * alpha over the texels within `edgeWidth` of the border is the share of the
 * frame's edge the piece covers, and the RMS over certain backdrop (trimap
 * under 0.01) of (L(image) - L(backdrop)) / max(L(backdrop), 0.02) the
 * backdrop's misfit to a smooth one. Above maxCover (ramped in over `ramp`
 * below it), or on a textured backdrop once the matte reaches the edge,
 * alpha goes to 1, the foreground to the image and the shadow to 0.
 */
export function keepFrameRef(
  layers: { alpha: CpuImage; foreground: CpuImage; shadow: CpuImage; image: CpuImage; backdrop: CpuImage; trimap: CpuImage },
  o: KeepFrameOptions,
): { cover: number; misfit: number; whole: number; alpha: CpuImage; foreground: CpuImage; shadow: CpuImage } {
  const { width: w, height: h } = layers.alpha;
  let covered = 0;
  let edge = 0;
  let misfitSquares = 0;
  let backdrop = 0;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = (y * w + x) * 4;
      if (layers.trimap.data[i] < 0.01) {
        const [bd, im] = [layers.backdrop.data, layers.image.data];
        const b = luminanceOf(bd[i], bd[i + 1], bd[i + 2]);
        misfitSquares += ((luminanceOf(im[i], im[i + 1], im[i + 2]) - b) / Math.max(b, 0.02)) ** 2;
        backdrop++;
      }
      if (Math.min(x + 0.5, y + 0.5, w - x - 0.5, h - y - 0.5) >= o.edgeWidth) continue;
      covered += layers.alpha.data[i];
      edge++;
    }
  }
  const cover = covered / Math.max(edge, 1);
  const misfit = Math.sqrt(misfitSquares / Math.max(backdrop, 1));
  const lifestyle = smoothstep(o.maxCover - o.ramp, o.maxCover, cover);
  const textured = smoothstep(o.texturedCover[0], o.texturedCover[1], cover) * smoothstep(o.texturedMisfit[0], o.texturedMisfit[1], misfit);
  const whole = Math.max(lifestyle, textured);
  const mix = (layer: CpuImage, keep: (i: number) => number) => createImage(w, h, (x, y) => {
    const i = (y * w + x) * 4;
    return [0, 1, 2, 3].map((c) => layer.data[i + c] + (keep(i + c) - layer.data[i + c]) * whole) as [number, number, number, number];
  });
  return {
    cover,
    misfit,
    whole,
    alpha: mix(layers.alpha, () => 1),
    foreground: mix(layers.foreground, (i) => layers.image.data[i]),
    shadow: mix(layers.shadow, (i) => (i % 4 === 3 ? 1 : 0)),
  };
}

/**
 * Island removal by its definition, as removeIslands (islands.ts) means it:
 * on blocks of 2^level pixels (islandPlan), a block is core when a pixel of
 * it has alpha >= 0.5, pinned when one has a red and no green hint (chunks/hints). The
 * core's 8-connected parts are labelled by flood fill; a part is wide when
 * the box of its core pixels is wider or higher than `maxWidth` pixels and
 * than a quarter of the widest part's. A narrow part (an island) is removed
 * unless it holds a pinned block or one of its blocks lies within `gap`
 * blocks (Chebyshev) of a wide part's block. At full resolution a removed block's pixels go to 0,
 * and so do those of a block without core that borders a removed block and
 * no kept core block (the island's soft rim) or that has no kept core block
 * within `gap` blocks (faint matte far from the piece), when there is core.
 */
export function removeIslandsRef(alpha: CpuImage, hints: CpuImage | undefined, o: { level: number; maxWidth: number; gap: number }): CpuImage {
  const { width: w, height: h } = alpha;
  const block = 2 ** o.level;
  const [bw, bh] = [Math.ceil(w / block), Math.ceil(h / block)];
  const core = new Uint8Array(bw * bh);
  const pinned = new Uint8Array(bw * bh);
  // Each block's box of core pixels: x0, y0, x1, y1.
  const box = Array.from({ length: bw * bh }, () => [Infinity, Infinity, -Infinity, -Infinity]);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const [i, b] = [(y * w + x) * 4, Math.floor(y / block) * bw + Math.floor(x / block)];
      if (alpha.data[i] >= 0.5) {
        core[b] = 1;
        box[b] = [Math.min(box[b][0], x), Math.min(box[b][1], y), Math.max(box[b][2], x), Math.max(box[b][3], y)];
      }
      if (hints && hints.data[i] > 0.5 && hints.data[i + 1] <= 0.5) pinned[b] = 1;
    }
  const label = new Int32Array(bw * bh).fill(-1);
  const coreImage = createImage(bw, bh, (x, y) => (core[y * bw + x] ? [1, 1, 1, 1] : [0, 0, 0, 1]));
  const parts = connectedComponents(coreImage);
  const widths = parts.map((blocks, id) => {
    for (const b of blocks) label[b] = id;
    const [x0, y0, x1, y1] = [0, 1, 2, 3].map((k) => (k < 2 ? Math.min : Math.max)(...blocks.map((b) => box[b][k])));
    return Math.max(x1 - x0 + 1, y1 - y0 + 1);
  });
  const pinnedPart = parts.map((blocks) => blocks.some((b) => pinned[b] === 1));
  const limit = Math.min(o.maxWidth, 0.25 * widths.reduce((m, v) => Math.max(m, v), 0));
  const wide = widths.map((width) => width > limit);
  const kept = wide.map((w, id) => w || pinnedPart[id]);
  for (let b = 0; b < bw * bh; b++) {
    if (!core[b] || kept[label[b]]) continue;
    const [bx, by] = [b % bw, Math.floor(b / bw)];
    for (let ny = Math.max(0, by - o.gap); ny <= Math.min(bh - 1, by + o.gap) && !kept[label[b]]; ny++)
      for (let nx = Math.max(0, bx - o.gap); nx <= Math.min(bw - 1, bx + o.gap); nx++)
        if (core[ny * bw + nx] && wide[label[ny * bw + nx]]) {
          kept[label[b]] = true;
          break;
        }
  }
  // -1 no core, 0 removed island, 1 kept core.
  const state = (bx: number, by: number) => (!core[by * bw + bx] ? -1 : kept[label[by * bw + bx]] ? 1 : 0);
  return createImage(w, h, (x, y) => {
    const i = (y * w + x) * 4;
    const a = alpha.data.slice(i, i + 4) as unknown as [number, number, number, number];
    const [bx, by] = [Math.floor(x / block), Math.floor(y / block)];
    let removed = state(bx, by) === 0;
    if (state(bx, by) < 0) {
      let [nextToRemoved, nextToKept] = [false, false];
      for (let dy = -1; dy <= 1; dy++)
        for (let dx = -1; dx <= 1; dx++) {
          const [nx, ny] = [bx + dx, by + dy];
          if (nx < 0 || ny < 0 || nx >= bw || ny >= bh) continue;
          nextToRemoved ||= state(nx, ny) === 0;
          nextToKept ||= state(nx, ny) === 1;
        }
      let nearKept = false;
      for (let ny = Math.max(0, by - o.gap); ny <= Math.min(bh - 1, by + o.gap); ny++)
        for (let nx = Math.max(0, bx - o.gap); nx <= Math.min(bw - 1, bx + o.gap); nx++) nearKept ||= state(nx, ny) === 1;
      removed = (nextToRemoved && !nextToKept) || (widths.length > 0 && !nearKept);
    }
    return removed ? [0, 0, 0, a[3]] : [a[0], a[1], a[2], a[3]];
  });
}

/** The four lines through a texel that close_strands.frag follows. */
const LINES = [[1, 0], [0, 1], [1, 1], [1, -1]] as const;

/** Parameters of close_strands.frag. */
export interface CloseStrandsOptions {
  high: number;
  across: number;
  flank: number;
  maxGap: number;
}

/**
 * Gap closing along thin strands, as close_strands.frag (texture reads clamp
 * to the edge): a pixel below `high` gets the smaller of the nearest pixels at
 * or above `high` on opposite sides along a horizontal, vertical or diagonal
 * line when they are at most maxGap + 1 apart, the matte two texels across
 * the line is below `across` on both sides of the pixel and of both of them,
 * and neither of the two has matte at or above `flank` on both sides along
 * one of the other three lines.
 */
export function closeStrandsRef(alpha: CpuImage, o: CloseStrandsOptions): CpuImage {
  const { width: w, height: h } = alpha;
  const at = (x: number, y: number) => alpha.data[(Math.min(h - 1, Math.max(0, y)) * w + Math.min(w - 1, Math.max(0, x))) * 4];
  return createImage(w, h, (x, y) => {
    let a = at(x, y);
    if (a < o.high) {
      for (const [dx, dy] of LINES) {
        const reach = (sx: number, sy: number) => {
          for (let k = 1; k <= o.maxGap; k++) if (at(x + k * sx, y + k * sy) >= o.high) return k;
          return 0;
        };
        const k1 = reach(dx, dy);
        const k2 = reach(-dx, -dy);
        if (!k1 || !k2 || k1 + k2 > o.maxGap + 1) continue;
        const [nx, ny] = [-dy, dx];
        const thin = (px: number, py: number) => Math.max(at(px + 2 * nx, py + 2 * ny), at(px - 2 * nx, py - 2 * ny)) < o.across;
        // A side that has matte on both sides along another line lies on a strand crossing this one.
        const crossed = (px: number, py: number) =>
          LINES.some(([ex, ey]) => (ex !== dx || ey !== dy) && Math.min(at(px + ex, py + ey), at(px - ex, py - ey)) >= o.flank);
        const [x1, y1, x2, y2] = [x + k1 * dx, y + k1 * dy, x - k2 * dx, y - k2 * dy];
        if (!thin(x, y) || !thin(x1, y1) || !thin(x2, y2) || crossed(x1, y1) || crossed(x2, y2)) continue;
        a = Math.max(a, Math.min(at(x1, y1), at(x2, y2)));
      }
    }
    return [a, a, a, 1];
  });
}

export interface ReplaceRefOptions {
  mode: 'transparent' | 'color' | 'image';
  /** sRGB colour for mode "color". */
  color?: [number, number, number];
  background?: CpuImage;
  shadow?: CpuImage;
  shadowOpacity?: number;
}

/** Composite of replace.frag for the transparent, colour and image modes. */
export function replaceRef(foreground: CpuImage, alpha: CpuImage | undefined, o: ReplaceRefOptions): CpuImage {
  return createImage(foreground.width, foreground.height, (x, y) => {
    const i = (y * foreground.width + x) * 4;
    const a = alpha ? alpha.data[i] : foreground.data[i + 3];
    const s = o.shadow ? (o.shadowOpacity ?? 1) * o.shadow.data[i] : 0;
    const f = [foreground.data[i], foreground.data[i + 1], foreground.data[i + 2]];
    if (o.mode === 'transparent') return [f[0], f[1], f[2], a + (1 - a) * s];
    const bg = o.mode === 'color' ? [...o.color!.map(srgbToLinear), 1] : Array.from(o.background!.data.subarray(i, i + 4));
    return [0, 1, 2, 3].map((c) => (c < 3 ? f[c] : a) + (1 - a) * bg[c] * (c < 3 ? 1 - s : 1)) as [number, number, number, number];
  });
}

// ---------------------------------------------------------------- synthetic scene

export interface SceneOptions {
  width: number;
  height: number;
  seed?: number;
  /** Backdrop colour, linear RGB. */
  backdrop?: [number, number, number];
  /**
   * "silver": grey metal darker than the backdrop; "white": white metal and a
   * diamond on a white backdrop; "dark": colourless near-black metal (hematite,
   * oxidised silver) as dark as a deep shadow.
   */
  metal?: 'silver' | 'white' | 'dark';
  /** Multiply by a gradient + vignette. */
  lighting?: boolean;
  /** Contact shadow under the ring. */
  shadow?: boolean;
  /** Darkening at the shadow's centre (default 0.35). */
  shadowDepth?: number;
  /** Multiplies the shadow's vertical extent (default 1: sigma a quarter of the ring's radius). */
  shadowSpread?: number;
  /** Gaussian noise standard deviation (linear). */
  noise?: number;
  /**
   * Relative amplitude of a fine woven texture on the backdrop (a cloth;
   * period 4 px); it fades out over the top 60 % of the frame (out of focus
   * there, as on a shot at an angle).
   */
  texture?: number;
  /**
   * The weave's relief shows more in the shadow, lit only from the side: its
   * amplitude there is multiplied by 1 + this times the shadow's darkening
   * over its depth (chain_white_unsplash_01: fine-scale texture 0.056 in the
   * shadow between the bangles, 0.017 on the open cloth).
   */
  shadowTexture?: number;
  /**
   * Per-channel share of the shadow's darkening (default [1, 1, 1]: a grey
   * shadow). A shadow beside gold is lit by the light the gold reflects and
   * darkens blue most, e.g. [0.85, 1, 1.2].
   */
  shadowTint?: [number, number, number];
}

export interface Scene {
  /** The shot: lit composite, premultiplied linear, opaque. */
  image: CpuImage;
  /** True matte. */
  alpha: CpuImage;
  /** True straight foreground colour (meaningful where alpha > 0). */
  foreground: CpuImage;
  /** Backdrop as lit, without piece or shadow. */
  backdrop: CpuImage;
  /** Light multiplier (1 without lighting). */
  illumination: CpuImage;
  /** Chain strands (where they have coverage). */
  thin: CpuImage;
  /** Transparent gem interior. */
  gem: CpuImage;
  /** Shadow darkening 0..1 applied to the backdrop. */
  shadow: CpuImage;
}

const SUPERSAMPLE = 4;

/**
 * A ring with metal reflections, two chain strands 1 and 2 px wide, a
 * transparent gem (alpha 0.5) in a thin opaque bezel, optionally a contact
 * shadow and uneven light, composited I = L (a F + (1 - a) B (1 - s)) with
 * coverage from 4x4 supersampling, so the true matte is known exactly.
 */
export function syntheticScene(o: SceneOptions): Scene {
  const { width: w, height: h } = o;
  const S = Math.min(w, h);
  const bd = o.backdrop ?? [0.8, 0.8, 0.8];
  const white = o.metal === 'white';
  const ring = { x: 0.36 * w, y: 0.42 * h, outer: 0.2 * S, inner: 0.14 * S };
  const gem = { x: 0.74 * w, y: 0.3 * h, r: 0.09 * S, bezel: 1.5 };
  // Chain strands: y = y0 + amp sin(2 pi x / period), from the ring to the right edge.
  const strands = [
    { y0: 0.72 * h, amp: 0.05 * h, period: 0.6 * w, width: 1, color: white ? [0.95, 0.95, 0.97] : [0.78, 0.52, 0.18] },
    { y0: 0.84 * h, amp: 0.04 * h, period: 0.45 * w, width: 2, color: white ? [0.6, 0.6, 0.62] : [0.45, 0.45, 0.47] },
  ];
  const metalAt = (x: number, y: number) => {
    // Reflections: bands around the ring, from dark to above the backdrop for white metal.
    const t = 0.5 + 0.5 * Math.cos(3 * Math.atan2(y - ring.y, x - ring.x) + 0.02 * (x + y));
    const base = white ? 0.62 + 0.4 * t : o.metal === 'dark' ? 0.04 + 0.12 * t : 0.25 + 0.45 * t;
    return [base, base, base * 1.02];
  };
  const gemColor = white ? [0.9, 0.92, 0.95] : [0.3, 0.5, 0.85];
  const gemAlpha = 0.5;

  const alpha = createImage(w, h);
  const fg = createImage(w, h);
  const thin = createImage(w, h);
  const gemMask = createImage(w, h);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      // Accumulate premultiplied colour and coverage of the layers, over-composited per sample.
      let pa = 0;
      const pc = [0, 0, 0];
      let thinCov = 0;
      let gemCov = 0;
      for (let sy = 0; sy < SUPERSAMPLE; sy++)
        for (let sx = 0; sx < SUPERSAMPLE; sx++) {
          const X = x + (sx + 0.5) / SUPERSAMPLE;
          const Y = y + (sy + 0.5) / SUPERSAMPLE;
          let a = 0;
          let c = [0, 0, 0];
          const over = (la: number, lc: number[]) => {
            c = c.map((v, k) => lc[k] * la + v * (1 - la));
            a = la + a * (1 - la);
          };
          for (const s of strands) {
            const f = s.y0 + s.amp * Math.sin((2 * Math.PI * X) / s.period);
            const slope = (s.amp * 2 * Math.PI * Math.cos((2 * Math.PI * X) / s.period)) / s.period;
            const dist = Math.abs(Y - f) / Math.sqrt(1 + slope * slope);
            if (X > ring.x && dist <= s.width / 2) {
              over(1, s.color);
              thinCov++;
            }
          }
          const dr = Math.hypot(X - ring.x, Y - ring.y);
          if (dr <= ring.outer && dr >= ring.inner) over(1, metalAt(X, Y));
          const dg = Math.hypot(X - gem.x, Y - gem.y);
          if (dg <= gem.r) {
            if (dg >= gem.r - gem.bezel) over(1, metalAt(X, Y));
            else {
              over(gemAlpha, gemColor);
              gemCov++;
            }
          }
          pa += a;
          c.forEach((v, k) => (pc[k] += v));
        }
      const n = SUPERSAMPLE * SUPERSAMPLE;
      const i = (y * w + x) * 4;
      const a = pa / n;
      alpha.data.set([a, a, a, 1], i);
      fg.data.set(a > 0 ? [pc[0] / n / a, pc[1] / n / a, pc[2] / n / a, 1] : [0, 0, 0, 1], i);
      thin.data.set(Array(3).fill(thinCov > 0 ? 1 : 0).concat(1), i);
      gemMask.data.set(Array(3).fill(gemCov === n ? 1 : 0).concat(1), i);
    }

  const shadow = createImage(w, h, (x, y) => {
    if (!o.shadow) return [0, 0, 0, 1];
    // Soft elliptical darkening just below the ring, deepest at the contact.
    const dx = (x + 0.5 - ring.x) / (0.9 * ring.outer);
    const dy = (y + 0.5 - (ring.y + ring.outer * 0.85)) / (0.25 * (o.shadowSpread ?? 1) * ring.outer);
    const s = (o.shadowDepth ?? 0.35) * Math.exp(-0.5 * (dx * dx + dy * dy));
    return [s, s, s, 1];
  });
  const illumination = createImage(w, h, (x, y) => {
    if (!o.lighting) return [1, 1, 1, 1];
    const u = (x + 0.5) / w - 0.5;
    const v = (y + 0.5) / h - 0.5;
    const r2 = (u * u + v * v) / 0.5;
    const l = (1 + 0.25 * u - 0.12 * v) * (1 - 0.3 * r2);
    return [l, l * 0.99, l * 0.97, 1]; // slightly warm falloff
  });
  const random = rng(o.seed ?? 1);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  // Weave: threads along x and y alternately raised, 4 px period, slightly irregular.
  const weave = (x: number, y: number, s = 0) =>
    1 + (o.texture ?? 0) * (1 + ((o.shadowTexture ?? 0) * s) / (o.shadowDepth ?? 0.35)) * Math.min(Math.max((y / h - 0.3) / 0.3, 0), 1) * 0.5 * (Math.sin((Math.PI / 2) * (x + 0.5) + 0.3 * Math.sin(0.37 * y)) + Math.sin((Math.PI / 2) * (y + 0.5) + 0.3 * Math.sin(0.29 * x)));
  const backdrop = createImage(w, h, (x, y) => {
    const i = (y * w + x) * 4;
    const t = weave(x, y);
    return [bd[0] * t * illumination.data[i], bd[1] * t * illumination.data[i + 1], bd[2] * t * illumination.data[i + 2], 1];
  });
  const image = createImage(w, h, (x, y) => {
    const i = (y * w + x) * 4;
    const a = alpha.data[i];
    const s = shadow.data[i];
    const px = [0, 1, 2].map(
      (c) => illumination.data[i + c] * (a * fg.data[i + c] + (1 - a) * bd[c] * weave(x, y, s) * (1 - s * (o.shadowTint?.[c] ?? 1))) + (o.noise ? o.noise * gauss() : 0),
    );
    return [px[0], px[1], px[2], 1];
  });
  return { image, alpha, foreground: fg, backdrop, illumination, thin, gem: gemMask, shadow };
}

// ---------------------------------------------------------------- metrics

/** Mean absolute alpha error (SAD / pixel count) over pixels where region > 0.5 (everywhere without one). */
export function alphaSad(estimate: CpuImage, truth: CpuImage, region?: CpuImage): number {
  let sum = 0;
  let n = 0;
  for (let i = 0; i < truth.data.length; i += 4) {
    if (region && region.data[i] <= 0.5) continue;
    sum += Math.abs(estimate.data[i] - truth.data[i]);
    n++;
  }
  return n ? sum / n : 0;
}

/** Mean squared difference of alpha gradient magnitudes (central differences), per pixel. */
export function alphaGradientError(estimate: CpuImage, truth: CpuImage): number {
  const { width: w, height: h } = truth;
  const grad = (img: CpuImage, x: number, y: number) => {
    const at = (xx: number, yy: number) => img.data[(Math.min(h - 1, Math.max(0, yy)) * w + Math.min(w - 1, Math.max(0, xx))) * 4];
    return Math.hypot((at(x + 1, y) - at(x - 1, y)) / 2, (at(x, y + 1) - at(x, y - 1)) / 2);
  };
  let sum = 0;
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) sum += (grad(estimate, x, y) - grad(truth, x, y)) ** 2;
  return sum / (w * h);
}

/** Coefficient of variation of luminance over pixels where region > 0.5. */
export function coefficientOfVariation(img: CpuImage, region: CpuImage): number {
  let s = 0;
  let s2 = 0;
  let n = 0;
  for (let i = 0; i < img.data.length; i += 4) {
    if (region.data[i] <= 0.5) continue;
    const l = luminanceOf(img.data[i], img.data[i + 1], img.data[i + 2]);
    s += l;
    s2 += l * l;
    n++;
  }
  const mean = s / n;
  return Math.sqrt(Math.max(0, s2 / n - mean * mean)) / mean;
}

/** Mean sRGB-encoded luminance (0..255) over pixels where region > 0.5. */
export function meanDisplayLevel(img: CpuImage, region: CpuImage): number {
  let s = 0;
  let n = 0;
  for (let i = 0; i < img.data.length; i += 4) {
    if (region.data[i] <= 0.5) continue;
    s += 255 * linearToSrgb(luminanceOf(img.data[i], img.data[i + 1], img.data[i + 2]));
    n++;
  }
  return s / n;
}

/** Distance (px, chessboard) from every pixel to the nearest pixel where source > threshold, capped at `cap`. */
export function distanceTo(source: CpuImage, threshold: number, cap: number): Float64Array {
  const { width: w, height: h } = source;
  const d = new Float64Array(w * h).fill(cap);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      if (source.data[(y * w + x) * 4] <= threshold) continue;
      for (let yy = Math.max(0, y - cap); yy <= Math.min(h - 1, y + cap); yy++)
        for (let xx = Math.max(0, x - cap); xx <= Math.min(w - 1, x + cap); xx++) {
          const k = yy * w + xx;
          d[k] = Math.min(d[k], Math.max(Math.abs(xx - x), Math.abs(yy - y)));
        }
    }
  return d;
}

/** Mask (r = g = b) of pixels whose distance lies in [min, max). */
export function bandMask(distance: Float64Array, w: number, h: number, min: number, max: number): CpuImage {
  return createImage(w, h, (x, y) => {
    const v = distance[y * w + x] >= min && distance[y * w + x] < max ? 1 : 0;
    return [v, v, v, 1];
  });
}

/**
 * Backdrop colour left in the decontaminated foreground (the fringe a new
 * background shows), in 8-bit units of linear light: over the edge band
 * (0.02 < true alpha < 0.98), the mean of a * max(0, (F_est - F_true) . u)
 * with u the unit direction of the backdrop's colour away from grey (its hue
 * and saturation; errors along the grey axis are alpha errors, reported by
 * the matte metrics). a weights it by how much of the pixel the error reaches
 * in a composite. Meaningful on a coloured backdrop.
 */
export function edgeContamination(foregroundPremultiplied: CpuImage, alphaTruth: CpuImage, foregroundTruth: CpuImage, backdrop: CpuImage): number {
  let sum = 0;
  let n = 0;
  for (let i = 0; i < alphaTruth.data.length; i += 4) {
    const a = alphaTruth.data[i];
    if (!(a > 0.02 && a < 0.98)) continue;
    const ea = foregroundPremultiplied.data[i + 3];
    const grey = luminanceOf(backdrop.data[i], backdrop.data[i + 1], backdrop.data[i + 2]);
    const dir = [0, 1, 2].map((c) => backdrop.data[i + c] - grey);
    const len = Math.hypot(...dir);
    if (len < 1e-6) continue;
    let along = 0;
    for (let c = 0; c < 3; c++) {
      const fEst = ea > 1e-6 ? foregroundPremultiplied.data[i + c] / ea : 0;
      along += ((fEst - foregroundTruth.data[i + c]) * dir[c]) / len;
    }
    sum += a * Math.max(0, along);
    n++;
  }
  return (255 * sum) / Math.max(n, 1);
}
