import { describe, expect, it } from 'vitest';
import { createImage, rng, type CpuImage } from '../src/cpu/image.js';
import {
  backdropVariation,
  bandAroundMask,
  changedFraction,
  clippedFraction,
  colourContamination,
  connectedComponents,
  defectRemoval,
  distanceToMask,
  fromDisplay,
  gradientMagnitude,
  invertMask,
  mattingErrors,
  maskFromPredicate,
  acutance,
  noiseGain,
  overshoot,
  psnr,
  spotContrast,
  ssim,
  toDisplay,
} from '../src/metrics/index.js';

const grey = (w: number, h: number, value: (x: number, y: number) => number): CpuImage =>
  createImage(w, h, (x, y) => {
    const v = value(x, y);
    return [v, v, v, 1];
  });

const noise = (w: number, h: number, seed: number): CpuImage => {
  const r = rng(seed);
  return createImage(w, h, () => [r(), r(), r(), 1]);
};

const offset = (img: CpuImage, d: number, where: (p: number) => boolean = () => true): CpuImage => ({
  ...img,
  data: img.data.map((v, i) => (i % 4 < 3 && where(i >> 2) ? v + d : v)),
});


describe('PSNR', () => {
  const img = noise(40, 30, 1);

  it('is Infinity for identical images', () => {
    expect(psnr(img, img)).toBe(Infinity);
  });

  it('is exactly 20 dB for a constant offset of 0.1 (MSE 0.01)', () => {
    expect(psnr(offset(img, 0.1), img)).toBeCloseTo(20, 9);
    expect(psnr(offset(img, -0.01), img)).toBeCloseTo(40, 9);
  });

  it('splits inside and outside a mask', () => {
    const inLeft = (p: number) => p % 40 < 10;
    const mask = maskFromPredicate(img, inLeft);
    const damaged = offset(img, 0.1, inLeft);
    expect(psnr(damaged, img, mask)).toBeCloseTo(20, 9);
    expect(psnr(damaged, img, invertMask(mask))).toBe(Infinity);
    // Overall: a quarter of the pixels carry MSE 0.01.
    expect(psnr(damaged, img)).toBeCloseTo(-10 * Math.log10(0.0025), 9);
  });

  it('is NaN over an empty region', () => {
    expect(psnr(img, img, maskFromPredicate(img, () => false))).toBeNaN();
  });

  it('matches the closed form for a one-pixel shift of a ramp', () => {
    const w = 50;
    const ramp = grey(w, 8, (x) => x / (w - 1));
    const shifted = grey(w, 8, (x) => Math.max(0, x - 1) / (w - 1));
    // Every column but the first differs by 1/(w-1): MSE = (w-1)/w / (w-1)^2 = 1 / (w (w-1)).
    expect(psnr(shifted, ramp)).toBeCloseTo(10 * Math.log10(w * (w - 1)), 9);
  });

  it('refuses images of different sizes', () => {
    expect(() => psnr(noise(4, 4, 1), noise(5, 4, 1))).toThrow(/size mismatch/);
  });
});

