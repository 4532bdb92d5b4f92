import { createImage, rng, type CpuImage } from './image.js';
import { gaussianBlurRef, linearToSrgb, smoothstep } from './reference.js';
import { bilateralLevelsRef } from './frequency-ref.js';

/** glare.flatten parameters (px values at the rendered scale). */
export interface GlareParams {
  veil: number;
  backdropVeil: boolean;
  blownBackdrop: number;
  floorFraction: number;
  estimateVeil: boolean;
  veilRadius: number;
  sourceLevel: number;
  strength: number;
  threshold: number;
  blownLevel: number;
  bloomLevel: number;
  excess: number;
  spatialSigma: number;
  rangeSigma: number;
  surroundRadius: number;
  reach: number;
  iterations: number;
  sparkleSize: number;
  sparkleContrast: number;
  sparkleProtection: number;
  detailCeiling: number;
  detail: number;
}

export const GLARE_DEFAULTS: GlareParams = {
  veil: 0,
  backdropVeil: false,
  blownBackdrop: 1,
  floorFraction: 0.005,
  estimateVeil: false,
  veilRadius: 24,
  sourceLevel: 0.55,
  strength: 1,
  threshold: 0.8,
  blownLevel: 1,
  bloomLevel: 0.98,
  excess: 1.1,
  spatialSigma: 8,
  rangeSigma: 0.1,
  surroundRadius: 40,
  reach: 16,
  iterations: 2,
  sparkleSize: 3,
  sparkleContrast: 1.6,
  sparkleProtection: 1,
  detailCeiling: 0.2,
  detail: 1,
};

const lum = (d: ArrayLike<number>, i: number) => 0.2126 * d[i] + 0.7152 * d[i + 1] + 0.0722 * d[i + 2];

/** Every straight channel of the raw pixel at or above `level` (ramped); 0 when level >= 1. */
function blown(raw: ArrayLike<number>, i: number, level: number): number {
  const a = raw[i + 3];
  if (level >= 1 || a <= 0) return 0;
  return smoothstep(level, level + 0.95 * (1 - level), Math.min(raw[i], raw[i + 1], raw[i + 2]) / a);
}

/** Highlight of the base, or blown out in the raw photo at blownLevel (1 = off). */
function highlight(base: ArrayLike<number>, raw: ArrayLike<number>, i: number, p: GlareParams): number {
  return Math.max(smoothstep(p.threshold - 0.03, p.threshold, linearToSrgb(lum(base, i))), blown(raw, i, p.blownLevel));
}

/** Hue test of the glare-free tone against the piece's colour around (chunks/glare, glareSameHue). */
const HUE_SATURATION = 4;
const HUE_MISMATCH = [0.03, 0.08] as const;
function sameHue(tone: number[], around: number[]): number {
  const chromaticity = (c: number[]) => {
    const sum = Math.max(c[0] + c[1] + c[2], 1e-6);
    return c.map((v) => v / sum - 1 / 3);
  };
  const t = chromaticity(tone);
  const a = chromaticity(around);
  const dot = (u: number[], v: number[]) => u[0] * v[0] + u[1] * v[1] + u[2] * v[2];
  const along = Math.min(Math.max(dot(t, a) / Math.max(dot(a, a), 1e-9), 0), HUE_SATURATION);
  return 1 - smoothstep(HUE_MISMATCH[0], HUE_MISMATCH[1], Math.hypot(...t.map((v, c) => v - along * a[c])));
}

function elevation(base: ArrayLike<number>, i: number, surround: number[], excess: number): number {
  const ratio = lum(base, i) / Math.max(0.2126 * surround[0] + 0.7152 * surround[1] + 0.0722 * surround[2], 1e-4);
  return smoothstep(1 + 0.5 * (excess - 1), excess, ratio);
}

/**
 * Least-squares slope of backdrop luminance (off the matte, no channel >= 0.98)
 * against the luminance of the predicted scatter: the estimated veil amount, in [0, 1].
 */
