import { describe, expect, it } from 'vitest';
import { createImage, difference, rng, type CpuImage } from '../src/cpu/image.js';
import { gaussianBlurRef, linearToSrgb, srgbToLinear } from '../src/cpu/reference.js';
import { sharpenRef, type SharpenParams } from '../src/cpu/detail-ref.js';
import type { GraphSpec } from '../src/graph/types.js';
import { runGraph } from './helpers/gpu.js';

function gaussianNoise(seed: number): () => number {
  const r = rng(seed);
  return () => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
}

/** Opaque image from sRGB-encoded grey levels (what a camera file holds). */
function fromEncoded(w: number, h: number, f: (x: number, y: number) => [number, number, number]): CpuImage {
  return createImage(w, h, (x, y) => {
    const [r, g, b] = f(x, y);
    return [srgbToLinear(r), srgbToLinear(g), srgbToLinear(b), 1];
  });
}

/** A lens-blurred vertical edge from encoded 0.2 to 0.7, optionally with sensor noise (encoded units). */
function blurredEdge(w: number, h: number, noise = 0, seed = 1): CpuImage {
  const sharp = fromEncoded(w, h, (x) => (x < w / 2 ? [0.2, 0.2, 0.2] : [0.7, 0.7, 0.7]));
  const soft = gaussianBlurRef(sharp, 1.2);
  if (noise === 0) return soft;
  const n = gaussianNoise(seed);
  return {
    ...soft,
    data: soft.data.map((v, i) => (i % 4 === 3 ? v : srgbToLinear(linearToSrgb(v) + noise * n()))),
  };
}

const encodedRow = (img: CpuImage, y: number) => Array.from({ length: img.width }, (_, x) => linearToSrgb(img.data[(y * img.width + x) * 4 + 1]));

/** 10-90% rise distance of a rising edge, px (linear interpolation between samples). */
function riseWidth(row: number[], lo: number, hi: number): number {
  const cross = (level: number) => {
    for (let x = 1; x < row.length; x++)
      if (row[x - 1] < level && row[x] >= level) return x - 1 + (level - row[x - 1]) / (row[x] - row[x - 1]);
    throw new Error(`edge never reaches ${level}`);
  };
  return cross(lo + 0.9 * (hi - lo)) - cross(lo + 0.1 * (hi - lo));
}

/** Standard deviation of encoded green over a rectangle. */
function encodedStdev(img: CpuImage, x0: number, x1: number, y0: number, y1: number): number {
  const v: number[] = [];
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) v.push(linearToSrgb(img.data[(y * img.width + x) * 4 + 1]));
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  return Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length);
}

const sharpen = (params: Partial<SharpenParams>, mask = false): GraphSpec => ({
  version: 1,
  nodes: [{ id: 's', pass: 'detail.sharpen', params: params as never, inputs: mask ? { image: '$source', mask: '$mask' } : { image: '$source' } }],
  outputs: { result: 's' },
});