describe('SSIM', () => {
  it('is 1 for identical images', () => {
    const img = noise(32, 24, 2);
    expect(ssim(img, img)).toBeCloseTo(1, 12);
  });

  it('matches the closed form for two flat images: (2ab + C1) / (a^2 + b^2 + C1)', () => {
    const a = 0.3;
    const b = 0.6;
    const c1 = 0.01 ** 2;
    expect(ssim(grey(20, 20, () => a), grey(20, 20, () => b))).toBeCloseTo((2 * a * b + c1) / (a * a + b * b + c1), 12);
  });

  it('collapses for a one-pixel shift of uncorrelated noise, while a smooth image stays close to 1', () => {
    const img = noise(40, 40, 3);
    const shifted = createImage(40, 40, (x, y) => Array.from(img.data.subarray((y * 40 + Math.max(0, x - 1)) * 4, (y * 40 + Math.max(0, x - 1)) * 4 + 4)) as never);
    // Neighbouring noise pixels are independent: correlation near 0, so SSIM near 0.
    expect(ssim(shifted, img)).toBeLessThan(0.2);
    const smooth = grey(40, 40, (x, y) => 0.5 + 0.3 * Math.sin(x / 6) * Math.cos(y / 7));
    const smoothShifted = grey(40, 40, (x, y) => 0.5 + 0.3 * Math.sin(Math.max(0, x - 1) / 6) * Math.cos(y / 7));
    expect(ssim(smoothShifted, smooth)).toBeGreaterThan(0.95);
  });

  it('restricts the map to a mask (sampled at window centres)', () => {
    const img = noise(40, 40, 4);
    const top = (p: number) => p < 20 * 40;
    const damaged = createImage(40, 40, (x, y) => (y >= 20 ? [0.5, 0.5, 0.5, 1] : (Array.from(img.data.subarray((y * 40 + x) * 4, (y * 40 + x) * 4 + 4)) as never)));
    const topRows = maskFromPredicate(img, (p) => p < 14 * 40); // windows centred here never reach row 20
    expect(ssim(damaged, img, { weights: topRows })).toBeCloseTo(1, 12);
    expect(ssim(damaged, img, { weights: invertMask(maskFromPredicate(img, top)) })).toBeLessThan(0.5);
  });

  it('refuses images smaller than its window', () => {
    expect(() => ssim(noise(10, 20, 1), noise(10, 20, 1))).toThrow(/11x11/);
  });
});

describe('changed pixels', () => {
  it('counts pixels beyond the tolerance', () => {
    const img = noise(10, 10, 5);
    const changed = offset(img, 0.01, (p) => p < 25);
    expect(changedFraction(changed, img, 0.5 / 255)).toBeCloseTo(0.25, 12);
    expect(changedFraction(changed, img, 0.02)).toBe(0);
  });
});

describe('alpha matting errors', () => {
  const w = 30;
  const h = 20;
  const truth = grey(w, h, (x) => (x < 15 ? 0 : 1));

  it('are zero for the true matte', () => {
    const e = mattingErrors(truth, truth);
    expect([e.sad, e.mse, e.gradient]).toEqual([0, 0, 0]);
    expect(e.pixels).toBe(w * h);
  });

  it('give exact SAD and MSE for a known error', () => {
    // 0.2 too much alpha on 50 background pixels.
    const wrong = grey(w, h, (x, y) => (x < 15 ? (y < 10 && x < 5 ? 0.2 : 0) : 1));
    const e = mattingErrors(wrong, truth);
    expect(e.sad).toBeCloseTo(50 * 0.2, 12);
    expect(e.sadPerPixel).toBeCloseTo((50 * 0.2) / (w * h), 12);
    expect(e.mse).toBeCloseTo((50 * 0.04) / (w * h), 12);
    expect(e.gradient).toBeGreaterThan(0);
    const inErrorRegion = mattingErrors(wrong, truth, maskFromPredicate(truth, (p) => p % w < 5 && p < 10 * w));
    expect(inErrorRegion.sadPerPixel).toBeCloseTo(0.2, 12);
  });

  it('measures gradients so that a unit-slope ramp has gradient 1', () => {
    const slope = 0.02;
    const ramp = grey(60, 30, (x) => slope * x);
    const g = gradientMagnitude(ramp);
    // Interior (more than 3 sigma = 5 px from the clamped borders): exact.
    for (const x of [10, 30, 50]) expect(g[15 * 60 + x]).toBeCloseTo(slope, 12);
    // Gradient error of a ramp vs a flat matte: (slope^2) per pixel over the interior region, / 1000.
    const flat = grey(60, 30, () => 0.5);
    const interior = maskFromPredicate(ramp, (p) => p % 60 >= 6 && p % 60 < 54);
    expect(mattingErrors(ramp, flat, interior).gradient).toBeCloseTo((48 * 30 * slope * slope) / 1000, 12);
  });
});