export function fittedVeilRef(raw: CpuImage, scattered: CpuImage, matte: CpuImage): number {
  let sw = 0, ss = 0, si = 0, sss = 0, ssi = 0;
  for (let q = 0; q < raw.width * raw.height; q++) {
    const i = 4 * q;
    const w = (1 - matte.data[i]) * (Math.max(raw.data[i], raw.data[i + 1], raw.data[i + 2]) < 0.98 ? 1 : 0);
    const s = lum(scattered.data, i);
    const l = lum(raw.data, i);
    sw += w;
    ss += w * s;
    si += w * l;
    sss += w * s * s;
    ssi += w * s * l;
  }
  const variance = sw * sss - ss * ss;
  return variance > 1e-12 * sw * sw ? Math.min(1, Math.max(0, (sw * ssi - ss * si) / variance)) : 0;
}

/** Luminance of the backdrop's scatter from which a piece pixel witnesses the dark floor, and at which it has full weight (chunks/glare). */
const FLOOR_MIN_SCATTER = 0.02;
const FLOOR_FULL_SCATTER = 0.03;
/** Witnesses' total weight (pixels) over which the floor's amount fades in (chunks/glare, GLARE_FLOOR_MIN_WEIGHT). */
const FLOOR_MIN_WEIGHT = 4;

/** Linear level every channel of a blown backdrop pixel reaches (chunks/glare, GLARE_BACKDROP_BLOWN). */
const BACKDROP_BLOWN = 0.98;

/**
 * The factor on the piece's veil in the dark-floor ratio (chunks/glare,
 * glarePieceVeilInFloor): 1, falling to 0 as the blown share of the backdrop
 * (weight 1 - matte) rises from share / 2 to share; 1 when share >= 1.
 */
export function pieceVeilInFloorRef(raw: CpuImage, matte: CpuImage, share: number): number {
  if (share >= 1) return 1;
  let blownWeight = 0;
  let weight = 0;
  for (let i = 0; i < raw.data.length; i += 4) {
    const backdrop = 1 - matte.data[i];
    blownWeight += backdrop * blown(raw.data, i, BACKDROP_BLOWN);
    weight += backdrop;
  }
  return 1 - smoothstep(0.5 * share, share, blownWeight / Math.max(weight, 1e-6));
}

/**
 * The backdrop's veil amount from the piece's dark floor (chunks/glare,
 * glareFloorAmount): the ratio min_c(raw - pieceVeil * amount * scattered) / lum(scatteredBackdrop)
 * below which `fraction` of the witnesses (weight smoothstep(0.5, 1, matte)
 * times smoothstep(0.02, 0.03, lum(scatteredBackdrop))) lie, counted below the
 * 15 thresholds amount * i / 14 and interpolated between them, faded in as the
 * witnesses' total weight rises to 4; in [0, amount], 0 without witnesses.
 */
export function backdropVeilRef(raw: CpuImage, scattered: CpuImage, scatteredBackdrop: CpuImage, matte: CpuImage, amount: number, fraction: number, pieceVeil = 1): number {
  const threshold = (i: number) => (amount * i) / 14;
  const counts = new Array<number>(16).fill(0);
  for (let i = 0; i < raw.data.length; i += 4) {
    const backdrop = lum(scatteredBackdrop.data, i);
    const w = smoothstep(0.5, 1, matte.data[i]) * smoothstep(FLOOR_MIN_SCATTER, FLOOR_FULL_SCATTER, backdrop);
    if (w === 0) continue;
    const ratio = Math.min(...[0, 1, 2].map((c) => raw.data[i + c] - pieceVeil * amount * scattered.data[i + c])) / Math.max(backdrop, FLOOR_MIN_SCATTER);
    for (let k = 0; k < 15; k++) if (ratio < threshold(k)) counts[k] += w;
    counts[15] += w;
  }
  const target = fraction * counts[15];
  if (counts[15] <= 0 || counts[0] > target) return 0;
  const evidence = smoothstep(0, FLOOR_MIN_WEIGHT, counts[15]);
  for (let k = 1; k < 15; k++)
    if (counts[k] > target) return evidence * (threshold(k - 1) + ((threshold(k) - threshold(k - 1)) * (target - counts[k - 1])) / (counts[k] - counts[k - 1]));
  return evidence * amount;
}

