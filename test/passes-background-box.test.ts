import { describe, expect, it } from 'vitest';
import { createImage, difference, rng, type CpuImage } from '../src/cpu/image.js';
import { boxMeanRef } from '../src/cpu/background-ref.js';
import { boxAxis, boxBlockLength, separableBox } from '../src/passes/background/guided.js';
import { onGpu } from './helpers/gpu.js';

/**
 * Float64 reference of one box axis over the window's in-image part: the
 * maximum in the channels listed in `peak`, the mean in the others.
 */
function axisRef(img: CpuImage, r: number, dir: [number, number], peak: number[] = []): CpuImage {
  const { width: w, height: h } = img;
  const extent = dir[0] ? w : h;
  return createImage(w, h, (x, y) => {
    const at = dir[0] ? x : y;
    const out = [0, 0, 0, 0];
    const lo = Math.max(0, at - r);
    const hi = Math.min(extent - 1, at + r);
    for (let c = 0; c < 4; c++) {
      const values: number[] = [];
      for (let i = lo; i <= hi; i++) values.push(img.data[((dir[0] ? y : i) * w + (dir[0] ? i : x)) * 4 + c]);
      out[c] = peak.includes(c) ? Math.max(...values) : values.reduce((a, b) => a + b, 0) / values.length;
    }
    return out as [number, number, number, number];
  });
}

// Random values with a step: borders and an edge inside the window.
function content(w: number, h: number, seed: number): CpuImage {
  const r = rng(seed);
  return createImage(w, h, (x, y) => [(x > 0.6 * w ? 0.6 : 0.1) + 0.3 * r(), r(), y > 0.3 * h ? r() : 0.2, 0.5 + 0.5 * r()]);
}

describe('box statistics in blocks (chunks/box)', () => {
  const img = content(61, 47, 3);
  // Texel centres (i + 0.5) / 61 in float32 land up to 61 * 2^-24 = 3.6e-6
  // texel off, and llvmpipe's bilinear weights are float: each tap may take
  // that share of its neighbour (contrast <= 1), single taps (block 1) alike.
  const tol = 4e-6;

  // Every block length from the single-tap box to radius + 1, both axes: the
  // blocks cover the window's in-image part exactly at every distance to a border.
  for (const radius of [5, 20]) {
    it(`one axis of a box mean, radius ${radius}, every block length`, async () => {
      for (const dir of [[1, 0], [0, 1]] as [number, number][]) {
        const ref = axisRef(img, radius, dir);
        for (let block = 1; block <= radius + 1; block++) {
          const gpu = await onGpu([img], (r, [i]) => boxAxis(r, i, radius, 'background/box_mean', dir, block));
          expect(difference(gpu, ref).max, `direction ${dir}, block ${block}`).toBeLessThan(tol);
        }
      }
    });
  }

  it('block lengths: single taps for small radii, about sqrt(r) for large ones, never past the image or the window', () => {
    expect(boxBlockLength(3, 1000)).toBe(1);
    expect(boxBlockLength(47, 6000)).toBe(7);
    expect(boxBlockLength(128, 6000)).toBe(11);
    expect(boxBlockLength(47, 5)).toBe(5);
    expect(() => boxAxis({ draw: () => { throw new Error('no draw'); }, release: () => {} } as never, { width: 10, height: 10 } as never, 3, 'background/box_mean', [1, 0], 5)).toThrow(RangeError);
  });

  // 2D box mean in blocks (radius 40 > the image's height: the window covers whole columns).
  for (const radius of [12, 40]) {
    it(`separable box mean in blocks, radius ${radius}, matches the float64 reference`, async () => {
      expect(boxBlockLength(radius, img.width)).toBeGreaterThan(1);
      const gpu = await onGpu([img], (r, [i]) => separableBox(r, i, radius, 'background/box_mean'));
      expect(difference(gpu, boxMeanRef(img, radius)).max).toBeLessThan(tol);
    });
  }

  // The keyer's band statistics: r the window's maximum, g and b its means.
  for (const radius of [3, 35]) {
    it(`edge-band statistics (maximum of r, means of g and b), radius ${radius}`, async () => {
      const gpu = await onGpu([img], (r, [i]) => separableBox(r, i, radius, 'background/band_stats'));
      const ref = axisRef(axisRef(img, radius, [1, 0], [0]), radius, [0, 1], [0]);
      expect(difference(gpu, ref, [0, 1, 2]).max).toBeLessThan(tol);
      expect(difference(gpu, createImage(img.width, img.height, () => [0, 0, 0, 1]), [3]).max).toBe(0);
    });
  }
});