describe('backdrop and highlights', () => {
  it('coefficient of variation of a known ramp', () => {
    const n = 101;
    const a = 0.5;
    const b = 0.002;
    const ramp = grey(n, 3, (x) => a + b * x);
    const all = maskFromPredicate(ramp, () => true);
    const mean = a + (b * (n - 1)) / 2;
    const std = b * Math.sqrt((n * n - 1) / 12);
    expect(backdropVariation(ramp, all)).toBeCloseTo(std / mean, 12);
    expect(backdropVariation(grey(n, 3, () => 0.7), all)).toBeCloseTo(0, 12); // only float rounding of the luminance weights
  });

  it('clipped fraction counts any channel at or above the level inside the region', () => {
    const img = createImage(10, 10, (x) => (x < 2 ? [1, 0.5, 0.5, 1] : x < 3 ? [0.2, 0.2, 0.999, 1] : [0.9, 0.9, 0.9, 1]));
    expect(clippedFraction(img)).toBeCloseTo(0.3, 12);
    expect(clippedFraction(img, maskFromPredicate(img, (p) => p % 10 < 5))).toBeCloseTo(0.6, 12);
  });

  it('spot contrast is the spot minus its surrounding ring', () => {
    const img = grey(30, 30, (x, y) => ((x === 10 || x === 11) && (y === 10 || y === 11)) || (x === 22 && y === 20) ? 0.8 : 0.2);
    const spots = maskFromPredicate(img, (p) => img.data[p * 4] > 0.5);
    expect(spotContrast(img, spots)).toBeCloseTo(0.6, 12);
  });
});

describe('defect removal', () => {
  const truth = grey(40, 20, () => 0.5);
  const specks = [
    [5, 5],
    [20, 10],
    [33, 15],
  ];
  const isSpeck = (p: number) => specks.some(([x, y]) => p === y * 40 + x);
  const mask = maskFromPredicate(truth, isSpeck);
  const raw = offset(truth, 0.3, isSpeck);

  it('counts components and residuals against ground truth', () => {
    expect(connectedComponents(mask)).toHaveLength(3);
    // Two specks fully removed, one left at 2/255 (below 3/255: removed), then one left at 10/255.
    const partly = offset(truth, 2 / 255, (p) => p === 5 * 40 + 5);
    expect(defectRemoval(raw, partly, truth, mask).removedFraction).toBe(1);
    const oneLeft = offset(truth, 10 / 255, (p) => p === 15 * 40 + 33);
    expect(defectRemoval(raw, oneLeft, truth, mask)).toEqual({ defects: 3, visible: 3, removed: 2, removedFraction: 2 / 3 });
    expect(defectRemoval(raw, raw, truth, mask).removed).toBe(0);
  });

  it('ignores defects that were invisible in the raw image', () => {
    const faint = offset(truth, 1 / 255, isSpeck);
    expect(defectRemoval(faint, faint, truth, mask)).toMatchObject({ defects: 3, visible: 0, removedFraction: NaN });
  });
});

describe('colour contamination', () => {
  it('is the foreground error along the direction to the backdrop colour', () => {
    const red = createImage(4, 4, () => [1, 0, 0, 1]);
    const white = createImage(4, 4, () => [1, 1, 1, 1]);
    const pinkish = createImage(4, 4, () => [1, 0.1, 0.1, 1]);
    const all = maskFromPredicate(red, () => true);
    expect(colourContamination(pinkish, red, white, all)).toBeCloseTo(0.2 / Math.SQRT2, 12);
    // Error away from the backdrop colour is not contamination.
    const darker = createImage(4, 4, () => [0.8, 0, 0, 1]);
    expect(colourContamination(darker, red, white, all)).toBe(0);
  });

  it('counts at most the whole backdrop colour, weighted by the foreground alpha', () => {
    const white = createImage(4, 4, () => [1, 1, 1, 1]);
    const silver = createImage(4, 4, () => [0.98, 0.98, 0.98, 1]);
    const all = maskFromPredicate(white, () => true);
    // Past the backdrop along its direction: capped at |backdrop - truth|.
    const brighter = createImage(4, 4, () => [1.5, 1.5, 1.5, 1]);
    expect(colourContamination(brighter, silver, white, all)).toBeCloseTo(0.02 * Math.sqrt(3), 12);
    // Half the pixels unseen (alpha 0, colour undefined): only the seen ones count.
    const red = createImage(4, 4, () => [1, 0, 0, 1]);
    const mixed = createImage(4, 4, (x) => (x < 2 ? [1, 0.1, 0.1, 1] : [1, 1, 1, 0]));
    expect(colourContamination(mixed, red, white, all)).toBeCloseTo(0.2 / Math.SQRT2, 12);
    const halfSeen = createImage(4, 4, (x) => (x < 2 ? [1, 0.1, 0.1, 1] : [1, 0, 0, 0.5]));
    expect(colourContamination(halfSeen, red, white, all)).toBeCloseTo(((0.2 / Math.SQRT2) * 1) / 1.5, 12);
  });
});