describe('detail.sharpen', () => {
  // Textured card with colour, an edge and noise: every code path is exercised.
  const card = (() => {
    const n = gaussianNoise(7);
    return fromEncoded(48, 40, (x, y) => {
      const base = (x > 20 ? 0.65 : 0.25) + 0.08 * Math.sin(x * 0.9) * Math.cos(y * 0.7) + 0.01 * n();
      return [base * 1.1, base, base * 0.8];
    });
  })();
  const mask = createImage(48, 40, (_, y) => [y / 39, y / 39, y / 39, 1]);

  // Tolerance: float32 pow() in encode/decode (5e-5 in core tests) plus blur taps (1e-4).
  it('matches the CPU reference without a noise floor', async () => {
    const p = { amount: 1.5, radius: 1.5, threshold: 0, overshoot: 20 };
    const { result } = await runGraph(sharpen(p), { source: card });
    expect(difference(result, sharpenRef(card, p), [0, 1, 2]).max).toBeLessThan(2e-4);
  });

  // With a noise floor the gate is a smoothstep between t and 2t: its slope
  // (1.5 / t) multiplies the ~1e-4 detail error, times amount * |detail| <=
  // amount * 2t, so the bound is about 1.5 * 2 * amount * 1e-4 = 4.5e-4.
  it('matches the CPU reference with a noise floor and a mask', async () => {
    const p = { amount: 1.5, radius: 2, threshold: 4, overshoot: 0 };
    const { result } = await runGraph(sharpen(p, true), { source: card, mask });
    expect(difference(result, sharpenRef(card, p, mask), [0, 1, 2]).max).toBeLessThan(5e-4);
  });

  it('raises edge acutance with overshoot under 5% of the edge contrast (defaults)', async () => {
    const edge = blurredEdge(64, 8);
    const { result } = await runGraph(sharpen({}), { source: edge });
    const before = encodedRow(edge, 4);
    const after = encodedRow(result, 4);
    const contrast = 0.5;
    const overshoot = Math.max(Math.max(...after) - 0.7, 0.2 - Math.min(...after));
    const widthBefore = riseWidth(before, 0.2, 0.7);
    const widthAfter = riseWidth(after, 0.2, 0.7);
    console.log(`edge 10-90% rise: ${widthBefore.toFixed(3)} px -> ${widthAfter.toFixed(3)} px; overshoot ${(100 * overshoot / contrast).toFixed(2)}% of contrast`);
    expect(widthAfter).toBeLessThan(0.85 * widthBefore);
    expect(overshoot).toBeLessThanOrEqual(0.05 * contrast);
  });

  it('a plain unsharp mask (no floor, unlimited overshoot) fails the halo check: the clamp is what prevents halos', async () => {
    const edge = blurredEdge(64, 8);
    const { result } = await runGraph(sharpen({ threshold: 0, overshoot: 100 }), { source: edge });
    const after = encodedRow(result, 4);
    expect(Math.max(Math.max(...after) - 0.7, 0.2 - Math.min(...after))).toBeGreaterThan(0.05 * 0.5);
  });

  // Sensor noise of 2/255 (encoded) on a flat grey patch.
  it('noise gain in flat regions stays <= 1.1x (defaults), where a plain unsharp mask amplifies it', async () => {
    const n = gaussianNoise(3);
    const flat = fromEncoded(96, 96, () => {
      const v = 0.5 + (2 / 255) * n();
      return [v, v, v];
    });
    const before = encodedStdev(flat, 4, 92, 4, 92);
    const tuned = await runGraph(sharpen({}), { source: flat });
    const plain = await runGraph(sharpen({ threshold: 0, overshoot: 100 }), { source: flat });
    const gain = encodedStdev(tuned.result, 4, 92, 4, 92) / before;
    const plainGain = encodedStdev(plain.result, 4, 92, 4, 92) / before;
    console.log(`flat-region noise gain: ${gain.toFixed(3)}x (plain USM ${plainGain.toFixed(3)}x)`);
    expect(gain).toBeLessThanOrEqual(1.1);
    expect(plainGain).toBeGreaterThan(1.1);
  });

  it('still sharpens an edge carrying the same noise', async () => {
    const noisy = blurredEdge(64, 32, 2 / 255, 5);
    const { result } = await runGraph(sharpen({}), { source: noisy });
    // Average rows first so the rise width measures the edge, not the noise.
    const meanRow = (img: CpuImage) => {
      const rows = Array.from({ length: 24 }, (_, k) => encodedRow(img, 4 + k));
      return rows[0].map((_, x) => rows.reduce((a, r) => a + r[x], 0) / rows.length);
    };
    expect(riseWidth(meanRow(result), 0.2, 0.7)).toBeLessThan(0.85 * riseWidth(meanRow(noisy), 0.2, 0.7));
  });
});