/**
 * The veil stage of glare.flatten in float64: the glare-free estimate after
 * the two fixed-point steps, the piece's veil amount and the backdrop's
 * amount estimated at each step (0 when backdropVeil is off).
 */
export function veilRemovalRef(raw: CpuImage, p: GlareParams, matte?: CpuImage): { image: CpuImage; amount: number; backdropAmounts: number[] } {
  const n = raw.width * raw.height;
  const m = (q: number) => (matte ? matte.data[4 * q] : 1);
  let img = raw;
  let amount = p.veil;
  const backdropAmounts: number[] = [];
  const estimate = p.estimateVeil && matte !== undefined;
  if (p.veil > 0 || estimate) {
    let pieceBound: CpuImage | undefined;
    const pieceVeil = p.backdropVeil && matte ? pieceVeilInFloorRef(raw, matte, p.blownBackdrop) : 1;
    for (let step = 0; step < 2; step++) {
      const scatter = (weight: (q: number) => number) => {
        const source = createImage(raw.width, raw.height);
        for (let q = 0; q < n; q++) {
          for (let c = 0; c < 3; c++) source.data[4 * q + c] = Math.max(img.data[4 * q + c] - p.sourceLevel, 0) * weight(q);
          source.data[4 * q + 3] = 1;
        }
        return gaussianBlurRef(source, p.veilRadius);
      };
      const scattered = scatter(m);
      if (estimate && step === 0) amount = fittedVeilRef(raw, scattered, matte!);
      // The backdrop's share (off the matte), its amount estimated at each step
      // against the piece's veil of the raw image (see glare.flatten).
      const backdrop = p.backdropVeil && matte ? scatter((q) => 1 - m(q)) : undefined;
      pieceBound ??= scattered;
      const floorAmount = backdrop ? backdropVeilRef(raw, pieceBound, backdrop, matte!, amount, p.floorFraction, pieceVeil) : 0;
      // Under a blown backdrop's rule the second step keeps the first step's amount (glare/veil_floor_amount).
      const backdropAmount = step === 0 ? floorAmount : backdropAmounts[0] + pieceVeil * (floorAmount - backdropAmounts[0]);
      backdropAmounts.push(backdropAmount);
      const next = createImage(raw.width, raw.height);
      for (let i = 0; i < raw.data.length; i++)
        next.data[i] = i % 4 === 3 ? raw.data[i] : Math.max(raw.data[i] - amount * scattered.data[i] - (backdrop ? backdropAmount * backdrop.data[i] : 0), 0);
      img = next;
    }
  }
  return { image: img, amount, backdropAmounts };
}