describe('sharpening metrics', () => {
  const all = (w: number, h: number) => grey(w, h, () => 1);

  it('acutance is the luma slope: a ramp of 0.01 per px gives 0.01, twice as steep twice that', () => {
    expect(acutance(grey(20, 8, (x) => 0.2 + 0.01 * x), all(20, 8))).toBeCloseTo(0.01, 12);
    const region = maskFromPredicate({ width: 20, height: 8 }, (p) => p % 20 > 0 && p % 20 < 19);
    expect(acutance(grey(20, 8, (x) => 0.02 * x), region)).toBeCloseTo(0.02, 12);
  });

  it('overshoot: a pixel 0.05 above a 0.2 -> 0.7 step is 10% of its contrast; staying inside the range is 0', () => {
    const step = grey(12, 5, (x) => (x < 6 ? 0.2 : 0.7));
    const ringing = grey(12, 5, (x) => (x < 6 ? 0.2 : x === 6 ? 0.75 : 0.7));
    const row = maskFromPredicate(step, (p) => Math.floor(p / 12) === 2 && p % 12 >= 4 && p % 12 <= 7);
    const o = overshoot(ringing, step, row, 2);
    // Measured pixels x = 4..7; only x = 6 leaves the range, by 0.05 / 0.5.
    expect(o.count).toBe(4);
    expect(o.mean).toBeCloseTo(0.1 / 4, 12);
    expect(o.p95).toBeCloseTo(0.1, 12);
    expect(overshoot(step, step, row, 2).mean).toBe(0);
    // A flat neighbourhood (range below minContrast) is not measured.
    expect(overshoot(step, step, maskFromPredicate(step, (p) => p % 12 === 0), 2).count).toBe(0);
  });

  it('noise gain: doubling the noise around the truth gives 2, the raw image itself 1', () => {
    const truth = grey(16, 16, () => 0.5);
    const r = rng(3);
    const raw = grey(16, 16, () => 0.5 + 0.02 * (r() - 0.5));
    const doubled = { ...raw, data: raw.data.map((v, i) => (i % 4 < 3 ? 0.5 + 2 * (v - 0.5) : v)) };
    expect(noiseGain(raw, raw, truth, all(16, 16))).toBeCloseTo(1, 12);
    expect(noiseGain(doubled, raw, truth, all(16, 16))).toBeCloseTo(2, 12);
  });
});

describe('mask helpers', () => {
  it('chamfer distance is exact along axes and bands select rings', () => {
    const dot = maskFromPredicate(grey(20, 20, () => 0), (p) => p === 10 * 20 + 10);
    const d = distanceToMask(dot);
    expect(d[10 * 20 + 13]).toBe(3);
    expect(d[13 * 20 + 10]).toBe(3);
    const band = bandAroundMask(dot, 0, 1);
    // The 3-4 chamfer puts diagonal neighbours at 4/3 > 1: only the 4 axis neighbours.
    expect(band.data.filter((v, i) => i % 4 === 0 && v === 1).length).toBe(4);
  });

  it('display conversion round-trips', () => {
    const img = noise(8, 8, 9);
    const back = fromDisplay(toDisplay(img));
    for (let i = 0; i < img.data.length; i++) expect(back.data[i]).toBeCloseTo(img.data[i], 12);
  });
});

