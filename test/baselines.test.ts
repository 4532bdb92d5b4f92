import { describe, expect, it } from 'vitest';
import { createImage, rng, type CpuImage } from '../src/cpu/image.js';
import { borderColour, chromaKey, doNothing, dustAndScratches, opaqueMatte, tuneDustAndScratches } from '../src/baselines/index.js';
import { psnr } from '../src/metrics/index.js';

const flat = (w: number, h: number, v: [number, number, number]): CpuImage => createImage(w, h, () => [...v, 1]);

const withSpeck = (img: CpuImage, x: number, y: number, v: number): CpuImage => {
  const out = doNothing(img);
  out.data.set([v, v, v], (y * img.width + x) * 4);
  return out;
};

describe('Dust & Scratches (median + threshold)', () => {
  it('removes an isolated speck and changes nothing else', async () => {
    const clean = flat(32, 24, [0.6, 0.5, 0.4]);
    const dusty = withSpeck(withSpeck(clean, 10, 8, 0.05), 25, 15, 1);
    const result = await dustAndScratches(dusty, { radius: 1, threshold: 8 });
    // Replaced pixels carry sharp's 8-bit median: within half a level of the true value.
    for (const [x, y] of [[10, 8], [25, 15]]) {
      const i = (y * 32 + x) * 4;
      for (let c = 0; c < 3; c++) expect(Math.abs(result.data[i + c] - clean.data[i + c])).toBeLessThanOrEqual(0.5 / 255);
    }
    const untouched = Array.from({ length: 32 * 24 }, (_, p) => p).filter((p) => p !== 8 * 32 + 10 && p !== 15 * 32 + 25);
    for (const p of untouched) expect(Array.from(result.data.subarray(p * 4, p * 4 + 4))).toEqual(Array.from(clean.data.subarray(p * 4, p * 4 + 4)));
  });

  it('leaves a flat field (with sub-threshold noise) bit-for-bit unchanged', async () => {
    const r = rng(3);
    const field = createImage(40, 30, () => {
      const v = 0.5 + (r() - 0.5) * (4 / 255); // +-2 levels of noise, threshold 4
      return [v, v, v, 1];
    });
    const result = await dustAndScratches(field, { radius: 3, threshold: 4 });
    expect(Array.from(result.data)).toEqual(Array.from(field.data));
  });

  it('with threshold 0 it is a plain median and wipes out a 1 px line (why it softens real detail)', async () => {
    const lined = createImage(30, 30, (x) => (x === 15 ? [0.1, 0.1, 0.1, 1] : [0.8, 0.8, 0.8, 1]));
    const result = await dustAndScratches(lined, { radius: 2, threshold: 0 });
    expect(result.data[(10 * 30 + 15) * 4]).toBeCloseTo(Math.round(0.8 * 255) / 255, 12);
  });

  it('tuning picks the grid point with the best score', async () => {
    const clean = flat(24, 24, [0.3, 0.3, 0.3]);
    const dusty = withSpeck(clean, 12, 12, 0.9);
    const tuned = await tuneDustAndScratches(dusty, (res) => psnr(res, clean), { radii: [1, 2], thresholds: [0, 8, 200] });
    // Threshold 200 levels keeps the 153-level speck; 0 and 8 remove it, and 8 leaves every
    // other pixel exact while 0 re-quantises them, so 8 wins.
    expect(tuned.params.threshold).toBe(8);
    expect(tuned.score).toBe(psnr(tuned.result, clean));
    expect(tuned.score).toBeGreaterThan(psnr(dusty, clean) + 20);
  });

  it('refuses a bad radius or threshold', async () => {
    const img = flat(8, 8, [0.5, 0.5, 0.5]);
    await expect(dustAndScratches(img, { radius: 0, threshold: 4 })).rejects.toThrow(/radius/);
    await expect(dustAndScratches(img, { radius: 1, threshold: -1 })).rejects.toThrow(/threshold/);
  });
});

describe('chroma key', () => {
  it('estimates the backdrop colour from the border, robust to a few foreground pixels there', () => {
    const img = createImage(40, 40, (x, y) => (x < 3 && y < 3 ? [0, 0, 0, 1] : [0.2, 0.7, 0.3, 1]));
    expect(borderColour(img, 2)).toEqual([0.2, 0.7, 0.3]);
  });

  it('recovers a known matte of black over white when its ramp spans the full distance', () => {
    // Display-space composite C = a * black + (1 - a) * white: distance to white = a * sqrt(3).
    const truth = (x: number, y: number) => Math.min(1, Math.max(0, (20 - Math.hypot(x - 32, y - 32)) / 6));
    const img = createImage(64, 64, (x, y) => {
      const v = 1 - truth(x, y);
      return [v, v, v, 1];
    });
    const { alpha, foreground, backdropColour } = chromaKey(img, { low: 0, high: Math.sqrt(3), border: 2 });
    expect(backdropColour).toEqual([1, 1, 1]);
    for (let y = 0; y < 64; y++)
      for (let x = 0; x < 64; x++) {
        // Closed form: only float rounding separates the key from the truth.
        expect(alpha.data[(y * 64 + x) * 4]).toBeCloseTo(truth(x, y), 12);
        expect(foreground.data[(y * 64 + x) * 4 + 3]).toBe(alpha.data[(y * 64 + x) * 4]);
      }
  });

  it('is 0 on the backdrop and 1 on a distinct colour with the default ramp', () => {
    const img = createImage(30, 30, (x, y) => (Math.abs(x - 15) < 5 && Math.abs(y - 15) < 5 ? [0.8, 0.6, 0.1, 1] : [0.95, 0.95, 0.95, 1]));
    const { alpha } = chromaKey(img);
    expect(alpha.data[(15 * 30 + 15) * 4]).toBe(1);
    expect(alpha.data[(2 * 30 + 2) * 4]).toBe(0);
  });

  it('refuses a bad ramp or border', () => {
    const img = flat(10, 10, [1, 1, 1]);
    expect(() => chromaKey(img, { low: 0.2, high: 0.1, border: 2 })).toThrow(/low < high/);
    expect(() => chromaKey(img, { low: 0, high: 0.1, border: 5 })).toThrow(/border/);
  });
});

describe('do nothing', () => {
  it('returns a copy of the raw image and an opaque matte', () => {
    const img = flat(5, 5, [0.1, 0.2, 0.3]);
    const copy = doNothing(img);
    expect(copy.data).not.toBe(img.data);
    expect(Array.from(copy.data)).toEqual(Array.from(img.data));
    expect(opaqueMatte(img).data.every((v) => v === 1)).toBe(true);
  });
});