/** glare.flatten in float64 with exact Gaussian blurs: every output of the pass. `matte`: red channel. */
export function glareFlattenRef(raw: CpuImage, p: GlareParams, matte?: CpuImage): Record<'out' | 'mask' | 'base' | 'sparkle' | 'veil', CpuImage> {
  const n = raw.width * raw.height;
  const m = (q: number) => (matte ? matte.data[4 * q] : 1);

  const img = veilRemovalRef(raw, p, matte).image;

  const base = bilateralLevelsRef(img, p.spatialSigma, p.rangeSigma);
  const highlightMap = createImage(raw.width, raw.height);
  // Alpha: blown backdrop, every channel of the photo at or above BACKDROP_BLOWN off the matte (chunks/glare, glareBesideBlownBackdrop).
  for (let q = 0; q < n; q++) highlightMap.data.set([highlight(base.data, raw.data, 4 * q, p) * m(q), m(q), blown(raw.data, 4 * q, p.bloomLevel) * m(q), blown(raw.data, 4 * q, BACKDROP_BLOWN) * (1 - m(q))], 4 * q);
  const highlights = gaussianBlurRef(highlightMap, p.surroundRadius);
  const wide = (q: number, c: number) => highlights.data[4 * q + c];
  // The piece's thinness around q: a blown spot on a strand is a bloom (see chunks/glare.glsl).
  const thinness = (q: number) => smoothstep(0.02, 0.05, wide(q, 1)) * (1 - smoothstep(0.1, 0.2, wide(q, 1)));
  const mapHighlight = (q: number) => Math.max(highlightMap.data[4 * q], highlightMap.data[4 * q + 2] * thinness(q));
  // Shares of the piece around q on a broad piece, of the whole neighbourhood on a thin one.
  const shareOf = (q: number) => Math.max(wide(q, 1), 1e-6) + (1 - Math.max(wide(q, 1), 1e-6)) * thinness(q);
  const compactness = (q: number) => 1 - smoothstep(0.2, 0.35, (wide(q, 0) + wide(q, 2) * thinness(q)) / shareOf(q));
  const compact = createImage(raw.width, raw.height);
  for (let q = 0; q < n; q++) compact.data.set([mapHighlight(q) * compactness(q), highlightMap.data[4 * q + 1], highlightMap.data[4 * q + 3], 1], 4 * q);
  const nearby = gaussianBlurRef(compact, p.reach);
  const normalised = (s: CpuImage, q: number) => {
    const a = s.data[4 * q + 3];
    return [0, 1, 2].map((c) => (a > 1e-6 ? s.data[4 * q + c] / a : base.data[4 * q + c]));
  };
  let surround: CpuImage | undefined;
  let surroundNear: CpuImage | undefined;
  for (let k = 0; k < p.iterations; k++) {
    // The wide tone weighs by the piece too (a trimap's band counts a quarter); the near one does not.
    const weighted = createImage(raw.width, raw.height);
    const byPiece = createImage(raw.width, raw.height);
    for (let q = 0; q < n; q++) {
      let w = m(q) - mapHighlight(q);
      if (surround && surround.data[4 * q + 3] > 1e-6) w *= 1 - elevation(base.data, 4 * q, normalised(surround, q), p.excess);
      for (let c = 0; c < 3; c++) {
        weighted.data[4 * q + c] = base.data[4 * q + c] * w;
        byPiece.data[4 * q + c] = base.data[4 * q + c] * w * m(q);
      }
      weighted.data[4 * q + 3] = w;
      byPiece.data[4 * q + 3] = w * m(q);
    }
    surround = gaussianBlurRef(byPiece, p.surroundRadius);
    if (k === p.iterations - 1) surroundNear = gaussianBlurRef(weighted, p.reach);
  }
  const local = gaussianBlurRef(img, p.sparkleSize);
  const pieceColourMap = createImage(raw.width, raw.height);
  for (let q = 0; q < n; q++) pieceColourMap.data.set([img.data[4 * q] * m(q), img.data[4 * q + 1] * m(q), img.data[4 * q + 2] * m(q), m(q)], 4 * q);
  const pieceColour = gaussianBlurRef(pieceColourMap, p.reach);

  const make = () => createImage(raw.width, raw.height);
  const out = { out: make(), mask: make(), base: make(), sparkle: make(), veil: make() };
  for (let q = 0; q < n; q++) {
    const i = 4 * q;
    // On a thin piece the tone and its support are taken within the reach (see glare/apply).
    const thin = thinness(q);
    const wideTone = normalised(surround!, q);
    const nearTone = normalised(surroundNear!, q);
    const tone = wideTone.map((v, c) => v + (nearTone[c] - v) * thin);
    const nearGlare = smoothstep(0.02, 0.12, nearby.data[i] / Math.max(nearby.data[i + 1], 1e-6));
    const confidence = compactness(q);
    const sparkle = smoothstep(0.8 * p.sparkleContrast, 1.2 * p.sparkleContrast, lum(img.data, i) / Math.max(lum(local.data, i), 1e-4));
    const wideSupport = smoothstep(0.05, 0.2, surround!.data[i + 3]);
    const toneSupport = wideSupport + (smoothstep(0.02, 0.08, surroundNear!.data[i + 3]) - wideSupport) * thin;
    const around = pieceColour.data[i + 3] > 1e-6 ? [0, 1, 2].map((c) => pieceColour.data[i + c] / pieceColour.data[i + 3]) : undefined;
    const hue = around ? sameHue(tone, around) : 1;
    const besideBlownBackdrop = 1 - smoothstep(0.1, 0.3, nearby.data[i + 2]);
    const amount = p.strength * elevation(base.data, i, tone, p.excess) * nearGlare * confidence * toneSupport * hue * m(q) * (1 - p.sparkleProtection * sparkle) * besideBlownBackdrop;
    for (let c = 0; c < 3; c++) {
      const flattened = base.data[i + c] + (tone[c] - base.data[i + c]) * amount;
      const detail = img.data[i + c] - base.data[i + c];
      const kept = detail + (Math.min(detail, p.detailCeiling * tone[c]) - detail) * amount;
      out.base.data[i + c] = flattened;
      out.out.data[i + c] = flattened + kept * (1 + (p.detail - 1) * amount);
      out.mask.data[i + c] = amount;
      out.sparkle.data[i + c] = sparkle;
      out.veil.data[i + c] = raw.data[i + c] - img.data[i + c];
    }
    out.out.data[i + 3] = out.base.data[i + 3] = img.data[i + 3];
    out.mask.data[i + 3] = out.sparkle.data[i + 3] = 1;
  }
  return out;
}

export interface GlareScene {
  raw: CpuImage;
  clean: CpuImage;
  /** Where glare was added (its luminance > 0.01 linear), 0/1. */
  glare: CpuImage;
  /** The glints (small clipped sparkles) of the clean piece, 0/1. */
  glints: CpuImage;
}

/**
 * A small synthetic product shot for glare tests, independent of the engine:
 * a brushed, engraved metal plate with soft shading on a light backdrop, a few
 * clipped glints, and glare added in linear light: a clipped hotspot plus a
 * wide achromatic veil around it. The camera clips at 1. The hotspot's
 * Gaussian sigma is `hotspotSize` x the shorter side.
 */
export function syntheticGlareScene(width: number, height: number, metal: [number, number, number], seed: number, hotspotSize = 0.045): GlareScene {
  const r = rng(seed);
  const streaks = Array.from({ length: height }, () => 0.9 + 0.2 * r());
  const glints = Array.from({ length: 6 }, () => [width * (0.2 + 0.6 * r()), height * (0.25 + 0.5 * r())]);
  const hot = [width * 0.38, height * 0.42];
  const scale = Math.min(width, height);
  const hotSigma = hotspotSize * scale;
  const veilSigma = 0.16 * scale;
  const inPlate = (x: number, y: number) => x > 0.12 * width && x < 0.88 * width && y > 0.12 * height && y < 0.88 * height;
  const glint = (x: number, y: number) => glints.some(([gx, gy]) => (x - gx) ** 2 + (y - gy) ** 2 <= 1.6);
  const clean = createImage(width, height, (x, y) => {
    if (!inPlate(x, y)) return [0.82, 0.82, 0.8, 1];
    if (glint(x, y)) return [1, 1, 1, 1];
    const shade = 0.55 + 0.35 * (x / width) * (1 - 0.3 * (y / height));
    const engraving = (x + 2 * y) % 17 < 2 ? 0.6 : 1;
    const v = shade * streaks[y] * engraving * (0.97 + 0.06 * r());
    return [metal[0] * v, metal[1] * v, metal[2] * v, 1];
  });
  const glareAt = (x: number, y: number) => {
    const d2 = (x - hot[0]) ** 2 + (y - hot[1]) ** 2;
    return 3 * Math.exp(-d2 / (2 * hotSigma ** 2)) + 0.12 * Math.exp(-d2 / (2 * veilSigma ** 2));
  };
  const raw = createImage(width, height, (x, y) => {
    const i = (y * width + x) * 4;
    const g = inPlate(x, y) ? glareAt(x, y) : 0;
    return [0, 1, 2].map((c) => Math.min(1, clean.data[i + c] + g)).concat(1) as [number, number, number, number];
  });
  const glareMask = createImage(width, height, (x, y) => (inPlate(x, y) && glareAt(x, y) > 0.01 ? [1, 1, 1, 1] : [0, 0, 0, 1]));
  const glintMask = createImage(width, height, (x, y) => (inPlate(x, y) && glint(x, y) ? [1, 1, 1, 1] : [0, 0, 0, 1]));
  return { raw, clean, glare: glareMask, glints: glintMask };
}
