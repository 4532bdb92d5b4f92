import { describe, expect, it } from 'vitest';
import { createImage, difference, rng, type CpuImage } from '../src/cpu/image.js';
import { gaussianBlurRef, linearToSrgb } from '../src/cpu/reference.js';
import {
  alphaGradientError, alphaSad, boxMeanRef, bridgeGapsRef, closeStrandsRef, decontaminateRef, distanceTo, edgeContamination, enclosedAllowedRef, enclosedDecideRef, enclosedGrowRef,
  enclosedOpenRef, enclosedPackRef, enclosedReduceRef, guidedFilterRef, keepFrameRef, removeIslandsRef, replaceRef, softEdgesRef, syntheticScene, trimapRef, type Scene,
} from '../src/cpu/background-ref.js';
import { islandPlan, removeIslands } from '../src/passes/background/islands.js';
import { BRIDGE_GAPS, CLOSE_STRANDS, ENCLOSED_FILL, ENCLOSED_HUE, KEEP_FRAME, keepFrameEdgeWidth, SOFT_EDGES, softBandRadius } from '../src/passes/background/key.js';
import { chromaKey } from '../src/baselines/chroma-key.js';
import { boxMean, guidedFilter } from '../src/passes/background/guided.js';
import type { GraphSpec } from '../src/graph/types.js';
import { engine, onGpu, runGraph, toGpu } from './helpers/gpu.js';
import { generateShot } from '../src/generator/index.js';
import { readFileSync } from 'node:fs';

/** Random colours with a hard edge and a thin line: content where a box or guided filter's borders and edges show. */
function structured(w: number, h: number, seed: number): CpuImage {
  const r = rng(seed);
  return createImage(w, h, (x, y) => {
    const edge = x > 0.4 * w ? 0.7 : 0.2;
    const line = Math.abs(y - 0.6 * h - 0.2 * x) < 1 ? 0.3 : 0;
    return [edge + 0.2 * r(), 0.3 + line + 0.2 * r(), 0.5 * r() + line, 1];
  });
}

const mask = (img: CpuImage, f: (i: number) => number) =>
  createImage(img.width, img.height, (x, y) => {
    const v = f(y * img.width + x);
    return [v, v, v, 1];
  });

describe('background: GPU stages vs float64 CPU references', () => {
  const img = structured(53, 41, 1);

  // 40: beyond the old 32-texel bound, which a preset's referenceSize of 512 passed on a 24 MP photo.
  for (const radius of [1, 3, 8, 40]) {
    it(`box mean, radius ${radius}, in-bounds normalisation at the borders`, async () => {
      const gpu = await onGpu([img], (r, [i]) => boxMean(r, i, radius));
      // float32 sums of up to 53 texels per pass (the image width): a few ulps of values <= 1.
      expect(difference(gpu, boxMeanRef(img, radius)).max).toBeLessThan(2e-6);
    });
  }

  for (const [radius, eps] of [[2, 1e-2], [4, 1e-4]] as const) {
    it(`colour guided filter, radius ${radius}, eps ${eps}`, async () => {
      const p = mask(img, (i) => (img.data[i * 4] > 0.6 ? 1 : 0));
      const gpu = await onGpu([img, p], (r, [g, q]) => guidedFilter(r, g, q, { radius, eps, subsample: 1 }));
      const ref = guidedFilterRef(img, p, radius, eps);
      // float32 E[I^2] - E[I]^2 loses ~1e-7 absolute; the 3x3 solve divides by
      // (variance + eps), so the slope error grows to ~1e-7 / eps per unit of guide.
      const tol = eps >= 1e-2 ? 1e-5 : 5e-4;
      expect(difference(gpu, ref, [0]).max).toBeLessThan(tol);
    });
  }

  // Across a sharp edge between two colours the guide's covariance is nearly
  // rank one (its small eigenvalues are eps), the keyer's case beside a blown
  // wire on black at eps 1e-5. Solved by cofactors in float32 the slopes came
  // out as large as 246 (reference 0.02); Cholesky keeps them to the reference.
  it('colour guided filter on a nearly rank-one guide (a bright wire on black, eps 1e-5)', async () => {
    const w = 96;
    const r = rng(11);
    const wire = createImage(w, w, (x, y) => {
      const a = Math.min(1, Math.max(0, 3 - Math.abs(Math.hypot(x - w / 2, y - w / 2) - 0.3 * w)));
      return [0.95, 0.9, 0.75].map((v) => a * v + (1 - a) * (0.002 + 0.001 * r())).concat(1) as [number, number, number, number];
    });
    const p = mask(wire, (i) => (wire.data[i * 4] > 0.5 ? 1 : wire.data[i * 4] > 0.01 ? 0.5 : 0));
    for (const eps of [1e-5, 1e-4]) {
      const gpu = await onGpu([wire, p], (rd, [g, q]) => guidedFilter(rd, g, q, { radius: 4, eps, subsample: 1 }));
      expect(difference(gpu, guidedFilterRef(wire, p, 4, eps), [0]).max).toBeLessThan(1e-4);
    }
  });

  it('guided filter with trimap and clamp pins definite regions and caps the rest', async () => {
    const p = mask(img, (i) => (img.data[i * 4] > 0.6 ? 1 : 0));
    const trimap = createImage(img.width, img.height, (x, y) => [0, x < 10 ? 0 : x > 40 ? 1 : 0.5, y < 20 ? 0.3 : 1, 1]);
    const gpu = await onGpu([img, p, trimap], (r, [g, q, t]) => guidedFilter(r, g, q, { radius: 3, eps: 1e-3, subsample: 1, trimap: t, clamp: true }));
    const ref = guidedFilterRef(img, p, 3, 1e-3, { trimap, clamp: true });
    expect(difference(gpu, ref, [0]).max).toBeLessThan(1e-4);
  });

  it('fast guided filter (subsample 2) stays close to the full-resolution one on a soft edge', async () => {
    const w = 96;
    const guide = createImage(w, w, (x, y) => {
      const t = 1 / (1 + Math.exp(-(x + 0.3 * y - 55) / 2));
      return [0.2 + 0.6 * t, 0.3 + 0.5 * t, 0.8 - 0.5 * t, 1];
    });
    const p = mask(guide, (i) => (guide.data[i * 4] > 0.5 ? 1 : 0));
    const full = await onGpu([guide, p], (r, [g, q]) => guidedFilter(r, g, q, { radius: 6, eps: 1e-4, subsample: 1 }));
    const fast = await onGpu([guide, p], (r, [g, q]) => guidedFilter(r, g, q, { radius: 6, eps: 1e-4, subsample: 2 }));
    // Bilinear coefficients on a smooth edge: mean difference under 1% of the 0..1 range.
    expect(difference(fast, full, [0]).mean).toBeLessThan(0.01);
  });

  it('blur-fusion decontamination step matches the reference', async () => {
    const r = rng(7);
    const alpha = mask(img, () => r());
    const backdrop = createImage(img.width, img.height, () => [0.8, 0.7 + 0.1 * r(), 0.9, 1]);
    const estimate = createImage(img.width, img.height, () => {
      const a = 0.05 + 0.95 * r();
      return [a * r(), a * r(), a * r(), a];
    });
    // Trimap rows of backdrop, unknown band and piece: the despill acts in the band only.
    const trimap = createImage(img.width, img.height, (x, y) => [0, [0, 0.5, 1][y % 3], 1, 1]);
    // The shot before relighting: every other column darker (a lifted shadow), warmer
    // in every third (a shadow beside gold darkens blue most: relight divides per channel).
    const original = createImage(img.width, img.height, (x, y) => {
      const i = (y * img.width + x) * 4;
      const k = x % 2 ? 0.4 + 0.6 * r() : 1;
      const warm = x % 3 === 0 ? [1, 0.9, 0.75] : [1, 1, 1];
      return [k * warm[0] * img.data[i], k * warm[1] * img.data[i + 1], k * warm[2] * img.data[i + 2], 1];
    });
    for (const final of [false, true]) {
      const gpu = await onGpu([img, original, alpha, backdrop, estimate, trimap], (rd, [i, o, a, b, e, t]) =>
        rd.draw({ shader: 'background/decontaminate', inputs: { u_image: i, u_original: o, u_alpha: a, u_backdrop: b, u_estimate: e, u_trimap: t }, uniforms: { u_final: final ? 1 : 0 } }),
      );
      // rgb / alpha with alpha >= 0.05: float32 division, relative 1e-6 on values up to ~20.
      expect(difference(gpu, decontaminateRef(img, alpha, backdrop, estimate, final, trimap, final ? original : undefined)).max).toBeLessThan(5e-5);
    }
    // The despill changes band pixels (the property the reference holds): without it they differ.
    const despilled = decontaminateRef(img, alpha, backdrop, estimate, true, trimap);
    expect(difference(despilled, decontaminateRef(img, alpha, backdrop, estimate, true)).max).toBeGreaterThan(1e-3);
  });

  it('despill: backdrop mixed into an edge colour is removed, a colour past the backdrop is kept', () => {
    // A white chain (local colour 0.9) on a pink backdrop, alpha 1 in the unknown band.
    const one = (rgb: number[]) => createImage(1, 1, () => [rgb[0], rgb[1], rgb[2], 1]);
    const pink = [0.6, 0.4, 0.4];
    const local = createImage(1, 1, () => [0.9, 0.9, 0.9, 1]);
    const band = createImage(1, 1, () => [0, 0.5, 1, 1]);
    const a1 = createImage(1, 1, () => [1, 1, 1, 1]);
    const decon = (rgb: number[]) => [...decontaminateRef(one(rgb), a1, one(pink), local, true, band).data.slice(0, 3)];
    // Half white, half pink (alpha overestimated twofold): back to the white.
    decon([0.75, 0.65, 0.65]).forEach((v) => expect(v).toBeCloseTo(0.9, 6));
    // A dark link (0.06 grey) lies far past pink seen from white: unchanged, not brightened to cyan.
    expect(decon([0.06, 0.06, 0.06])).toEqual([0.06, 0.06, 0.06]);
  });

  it('trimap matches the reference; an enclosed pixel showing a coloured backdrop stays unknown, white metal on white stays piece', async () => {
    const w = 40;
    const h = 30;
    const r = rng(12);
    const pick = <T,>(v: readonly T[]) => v[Math.floor(r() * v.length)];
    const pink = [0.6, 0.4, 0.4];
    const white = [0.9, 0.9, 0.92];
    const black = [0.003, 0.003, 0.003];
    // Left third on pink, the middle on (near) white, the right third on black.
    const backdrop = createImage(w, h, (x) => [...(x < w / 3 ? pink : x < (2 * w) / 3 ? white : black), 1] as [number, number, number, number]);
    // A pixel k * B moved a share t towards the grey of its luminance: its hue
    // difference is t * k of a colourless surface's, kept away from hueShare (0.3).
    const image = createImage(w, h, (x, y) => {
      const b = backdrop.data.subarray((y * w + x) * 4, (y * w + x) * 4 + 3);
      const k = pick([0.5, 1]);
      const t = pick([0, 0.2, 0.45, 1]);
      const l = k * (0.2126 * b[0] + 0.7152 * b[1] + 0.0722 * b[2]);
      return [0, 1, 2].map((c) => k * b[c] + t * (l - k * b[c])).concat(1) as [number, number, number, number];
    });
    const key = createImage(w, h, () => [0.6 * r(), 0, pick([0, 1]), 1]);
    const band = createImage(w, h, () => [0.6 * r(), pick([0, 0.5, 1]), pick([0, 0.5, 1]), 1]);
    const hints = createImage(w, h, () => [r() < 0.05 ? 1 : 0, r() < 0.05 ? 1 : 0, 0, 1]);
    const fill = createImage(w, h, () => [r() < 0.2 ? 1 : 0, 0, 0, 1]);
    // Soft edges over a quarter of the pixels (a third of them very soft), with their own band statistics.
    const softRegion = createImage(w, h, () => (r() < 0.25 ? [1, 1, r() < 0.33 ? 1 : 0, 1] : [0, 0, 0, 1]));
    const wideBand = createImage(w, h, () => [0.6 * r(), pick([0, 0.5, 1]), pick([0, 0.5, 1]), 1]);
    const widerBand = createImage(w, h, () => [0.6 * r(), pick([0, 0.5, 1]), pick([0, 0.5, 1]), 1]);
    const noise = 0.01;
    const noiseImage = createImage(1, 1, () => [noise, 0, 0, 1]);
    const gpu = await onGpu([key, band, image, backdrop, noiseImage, hints, fill, softRegion, wideBand, widerBand], (rd, [k, b, im, bd, n, hi, fi, so, wb, wr]) =>
      rd.draw({
        shader: 'background/trimap',
        inputs: { u_key: k, u_band: b, u_image: im, u_backdrop: bd, u_noise: n, u_hints: hi, u_fill: fi, u_soft: so, u_wideBand: wb, u_widerBand: wr },
        uniforms: { u_hasHints: 1, u_hasFill: 1, u_hasSoft: 1, u_high: 0.3, u_low: 0.04, u_hueShare: ENCLOSED_HUE.hueShare, u_hueMargin: ENCLOSED_HUE.margin },
      }),
    );
    const opts = { high: 0.3, low: 0.04, noise, hueShare: ENCLOSED_HUE.hueShare, hueMargin: ENCLOSED_HUE.margin, hints };
    const soft = { region: softRegion, wideBand, widerBand };
    const ref = trimapRef(key, band, image, backdrop, { ...opts, fill, soft });
    expect(difference(gpu, ref, [0, 1, 2, 3]).max).toBeLessThan(1e-5);
    // The wide and wider bands decide at soft edges: with either one swapped the reference differs.
    expect(difference(trimapRef(key, band, image, backdrop, { ...opts, fill, soft: { ...soft, wideBand: band } }), ref, [0, 1, 2, 3]).max).toBeGreaterThan(0.1);
    expect(difference(trimapRef(key, band, image, backdrop, { ...opts, fill, soft: { ...soft, widerBand: band } }), ref, [0, 1, 2, 3]).max).toBeGreaterThan(0.1);
    // A filled pixel is piece with no ceiling, even where the key calls it certain backdrop.
    const filledBackdrop = Array.from({ length: w * h }, (_, p) => p * 4).filter((i) => fill.data[i] > 0.5 && key.data[i + 2] > 0.5 && hints.data[i + 1] === 0);
    expect(filledBackdrop.length).toBeGreaterThan(5);
    for (const i of filledBackdrop) expect([ref.data[i + 1], ref.data[i + 2]]).toEqual([1, 1]);

    // Enclosed (no certain backdrop in the band, not all piece): on pink a
    // pixel with the backdrop's hue (a hole) is unknown, grey metal is piece;
    // on white even the backdrop's own colour stays piece (white metal looks
    // alike); on black a pixel as dark as the backdrop (contrast within the
    // threshold: a hole between crossing wires) is unknown, a brighter one piece.
    const one = (rgb: number[]) => createImage(1, 1, () => [rgb[0], rgb[1], rgb[2], 1]);
    const enclosed = one([0.2, 0.5, 0, 1]);
    const trimapOf = (c: number[], b: number[], contrast = 0.1) => trimapRef(one([contrast, 0, 0]), enclosed, one(c), one(b), { ...opts, hints: undefined }).data[1];
    expect(trimapOf([0.3, 0.2, 0.2], pink)).toBe(0.5);
    expect(trimapOf([0.45, 0.45, 0.45], pink)).toBe(1);
    expect(trimapOf(white, white)).toBe(1);
    expect(trimapOf(white, white, 0.03)).toBe(1);
    expect(trimapOf(black, black, 0.03)).toBe(0.5);
    expect(trimapOf([0.02, 0.02, 0.02], black, 0.1)).toBe(1);
    // The random inputs reach both outcomes of the enclosed-pixel rule.
    const enclosedAs = (t: number) =>
      Array.from({ length: w * h }, (_, p) => p * 4).filter((i) => band.data[i + 2] === 0 && band.data[i + 1] < 1 && hints.data[i] + hints.data[i + 1] === 0 && ref.data[i + 1] === t).length;
    expect(enclosedAs(0.5)).toBeGreaterThan(5);
    expect(enclosedAs(1)).toBeGreaterThan(5);
  });

  it('enclosed-region stages (pack, 2x2 reduce, growth, open statistics, decision) match the references', async () => {
    const w = 37;
    const h = 29;
    const r = rng(17);
    const key = createImage(w, h, () => [r(), r() < 0.2 ? 1 : 0, r() < 0.6 ? 1 : 0, r() < 0.1 ? 1 : 0]);
    const image = createImage(w, h, () => [0.5 + 0.4 * r(), 0.5 + 0.4 * r(), 0.5 + 0.4 * r(), 1]);
    const backdrop = createImage(w, h, () => [0.7 + 0.2 * r(), 0.7 + 0.2 * r(), 0.7 + 0.2 * r(), 1]);
    const pack = await onGpu([key, image, backdrop], (rd, [k, im, bd]) =>
      rd.draw({ shader: 'background/enclosed_pack', inputs: { u_key: k, u_image: im, u_backdrop: bd } }),
    );
    expect(difference(pack, enclosedPackRef(key, image, backdrop), [0, 1, 2, 3]).max).toBeLessThan(1e-5);
    const reduced = await onGpu([pack], (rd, [p]) => rd.draw({ shader: 'background/enclosed_reduce', inputs: { u_image: p }, width: 19, height: 15 }));
    expect(difference(reduced, enclosedReduceRef(pack), [0, 1, 2, 3]).max).toBeLessThan(1e-5);

    // Growth: random free texels (a third blocked), random reached; every border mode, with and without the region gate.
    const free = createImage(w, h, () => [r() < 0.33 ? 0.99 : 1, 0, 0, 1]);
    const reached = createImage(w, h, () => [r() < 0.3 ? 1 : 0, 0, 0, 1]);
    const region = createImage(w, h, () => [r() < 0.05 ? 1 : 0, 0, 0, 1]);
    const outside = createImage(w, h, () => [r() < 0.2 ? 1 : 0, 0, 0, 1]);
    const allowed = await onGpu([region, outside], (rd, [rg, ou]) => rd.draw({ shader: 'background/enclosed_allowed', inputs: { u_region: rg, u_outside: ou } }));
    const allowedRef = enclosedAllowedRef(region, outside);
    expect(difference(allowed, allowedRef, [0]).max).toBeLessThan(1e-5);
    for (const border of [0, 1, 2] as const)
      for (const gated of [false, true]) {
        const gpu = await onGpu([reached, free, allowedRef], (rd, [re, fr, al]) =>
          rd.draw({
            shader: 'background/enclosed_grow',
            inputs: { u_reached: re, u_free: fr, u_allowed: al },
            uniforms: { u_border: border, u_useRegion: gated ? 1 : 0 },
          }),
        );
        const ref = enclosedGrowRef(reached, free, gated ? { border, allowed: allowedRef } : { border });
        expect(difference(gpu, ref, [0]).max).toBeLessThan(1e-5);
        expect(ref.data.filter((_, i) => i % 4 === 0 && _ === 1).length).toBeGreaterThan(border === 2 ? 10 : gated ? 5 : 100);
      }

    // Decision: a random coarse level where a quarter of the blocks are reached and a third hold certain piece;
    // the upper half is brighter and busier than the open backdrop's statistics (open), the lower half like them.
    const coarse = createImage(w, h, (x, y) => (y < h / 2 ? [1, 0.01 + 0.01 * r(), 0.02 + 0.03 * r(), r() < 0.33 ? 0.5 : 0] : [1, 0.004 * (r() - 0.5), 0.015 + 0.01 * r(), r() < 0.33 ? 0.5 : 0]));
    const coarseReached = createImage(w, h, () => [r() < 0.25 ? 1 : 0, 0, 0, 1]);
    const openStats = await onGpu([coarse, coarseReached], (rd, [p, re]) => rd.draw({ shader: 'background/enclosed_open', inputs: { u_pack: p, u_reached: re } }));
    expect(difference(openStats, enclosedOpenRef(coarse, coarseReached), [0, 1, 2, 3]).max).toBeLessThan(1e-5);
    const open = createImage(1, 1, () => [0.002, 0.02, 0, 1]);
    const decided = await onGpu([coarse, coarseReached, open], (rd, [p, re, op]) =>
      rd.draw({
        shader: 'background/enclosed_decide',
        inputs: { u_pack: p, u_reached: re, u_open: op },
        uniforms: { u_contrast: ENCLOSED_FILL.contrast, u_texture: ENCLOSED_FILL.texture, u_ceiling: 0.017 },
      }),
    );
    const decidedRef = enclosedDecideRef(coarse, coarseReached, open, { ...ENCLOSED_FILL, ceiling: 0.017 });
    expect(difference(decided, decidedRef, [0]).max).toBeLessThan(1e-5);
    // Both outcomes occur among the enclosed blocks.
    const enclosedAs = (v: number) =>
      Array.from({ length: w * h }, (_, p) => p * 4).filter((i) => coarse.data[i + 3] === 0 && coarseReached.data[i] === 0 && decidedRef.data[i] === v).length;
    expect(enclosedAs(1)).toBeGreaterThan(5);
    expect(enclosedAs(0)).toBeGreaterThan(5);
  });

  // The skirt seed is averaged down to the growth's level, where a texel half
  // covered by seeds sits at exactly 0.5; the two GPUs of the browser-parity
  // test rounded such a tie to opposite sides and keyed 102 alpha values apart.
  it('skirt growth: a seed texel half covered decides the same on whichever side of 0.5 the GPU rounds it', async () => {
    const w = 8;
    const seedShares = [0.5 - 1e-6, 0.5 + 1e-6, 0.5, 31 / 64, 33 / 64, 0, 1, 0.5 - 2e-5];
    const seed = createImage(w, 1, (i) => [seedShares[i], seedShares[i], 0, 1]);
    const notSkirtLike = createImage(w, 1, () => [0, 0, 0, -1]);
    const nothingReached = createImage(w, 1, () => [0, 0, 0, 1]);
    const backdrop = createImage(w, 1, () => [0.8, 0.8, 0.8, 1]);
    const grown = await onGpu([nothingReached, notSkirtLike, seed, backdrop], (rd, [re, k, se, bd]) =>
      rd.draw({ shader: 'background/skirt_grow', inputs: { u_reached: re, u_key: k, u_seed: se, u_backdrop: bd }, uniforms: { u_shadowMax: 0.3 } }),
    );
    // Half covered or more: a seed (with its shadow evidence); 31 of 64 parts: none.
    const expected = seedShares.map((share) => (share >= 0.5 - 2e-5 ? 1 : 0));
    expect(Array.from({ length: w }, (_, i) => grown.data[4 * i])).toEqual(expected);
    expect(Array.from({ length: w }, (_, i) => grown.data[4 * i + 1])).toEqual(expected);
  });

  it('one-pixel bridging matches the reference; a rim pixel showing the backdrop hue keeps its ceiling, a gap inside the body is bridged', async () => {
    const bridgeOnGpu = (m: CpuImage, t: CpuImage, soft?: CpuImage) =>
      onGpu([m, t, soft ?? m], (rd, [a, tr, so]) =>
        rd.draw({
          shader: 'background/bridge_gaps',
          inputs: { u_alpha: a, u_trimap: tr, ...(soft ? { u_soft: so } : {}) },
          uniforms: { u_hasSoft: soft ? 1 : 0, u_minSide: BRIDGE_GAPS.minSide, u_insideSide: BRIDGE_GAPS.insideSide },
        }),
      );
    // Random matte and ceilings (a third of the pixels show the backdrop's hue): every branch of the rule.
    const r = rng(13);
    const matte = createImage(37, 29, () => {
      const v = r() < 0.3 ? 0 : r();
      return [v, v, v, 1];
    });
    const ceilings = createImage(37, 29, () => [0, 0.5, 0, r() < 0.33 ? 0.6 * r() : 1]);
    const ref = bridgeGapsRef(matte, ceilings, BRIDGE_GAPS);
    // The output copies or adds input texels (float32 storage).
    expect(difference(await bridgeOnGpu(matte, ceilings), ref, [0]).max).toBeLessThan(2e-5);
    // Soft edges (a third of the pixels) keep the matte as it is; the rest is bridged as before.
    const softRegion = createImage(37, 29, () => (r() < 0.33 ? [1, 1, 1, 1] : [0, 0, 0, 1]));
    const softRef = bridgeGapsRef(matte, ceilings, { ...BRIDGE_GAPS, soft: softRegion });
    expect(difference(await bridgeOnGpu(matte, ceilings, softRegion), softRef, [0]).max).toBeLessThan(2e-5);
    const keptSoft = Array.from({ length: 37 * 29 }, (_, p) => p * 4).filter((i) => softRegion.data[i] > 0.5 && ref.data[i] > matte.data[i]);
    expect(keptSoft.length).toBeGreaterThan(5);
    for (const i of keptSoft) expect(softRef.data[i]).toBe(matte.data[i]);
    const capped = Array.from({ length: 37 * 29 }, (_, p) => p * 4).filter((i) => ceilings.data[i + 3] < 1 && ref.data[i] > matte.data[i]);
    expect(capped.length).toBeGreaterThan(5);

    // A row across a gem's rim: covered body, a facet the backdrop shows through (0.35, ceiling 0.4), a partly covered one, backdrop.
    // Rows 1 and 2 are the same without the hue ceiling, and a pixel showing the hue between two covered ones.
    const rows = [
      { alpha: [1, 1, 0.35, 0.45, 0], ceiling: 0.4, want: 0.4 },
      { alpha: [1, 1, 0.35, 0.45, 0], ceiling: 1, want: 1 },
      { alpha: [1, 1, 0.35, 0.8, 1], ceiling: 0.4, want: 1 },
    ];
    const line = createImage(5, 3, (x, y) => [rows[y].alpha[x], rows[y].alpha[x], rows[y].alpha[x], 1]);
    const lineCeilings = createImage(5, 3, (x, y) => [0, 0.5, 0, x === 2 ? rows[y].ceiling : 1]);
    const gpu = await bridgeOnGpu(line, lineCeilings);
    rows.forEach((row, y) => expect(gpu.data[(y * 5 + 2) * 4]).toBeCloseTo(row.want, 5));
  });

  it('strand gap closing matches the reference, closes a dashed chain and leaves notches and parallel strands open', async () => {
    const w = 48;
    const h = 40;
    const closeOnGpu = (m: CpuImage) =>
      onGpu([m], (rd, [a]) =>
        rd.draw({ shader: 'background/close_strands', inputs: { u_alpha: a }, uniforms: { u_high: CLOSE_STRANDS.high, u_across: CLOSE_STRANDS.across, u_flank: CLOSE_STRANDS.flank } }),
      );
    // Random dashes along lines of every direction, over random faint matte: every branch of the rule.
    const r = rng(11);
    const noisy = createImage(w, h, (x, y) => {
      const onLine = (x + y) % 7 === 0 || x % 9 === 0 || y % 8 === 0 || (x - y + 100) % 11 === 0;
      const v = onLine && r() < 0.6 ? 0.3 + 0.7 * r() : 0.35 * r();
      return [v, v, v, 1];
    });
    // The output copies input texels: float32 storage and texel-centre sampling of a linear-filtered texture (6e-6 measured).
    expect(difference(await closeOnGpu(noisy), closeStrandsRef(noisy, CLOSE_STRANDS), [0]).max).toBeLessThan(2e-5);
    expect(difference(closeStrandsRef(noisy, CLOSE_STRANDS), noisy, [0]).max).toBeGreaterThan(0.3);

    // A diagonal strand keyed as dashes (one texel on, two off) becomes continuous.
    const dashed = createImage(w, h, (x, y) => {
      const v = x === y && x % 3 === 0 && x > 2 && x < 40 ? 0.9 : 0;
      return [v, v, v, 1];
    });
    const closed = closeStrandsRef(dashed, CLOSE_STRANDS);
    for (let t = 3; t <= 39; t++) expect(closed.data[(t * w + t) * 4]).toBeCloseTo(0.9, 9);
    // Beside the strand nothing is filled.
    for (let t = 3; t < 39; t++) expect(closed.data[(t * w + t + 1) * 4]).toBe(0);

    // Two parallel vertical strands with a 3-texel gap, and a solid block with a 3-texel notch: unchanged.
    const shapes = createImage(w, h, (x, y) => {
      const strands = (x === 5 || x === 9) && y > 4 && y < 35;
      const block = x >= 20 && x < 40 && y >= 10 && y < 30 && !(x >= 29 && x < 32 && y < 20);
      const v = strands || block ? 1 : 0;
      return [v, v, v, 1];
    });
    expect(difference(closeStrandsRef(shapes, CLOSE_STRANDS), shapes, [0]).max).toBe(0);
  });

  /** The matte of removeIslands, its island count released. */
  const islandMatte = (...args: Parameters<typeof removeIslands>) => {
    const { matte, islands } = removeIslands(...args);
    islands.release();
    return matte;
  };

  it('island removal matches its definition: far specks, their rims, a far blob narrower than islandSize and far faint matte go; a dashed chain, a speck and faint matte beside the piece, bars wider than islandSize and a hinted speck stay', async () => {
    const [w, h] = [160, 120];
    // islandSize 16 px, islandGap 12 px: blocks of 4 px, islands up to 16 px wide and high (their core pixels' box), kept within 3 blocks of a wider part.
    const plan = islandPlan(16, 12);
    expect(plan).toMatchObject({ level: 2, size: 4, gap: 3 });
    const square = (x: number, y: number, x0: number, y0: number, side: number) => x >= x0 && x < x0 + side && y >= y0 && y < y0 + side;
    const scene = (x: number, y: number): number => {
      if ((x - 40) ** 2 + (y - 60) ** 2 <= 25 ** 2) return 1; // the piece
      if (y === 60 && x >= 65 && x < 155 && (x - 65) % 6 < 3) return 0.9; // a chain keyed as dashes, 3 px gaps, out to 90 px from the piece
      if (square(x, y, 40, 25, 2)) return 1; // a speck 9 px off the piece: stays
      if ((y === 45 || y === 46) && x >= 68 && x < 82) return 1; // a short bar from 8 to 21 px off the piece: stays whole
      if (square(x, y, 140, 12, 3)) return 1; // far specks: go
      if (square(x, y, 85, 95, 10)) return 0.8; // a far 10 px blob (3 blocks): goes
      if (Math.max(Math.abs(x - 101.5), Math.abs(y - 16.5)) <= 3.5) return Math.max(Math.abs(x - 101.5), Math.abs(y - 16.5)) <= 1.5 ? 1 : 0.3; // a far 4 px speck in a soft rim (8 px): both go
      if (y >= 100 && y < 104 && x >= 120 && x < 142) return 1; // a far bar 22 px wide (6 blocks): stays
      if (square(x, y, 3, 103, 14)) return 1; // a far 14 px blob across 5 blocks (20 px of blocks): goes, its width is its pixels'
      if (y >= 112 && y < 116 && x >= 40 && x < 57) return 1; // a far bar 17 px wide: stays
      if (square(x, y, 12, 8, 3)) return 0.7; // a far speck under a red hint: stays
      if (square(x, y, 120, 30, 4)) return 0.35; // faint matte (no core) far from the piece: goes
      if (square(x, y, 70, 70, 4)) return 0.3; // faint matte 10 px off the chain: stays
      return 0;
    };
    const alpha = createImage(w, h, (x, y) => {
      const v = scene(x, y);
      return [v, v, v, 1];
    });
    const hints = createImage(w, h, (x, y) => (square(x, y, 10, 6, 7) ? [1, 0, 0, 1] : [0, 0, 0, 0]));
    const ref = removeIslandsRef(alpha, hints, plan);
    // Four islands go (the far speck, the speck in its rim, the two blobs); faint matte is not counted.
    const count = await onGpu([alpha, hints], (r, [a, hi]) => {
      const { matte, islands } = removeIslands(r, a, hi, 16, 12);
      matte.release();
      return islands;
    });
    expect(count.data[0]).toBeCloseTo(4, 4); // the sum's float32 steps
    const gpu = await onGpu([alpha, hints], (r, [a, hi]) => islandMatte(r, a, hi, 16, 12));
    // The same pixels removed; the rest copies the input (texel-centre sampling of a linear-filtered texture: up to 1e-5 bleeds in).
    expect(Array.from({ length: w * h }, (_, p) => p).filter((p) => (gpu.data[p * 4] < 1e-4) !== (ref.data[p * 4] < 1e-4))).toEqual([]);
    expect(difference(gpu, ref, [0]).max).toBeLessThan(1e-4);
    const at = (img: CpuImage, x: number, y: number) => img.data[(y * w + x) * 4];
    const removed = (x: number, y: number) => at(alpha, x, y) > 0 && at(ref, x, y) === 0;
    const gone = [[141, 13], [88, 98], [101, 16], [98, 13], [121, 31], [9, 109]];
    const stay = [[40, 60], [152, 60], [110, 60], [41, 26], [81, 46], [130, 102], [48, 113], [13, 9], [71, 71]];
    for (const [x, y] of gone) expect(removed(x, y), `(${x}, ${y}) removed`).toBe(true);
    for (const [x, y] of stay) expect(at(ref, x, y), `(${x}, ${y}) kept`).toBe(at(alpha, x, y));
    // Nothing else changes.
    const changed = Array.from({ length: w * h }, (_, p) => p).filter((p) => ref.data[p * 4] !== alpha.data[p * 4]).length;
    expect(changed).toBe(9 + 100 + 64 + 16 + 196);
    // Without the hint the hinted speck goes too; in a frame of small parts (the widest 5 px) nothing is an island,
    // and a matte without core (a faint piece) stays whole.
    expect(at(removeIslandsRef(alpha, undefined, plan), 13, 9)).toBe(0);
    const specksOnly = createImage(w, h, (x, y) => (square(x, y, 140, 12, 3) || square(x, y, 20, 20, 5) ? [1, 1, 1, 1] : [0, 0, 0, 1]));
    expect(difference(await onGpu([specksOnly], (r, [a]) => islandMatte(r, a, undefined, 16, 12)), specksOnly, [0]).max).toBeLessThan(1e-4);
    const faintOnly = createImage(w, h, (x, y) => (square(x, y, 30, 30, 20) || square(x, y, 140, 100, 3) ? [0.3, 0.3, 0.3, 1] : [0, 0, 0, 1]));
    expect(difference(await onGpu([faintOnly], (r, [a]) => islandMatte(r, a, undefined, 16, 12)), faintOnly, [0]).max).toBeLessThan(1e-4);
    // A piece narrower than islandSize (a 30 px ring in a small frame) stays; a speck under a quarter of its width goes.
    const small = createImage(96, 96, (x, y) => (Math.abs(Math.hypot(x - 40, y - 48) - 12) <= 3 || square(x, y, 84, 8, 3) ? [1, 1, 1, 1] : [0, 0, 0, 1]));
    const smallPlan = islandPlan(40, 8);
    const smallRef = removeIslandsRef(small, undefined, smallPlan);
    expect(smallRef.data[(48 * 96 + 25) * 4]).toBe(1);
    expect(smallRef.data[(9 * 96 + 85) * 4]).toBe(0);
    expect(difference(await onGpu([small], (r, [a]) => islandMatte(r, a, undefined, 40, 8)), smallRef, [0]).max).toBeLessThan(1e-4);
  });

  it('replace composite matches the reference (transparent, colour, image; with shadow)', async () => {
    const r = rng(8);
    const alpha = mask(img, () => r());
    const fg = createImage(img.width, img.height, (x, y) => {
      const a = alpha.data[(y * img.width + x) * 4];
      return [a * r(), a * r(), a * r(), a];
    });
    const shadow = mask(img, () => 0.5 * r());
    const bgImage = createImage(img.width, img.height, () => [r(), r(), r(), 1]);
    const cases = [
      { params: { mode: 'transparent' }, ref: { mode: 'transparent' as const, shadow, shadowOpacity: 0.7 } },
      { params: { mode: 'color', color: [1, 0.9, 0.2] }, ref: { mode: 'color' as const, color: [1, 0.9, 0.2] as [number, number, number], shadow, shadowOpacity: 0.7 } },
      { params: { mode: 'image' }, ref: { mode: 'image' as const, background: bgImage, shadow, shadowOpacity: 0.7 } },
    ];
    for (const c of cases) {
      const graph: GraphSpec = {
        version: 1,
        nodes: [{ id: 'r', pass: 'background.replace', params: { ...c.params, shadowOpacity: 0.7 } as never, inputs: { foreground: '$fg', alpha: '$alpha', shadow: '$shadow', background: '$bg' } }],
        outputs: { result: 'r' },
      };
      const { result } = await runGraph(graph, { fg, alpha, shadow, bg: bgImage });
      // sRGB decode of the colour through float32 pow(): 5e-5.
      expect(difference(result, replaceRef(fg, alpha, c.ref)).max, c.params.mode).toBeLessThan(5e-5);
    }
  });
});

// ---------------------------------------------------------------- keying on synthetic scenes

const W = 256;
const keyGraph = (params: object = {}, withHints = false): GraphSpec => ({
  version: 1,
  nodes: [{ id: 'k', pass: 'background.key', params: { illuminationSigma: 16, ...params } as never, inputs: withHints ? { image: '$source', hints: '$hints' } : { image: '$source' } }],
  outputs: { alpha: 'k:alpha', trimap: 'k:trimap', foreground: 'k:foreground', shadow: 'k:shadow', backdrop: 'k:backdrop' },
});

/** The plain chroma/threshold key baseline on the same shot (it works on display values). */
function baselineAlpha(scene: Scene): CpuImage {
  const display = createImage(W, W, (x, y) => {
    const i = (y * W + x) * 4;
    return [linearToSrgb(scene.image.data[i]), linearToSrgb(scene.image.data[i + 1]), linearToSrgb(scene.image.data[i + 2]), 1];
  });
  return chromaKey(display).alpha;
}

function report(name: string, scene: Scene, alpha: CpuImage) {
  const base = baselineAlpha(scene);
  const f = (v: number) => (100 * v).toFixed(2) + '%';
  console.log(
    `${name}: SAD/px overall ${f(alphaSad(alpha, scene.alpha))} (chroma key ${f(alphaSad(base, scene.alpha))}), ` +
      `thin chains ${f(alphaSad(alpha, scene.alpha, scene.thin))} (${f(alphaSad(base, scene.alpha, scene.thin))}), ` +
      `gem ${f(alphaSad(alpha, scene.alpha, scene.gem))} (${f(alphaSad(base, scene.alpha, scene.gem))}), ` +
      `gradient error ${alphaGradientError(alpha, scene.alpha).toExponential(2)} (${alphaGradientError(base, scene.alpha).toExponential(2)})`,
  );
  return base;
}

describe('background.key on synthetic shots (targets of issue 6)', () => {
  it('silver ring, gold and silver chains, gem, uneven light: matte error vs the chroma-key baseline', async () => {
    const scene = syntheticScene({ width: W, height: W, lighting: true, noise: 0.002, seed: 11 });
    const { alpha } = await runGraph(keyGraph(), { source: scene.image });
    const base = report('silver', scene, alpha);
    expect(alphaSad(alpha, scene.alpha)).toBeLessThan(0.5 * alphaSad(base, scene.alpha));
    expect(alphaSad(alpha, scene.alpha, scene.thin)).toBeLessThan(alphaSad(base, scene.alpha, scene.thin));
    expect(alphaGradientError(alpha, scene.alpha)).toBeLessThan(alphaGradientError(base, scene.alpha));
  });

  it('black backdrop: the backdrop is found and the piece keyed (relative measures have a brightness floor)', async () => {
    // Black velvet or acrylic reads 0-0.002 linear, where one level of noise is
    // a 100 % relative change. Without a floor under the brightness that
    // relative measures divide by, the black read as "detailed" and the smooth
    // metal as the backdrop: the backdrop estimate was the metal (0.44) and the
    // matte 96.8 % wrong here (a gold necklace on black came out fully
    // transparent). The semi-transparent gem is left out of the target: over
    // black, half a bright gem and a whole dim one look the same (the chroma
    // key is 50 % wrong there too).
    const scene = syntheticScene({ width: W, height: W, backdrop: [0.002, 0.002, 0.002], noise: 0.0005, seed: 19 });
    const { alpha, backdrop } = await runGraph({ ...keyGraph(), outputs: { alpha: 'k:alpha', backdrop: 'k:backdrop' } }, { source: scene.image });
    const base = report('black', scene, alpha);
    let brightest = 0;
    for (let i = 0; i < W * W; i++) if (backdrop.data[4 * i + 3] > 1e-6) brightest = Math.max(brightest, backdrop.data[4 * i + 1] / backdrop.data[4 * i + 3]);
    const notGem = { ...scene.gem, data: scene.gem.data.map((v, i) => (i % 4 === 3 ? 1 : 1 - scene.gem.data[i - (i % 4)])) };
    const sad = alphaSad(alpha, scene.alpha, notGem);
    console.log(`black: backdrop estimate up to ${brightest.toFixed(4)} (true 0.002), SAD/px outside the gem ${(100 * sad).toFixed(2)}% (chroma key ${(100 * alphaSad(base, scene.alpha, notGem)).toFixed(2)}%)`);
    expect(brightest).toBeLessThan(0.01);
    // The target for the matte (1.5 %), and chains no worse than the plain key's.
    expect(sad).toBeLessThan(0.015);
    expect(alphaSad(alpha, scene.alpha, scene.thin)).toBeLessThan(alphaSad(base, scene.alpha, scene.thin));
  });

  // A blown pale-gold wire (5 px, as on a photo of a necklace on black
  // cloth): measured against the dark backdrop's mid-grey scale it differs by
  // about 8, and the key's blurred backdrop test spread that over 4-5 px, so
  // the trimap made the black beside the wire solid piece, a black outline
  // once composited on white (mean matte 2-3 px off the wire: 0.155 before
  // the test clipped such differences, 0.000 after; SAD/px 1.82 -> 1.33 %,
  // and 0.17 % since the guided filter solves by Cholesky).
  it('a blown wire on black: the black beside it is backdrop, not a solid rim', async () => {
    const r = rng(29);
    const coverage = createImage(W, W, (x, y) => {
      let inside = 0;
      for (let sy = 0; sy < 4; sy++) for (let sx = 0; sx < 4; sx++) inside += Math.abs(Math.hypot(x + (sx + 0.5) / 4 - 128, y + (sy + 0.5) / 4 - 150) - 90) < 2.5 ? 1 : 0;
      const a = inside / 16;
      return [a, a, a, 1];
    });
    const wire = [0.95, 0.9, 0.75];
    const image = createImage(W, W, (x, y) => {
      const a = coverage.data[4 * (y * W + x)];
      return [0, 1, 2].map((c) => a * wire[c] + (1 - a) * 0.002 + 0.0005 * 3.46 * (r() - 0.5)).concat(1) as [number, number, number, number];
    });
    const { alpha } = await runGraph(keyGraph(), { source: image });
    const dist = distanceTo(coverage, 0.001, 6);
    let rim = 0;
    let n = 0;
    for (let i = 0; i < W * W; i++) if (dist[i] >= 2 && dist[i] <= 3) [rim, n] = [rim + alpha.data[4 * i], n + 1];
    console.log(`blown wire on black: mean matte 2-3 px off the wire ${(rim / n).toFixed(3)}, SAD/px ${(100 * alphaSad(alpha, coverage)).toFixed(2)}%`);
    expect(rim / n).toBeLessThan(0.05);
  });

  it('blue backdrop: decontamination removes most backdrop colour from solid edges and chains (issue target < 2/255 is reported)', async () => {
    const scene = syntheticScene({ width: W, height: W, backdrop: [0.2, 0.35, 0.75], lighting: true, noise: 0.002, seed: 14 });
    const { alpha, foreground } = await runGraph(keyGraph(), { source: scene.image });
    report('blue', scene, alpha);
    // The gem of alpha 0.5 shows the blue through it: the trimap's hue ceiling holds at its rim
    // instead of the one-pixel bridge making it solid (measured 9.2 %; 33.6 % when the bridge ignored the ceiling).
    expect(alphaSad(alpha, scene.alpha, scene.gem)).toBeLessThan(0.2);
    // Edge band of the ring and the gem's bezel; chains and the gem body are reported apart.
    const solidEdges = { ...scene.alpha, data: scene.alpha.data.map((v, i) => (scene.thin.data[i - (i % 4)] > 0 || scene.gem.data[i - (i % 4)] > 0 ? 0 : v)) };
    const chains = { ...scene.alpha, data: scene.alpha.data.map((v, i) => (scene.thin.data[i - (i % 4)] > 0 ? v : 0)) };
    const raw = createImage(W, W, (x, y) => {
      const i = (y * W + x) * 4;
      const a = alpha.data[i];
      return [scene.image.data[i] * a, scene.image.data[i + 1] * a, scene.image.data[i + 2] * a, a];
    });
    const solid = edgeContamination(foreground, solidEdges, scene.foreground, scene.backdrop);
    const undecontaminated = edgeContamination(raw, solidEdges, scene.foreground, scene.backdrop);
    const chain = edgeContamination(foreground, chains, scene.foreground, scene.backdrop);
    const chainUndecontaminated = edgeContamination(raw, chains, scene.foreground, scene.backdrop);
    console.log(
      `blue: backdrop colour in edges ${solid.toFixed(2)}/255 (undecontaminated ${undecontaminated.toFixed(2)}), ` +
        `chains ${chain.toFixed(2)}/255 (undecontaminated ${chainUndecontaminated.toFixed(2)})`,
    );
    // What remains comes from alpha errors (an overestimated alpha leaves backdrop in F);
    // decontamination must still take out more than half of the fringe (measured 1.95 of 10.26, chains 7.66 of 19.14).
    expect(solid).toBeLessThan(0.5 * undecontaminated);
    expect(chain).toBeLessThan(0.5 * chainUndecontaminated);
  });

  it('contact shadow goes mostly to the shadow layer, not the matte', async () => {
    const scene = syntheticScene({ width: W, height: W, lighting: true, shadow: true, noise: 0.002, seed: 15 });
    const { alpha, shadow } = await runGraph(keyGraph(), { source: scene.image });
    // The control keys the shadow with neither shadow separation nor the
    // soft-edge rule (which softens a soft shadow's rim on its own: mean 0.86).
    const plain = await runGraph(keyGraph({ separateShadow: false, softEdges: false }), { source: scene.image });
    report('shadow', scene, alpha);
    const dist = distanceTo(scene.alpha, 0.001, 8);
    let a = 0;
    let aPlain = 0;
    let s = 0;
    let n = 0;
    for (let i = 0; i < W * W; i++) {
      if (scene.shadow.data[i * 4] < 0.1 || dist[i] < 8) continue;
      a += alpha.data[i * 4];
      aPlain += plain.alpha.data[i * 4];
      s += Math.abs(shadow.data[i * 4] - scene.shadow.data[i * 4]);
      n++;
    }
    console.log(`shadow: mean alpha in the shadow ${(a / n).toFixed(3)} (without separation ${(aPlain / n).toFixed(3)}), shadow layer error ${(s / n).toFixed(3)}`);
    expect(n).toBeGreaterThan(500);
    // Without separation the 10-35% darkening is keyed as solid piece (alpha ~1);
    // with it and the skirt removal almost none may remain (0.24 was left before
    // the skirt removal), and the layer holds the depth within 0.1 (the shadow
    // is 0.1-0.35 deep there).
    expect(aPlain / n).toBeGreaterThan(0.9);
    expect(a / n).toBeLessThan(0.05);
    expect(s / n).toBeLessThan(0.1);
  });

  it('a warm contact shadow (beside gold) goes to the shadow layer as a grey one does: the relight divides per channel', async () => {
    const scene = syntheticScene({ width: W, height: W, lighting: true, shadow: true, shadowTint: [0.8, 1, 1.25], noise: 0.002, seed: 15 });
    const { alpha } = await runGraph(keyGraph(), { source: scene.image });
    const dist = distanceTo(scene.alpha, 0.001, 8);
    let a = 0;
    let n = 0;
    for (let i = 0; i < W * W; i++) {
      if (scene.shadow.data[i * 4] < 0.1 || dist[i] < 8) continue;
      a += alpha.data[i * 4];
      n++;
    }
    console.log(`warm shadow: mean alpha in the shadow ${(a / n).toFixed(3)} (${n} px)`);
    expect(n).toBeGreaterThan(500);
    expect(a / n).toBeLessThan(0.05);
  });

  // A deep (80 %), wide (sigma 32 px) soft shadow as real product photos have:
  // its core next to the piece is darker than shadowMax and was keyed as a
  // hard-edged grey skirt. The backdrop fit's sigma is the catalogue preset's
  // share of the frame (150 px of 1024, 37 of 256): a fit narrower than the
  // shadow takes it for light falloff.
  const deepShadow = { width: W, height: W, lighting: true, shadow: true, shadowDepth: 0.8, shadowSpread: 2.5, noise: 0.002 };
  const deepShadowKey = () => keyGraph({ illuminationSigma: 40 });
  /** Mean alpha over the shadow (darkening >= 0.1) more than `from` px off the piece, and the share of it above 0.5. */
  function alphaInShadow(scene: Scene, alpha: CpuImage, from: number) {
    const dist = distanceTo(scene.alpha, 0.001, from + 1);
    let sum = 0;
    let opaque = 0;
    let n = 0;
    for (let i = 0; i < W * W; i++) {
      if (scene.shadow.data[i * 4] < 0.1 || dist[i] <= from) continue;
      sum += alpha.data[i * 4];
      if (alpha.data[i * 4] > 0.5) opaque++;
      n++;
    }
    return { mean: sum / n, opaque: opaque / n, n };
  }
  /** Mean alpha over the piece's solid part, more than 2 px inside its edge. */
  function alphaOnSolid(scene: Scene, alpha: CpuImage) {
    const inside = distanceTo({ ...scene.alpha, data: scene.alpha.data.map((v) => 1 - v) }, 0.001, 3);
    let sum = 0;
    let n = 0;
    for (let i = 0; i < W * W; i++) {
      if (inside[i] <= 2) continue;
      sum += alpha.data[i * 4];
      n++;
    }
    return { mean: sum / n, n };
  }

  it('deep, wide contact shadow: its core next to the piece goes to the shadow layer, not the matte', async () => {
    const scene = syntheticScene({ ...deepShadow, seed: 18 });
    const { alpha, shadow } = await runGraph(deepShadowKey(), { source: scene.image });
    report('deep shadow', scene, alpha);
    const skirt = alphaInShadow(scene, alpha, 2);
    let layer = 0;
    let n = 0;
    for (let i = 0; i < W * W; i++) {
      if (scene.shadow.data[i * 4] < 0.1 || scene.alpha.data[i * 4] > 0) continue;
      layer += Math.abs(shadow.data[i * 4] - scene.shadow.data[i * 4]);
      n++;
    }
    console.log(`deep shadow: mean alpha in the shadow > 2 px off the piece ${skirt.mean.toFixed(3)} (share > 0.5: ${(100 * skirt.opaque).toFixed(1)}%), shadow layer error ${(layer / n).toFixed(3)}`);
    expect(skirt.n).toBeGreaterThan(3000);
    // The core deeper than shadowMax (0.45) was keyed as piece: mean 0.148,
    // 14.7 % opaque, layer error 0.150; now 0.050, 5.0 %, 0.105 (what is left
    // is mostly around the chains that cross the shadow's core).
    expect(skirt.mean).toBeLessThan(0.09);
    expect(skirt.opaque).toBeLessThan(0.09);
    expect(layer / n).toBeLessThan(0.13);
  });

  it('the piece keeps the colour it was shot with where the contact shadow was divided out for keying', async () => {
    // The keyer lifts the shadow (relight.frag) so the backdrop next to the
    // piece matches the clean backdrop; the shadow estimate reaches under the
    // piece, and its colour was taken from the lifted image: before the relight
    // factor was multiplied back, 852 of the 3444 fully keyed pixels of the
    // definite piece here came out brighter than shot (on a real white-backdrop
    // photo, a pale patch of a stone next to its shadow turned white).
    const scene = syntheticScene({ ...deepShadow, seed: 16 });
    const { alpha, foreground, trimap } = await runGraph(deepShadowKey(), { source: scene.image });
    let solid = 0;
    let changed = 0;
    for (let p = 0; p < W * W; p++) {
      const a = alpha.data[4 * p];
      if (a < 0.999 || trimap.data[4 * p + 1] < 0.9) continue;
      solid++;
      if ([0, 1, 2].some((c) => Math.abs(foreground.data[4 * p + c] / a - scene.image.data[4 * p + c]) > 1e-3)) changed++;
    }
    console.log(`relit piece: ${changed} of ${solid} fully keyed piece pixels differ from the shot`);
    expect(solid).toBeGreaterThan(2000);
    expect(changed).toBe(0);
  });

  // A mottled backdrop (concrete, velvet, pearls): its darker patches are
  // smooth and colourless like a shadow, and the catalogue composited them
  // back onto the white as grey blotches. Darkening no deeper than twice the
  // open backdrop's own RMS darkening is texture, not shadow: what is left
  // of a contact shadow is its part clearly deeper than the mottling (a
  // shadow as faint as the backdrop's own patches cannot be told from them).
  // Before: 0.0305 of mottle on the open backdrop, the core at 0.391 of its
  // true 0.455; now 0.0000 and 0.251.
  it('the shadow layer holds the deep contact shadow, not a mottled backdrop', async () => {
    const scene = syntheticScene({ width: W, height: W, lighting: true, shadow: true, shadowDepth: 0.7, noise: 0.002, seed: 15 });
    // Darkening 0 to 0.24 in patches about 15-40 px across.
    const mottle = (x: number, y: number) => 1 - 0.12 * (1 + Math.sin(0.21 * x + 1.3 * Math.sin(0.05 * y)) * Math.sin(0.17 * y + 0.9 * Math.sin(0.07 * x)));
    const image = createImage(W, W, (x, y) => {
      const i = (y * W + x) * 4;
      const a = scene.alpha.data[i];
      return [0, 1, 2].map((c) => a * scene.foreground.data[i + c] * scene.illumination.data[i + c] + (1 - a) * scene.backdrop.data[i + c] * (1 - scene.shadow.data[i]) * mottle(x, y)).concat(1) as [number, number, number, number];
    });
    const { shadow } = await runGraph(keyGraph(), { source: image });
    const dist = distanceTo(scene.alpha, 0.001, 40);
    const mean = (inside: (i: number) => boolean) => {
      let [layer, truth, n] = [0, 0, 0];
      for (let i = 0; i < W * W; i++) if (inside(i)) [layer, truth, n] = [layer + shadow.data[i * 4], truth + scene.shadow.data[i * 4], n + 1];
      return { layer: layer / n, truth: truth / n, n };
    };
    const core = mean((i) => scene.shadow.data[i * 4] >= 0.4 && dist[i] >= 4);
    const away = mean((i) => scene.shadow.data[i * 4] < 0.01 && dist[i] >= 40);
    console.log(`mottled backdrop: shadow layer ${core.layer.toFixed(3)} in the shadow's core (true ${core.truth.toFixed(3)}, ${core.n} px), ${away.layer.toFixed(4)} on the backdrop 40 px off the piece (${away.n} px)`);
    expect(core.n).toBeGreaterThan(100);
    expect(away.n).toBeGreaterThan(5000);
    expect(away.layer).toBeLessThan(0.005);
    expect(core.layer).toBeGreaterThan(0.5 * core.truth);
  });

  it('contact shadow on a woven backdrop goes to the shadow layer; near-black metal stays', async () => {
    // A cloth whose weave shows more in the shadow than on the open cloth,
    // which is out of focus at the top of the frame (chain_white_unsplash_01:
    // fine-scale texture 0.056 in the shadows between the bangles, 0.017 on
    // the open cloth, noise estimate 0.014): a fixed tolerance took the
    // shadow for piece. It must be as smooth as the open cloth nearby allows.
    const scene = syntheticScene({
      width: W, height: W, lighting: true, shadow: true, shadowSpread: 2, metal: 'dark', texture: 0.04, shadowTexture: 4, noise: 0.002, seed: 21,
    });
    const { alpha } = await runGraph(keyGraph(), { source: scene.image });
    report('woven backdrop', scene, alpha);
    const near = alphaInShadow(scene, alpha, 2);
    const far = alphaInShadow(scene, alpha, 6);
    const { mean: kept, n } = alphaOnSolid(scene, alpha);
    console.log(
      `woven backdrop: mean alpha in the shadow > 6 px off the piece ${far.mean.toFixed(3)}, > 2 px ${near.mean.toFixed(3)} ` +
        `(share > 0.5: ${(100 * near.opaque).toFixed(1)}%), on the solid metal ${kept.toFixed(4)}`,
    );
    expect(far.n).toBeGreaterThan(3000);
    expect(n).toBeGreaterThan(2000);
    // With the fixed tolerance: 0.174 beyond 6 px, 0.306 beyond 2 px; with
    // the backdrop's own texture: 0.006 and 0.107 (what is left is the skirt
    // against the dark ring, whose edge is a step the growth does not climb).
    expect(far.mean).toBeLessThan(0.03);
    expect(near.mean).toBeLessThan(0.15);
    expect(kept).toBeGreaterThan(0.995);
  });

  it('a small edit leaves the matte beyond the backdrop fit\'s reach unchanged (the noise estimate follows no one region)', async () => {
    // The key's thresholds scale with the image's noise estimate. As one
    // truncated mean over the frame it moved with every edit, and pixels at
    // their thresholds flipped anywhere: a speck of dust darkened into the
    // woven backdrop's corner changed 52-55 alpha values by up to 219/255
    // more than 30 px away. The mean of the frame's middle cells moves by a
    // small part of the gap between two cells, which its snap absorbs.
    const scene = syntheticScene({
      width: W, height: W, lighting: true, shadow: true, shadowSpread: 2, metal: 'dark', texture: 0.04, shadowTexture: 4, noise: 0.002, seed: 11,
    });
    const speckAt = (x0: number, y0: number) => {
      const data = Float64Array.from(scene.image.data);
      for (let y = y0; y < y0 + 7; y++) for (let x = x0; x < x0 + 7; x++) for (let c = 0; c < 3; c++) data[(y * W + x) * 4 + c] *= 0.7;
      return { ...scene.image, data };
    };
    const before = (await runGraph(keyGraph(), { source: scene.image })).alpha;
    // Beyond three sigmas of the backdrop fit (illuminationSigma 16) the speck has no say.
    const reach = 3 * 16;
    for (const [x0, y0] of [[20, 20], [220, 30]]) {
      const after = (await runGraph(keyGraph(), { source: speckAt(x0, y0) })).alpha;
      let changed = 0;
      for (let y = 0; y < W; y++)
        for (let x = 0; x < W; x++) {
          const d = Math.abs(after.data[(y * W + x) * 4] - before.data[(y * W + x) * 4]);
          if (Math.hypot(x - x0 - 3, y - y0 - 3) > reach) changed += d > 1 / 255 ? 1 : 0;
        }
      expect(changed, `speck at ${x0},${y0}: alpha values changed beyond ${reach} px`).toBe(0);
    }
  });

  it('deep shadow under near-black metal: the shadow goes, the metal stays', async () => {
    const scene = syntheticScene({ ...deepShadow, metal: 'dark', seed: 19 });
    const { alpha } = await runGraph(deepShadowKey(), { source: scene.image });
    report('dark metal', scene, alpha);
    // The ring's solid metal (as dark as the shadow's core, colourless, smooth) at least 2 px inside its edge.
    const { mean: kept, n } = alphaOnSolid(scene, alpha);
    const skirt = alphaInShadow(scene, alpha, 2);
    console.log(`dark metal: mean alpha on the solid metal ${kept.toFixed(4)}, in the shadow > 2 px off ${skirt.mean.toFixed(3)} (share > 0.5: ${(100 * skirt.opaque).toFixed(1)}%)`);
    // The ring's edge against the shadow is a step the skirt growth does not
    // climb, so the metal stays (1.0000 before and after); the shadow's mean
    // alpha was 0.164, now 0.069.
    expect(n).toBeGreaterThan(2000);
    expect(kept).toBeGreaterThan(0.995);
    expect(skirt.mean).toBeLessThan(0.09);
  });

  it('white on white: a shaded plate inside a darker outline is kept, a ring hole showing the backdrop stays backdrop', async () => {
    // White backdrop, light falling off to the right, noise 0.01. Left: a plate whose face
    // is 1.5 % brighter than the backdrop with fine brushed lines (±2.5 %: the key calls it
    // certain backdrop), inside a 2 px grey outline. Right: a grey ring whose hole shows
    // the backdrop. The backdrop fit's default scale (the plate is smaller than it).
    const r = rng(21);
    const gauss = () => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
    const plate = [0.3 * W, 0.5 * W];
    const ring = [0.72 * W, 0.5 * W];
    const image = createImage(W, W, (x, y) => {
      const light = 0.85 * (1 - (0.1 * x) / W);
      const dp = Math.hypot(x + 0.5 - plate[0], y + 0.5 - plate[1]);
      const dr = Math.hypot(x + 0.5 - ring[0], y + 0.5 - ring[1]);
      let v = light;
      if (dp < 0.16 * W) v = light * (1.015 + (x % 2 ? 0.025 : -0.025));
      if ((dp >= 0.16 * W && dp < 0.16 * W + 2) || (dr >= 0.12 * W && dr < 0.19 * W)) v = 0.35;
      return [v + 0.01 * gauss(), v + 0.01 * gauss(), v + 0.01 * gauss(), 1];
    });
    const inside = (c: number[], radius: number) => mask(image, (i) => (Math.hypot((i % W) + 0.5 - c[0], Math.floor(i / W) + 0.5 - c[1]) < radius ? 1 : 0));
    const face = inside(plate, 0.16 * W - 3);
    const hole = inside(ring, 0.12 * W - 2);
    const meanOver = (alpha: CpuImage, m: CpuImage) => {
      let sum = 0;
      let n = 0;
      for (let i = 0; i < W * W; i++) if (m.data[i * 4] > 0.5) { sum += alpha.data[i * 4]; n++; }
      return sum / n;
    };
    const filled = (await runGraph(keyGraph({ illuminationSigma: 60, fillEnclosed: true }), { source: image })).alpha;
    const plain = (await runGraph(keyGraph({ illuminationSigma: 60, fillEnclosed: false }), { source: image })).alpha;
    console.log(`white plate on white: face mean alpha ${meanOver(filled, face).toFixed(3)} (without fillEnclosed ${meanOver(plain, face).toFixed(3)}), ring hole ${meanOver(filled, hole).toFixed(4)}`);
    expect(meanOver(plain, face)).toBeLessThan(0.5);
    expect(meanOver(filled, face)).toBeGreaterThan(0.95);
    let worstHole = 0;
    for (let i = 0; i < W * W; i++) if (hole.data[i * 4] > 0.5) worstHole = Math.max(worstHole, filled.data[i * 4]);
    expect(worstHole).toBeLessThan(0.05);
  });

  it('hints: red strokes are piece, green strokes are backdrop, whatever the key says', async () => {
    const scene = syntheticScene({ width: W, height: W, metal: 'white', seed: 16 });
    // Red over the whole ring, green over a backdrop patch left of it.
    const hints = createImage(W, W, (x, y) => {
      const d = Math.hypot(x + 0.5 - 0.36 * W, y + 0.5 - 0.42 * W);
      const ring = d >= 0.14 * W + 1 && d <= 0.2 * W - 1;
      const patch = x < 20 && y > 100 && y < 140;
      return [ring ? 1 : 0, patch ? 1 : 0, 0, 1];
    });
    const { alpha } = await runGraph(keyGraph({}, true), { source: scene.image, hints });
    let worst = 0;
    for (let i = 0; i < W * W; i++) {
      if (hints.data[i * 4] > 0.5) worst = Math.max(worst, 1 - alpha.data[i * 4]);
      if (hints.data[i * 4 + 1] > 0.5) worst = Math.max(worst, alpha.data[i * 4]);
    }
    expect(worst).toBe(0);
  });

  it('generated shot (set, white backdrop, uneven light, noise): matte error vs the chroma-key baseline', async () => {
    const e = await engine();
    const shot = await generateShot(e, {
      seed: 2, width: 384, height: 288, subject: 'set', background: 'white',
      defects: { lighting: true, shadow: false, glare: false, dust: false, scratches: false, smudges: false, noise: true },
    });
    const { alpha } = await runGraph(keyGraph({ illuminationSigma: 30 }), { source: shot.raw });
    const display = createImage(shot.width, shot.height, (x, y) => {
      const i = (y * shot.width + x) * 4;
      return [linearToSrgb(shot.raw.data[i]), linearToSrgb(shot.raw.data[i + 1]), linearToSrgb(shot.raw.data[i + 2]), 1];
    });
    const base = chromaKey(display).alpha;
    const f = (v: number) => (100 * v).toFixed(2) + '%';
    const sad = alphaSad(alpha, shot.alpha);
    console.log(
      `generated set/white: SAD/px ${f(sad)} (chroma key ${f(alphaSad(base, shot.alpha))}), thin ${f(alphaSad(alpha, shot.alpha, shot.masks.thin))} ` +
        `(${f(alphaSad(base, shot.alpha, shot.masks.thin))}), gem ${f(alphaSad(alpha, shot.alpha, shot.masks.gem))} (${f(alphaSad(base, shot.alpha, shot.masks.gem))}), ` +
        `gradient ${alphaGradientError(alpha, shot.alpha).toExponential(2)} (${alphaGradientError(base, shot.alpha).toExponential(2)})`,
    );
    expect(sad).toBeLessThan(0.015); // the target
    expect(alphaSad(alpha, shot.alpha, shot.masks.thin)).toBeLessThan(alphaSad(base, shot.alpha, shot.masks.thin));
  });

  // Shallow depth of field: a gold disc on white whose edge is defocused
  // (coverage blurred by sigma px, so the shot is exactly alpha F + (1 - alpha) B
  // with that soft alpha). Without the soft-edge rule the one-pixel bridge
  // raises such a ramp and the 3 px band is narrower than it
  // (docs/passes-light-background.md, "Defocused edges").
  const defocusedDisc = (sigma: number, radius = 70, B = [0.86, 0.86, 0.86]) => {
    const coverage = createImage(W, W, (x, y) => {
      let inside = 0;
      for (let sy = 0; sy < 4; sy++) for (let sx = 0; sx < 4; sx++) inside += Math.hypot(x + (sx + 0.5) / 4 - W / 2, y + (sy + 0.5) / 4 - W / 2) < radius ? 1 : 0;
      const a = inside / 16;
      return [a, a, a, 1];
    });
    const alpha = gaussianBlurRef(coverage, sigma);
    const r = rng(3);
    const F = [0.75, 0.5, 0.18];
    const image = createImage(W, W, (x, y) => {
      const a = alpha.data[4 * (y * W + x)];
      // Uniform noise of standard deviation 0.002 (the width of a uniform step is sqrt(12) = 3.46 sd).
      return [0, 1, 2].map((c) => a * F[c] + (1 - a) * B[c] + 0.002 * 3.46 * (r() - 0.5)).concat(1) as [number, number, number, number];
    });
    return { image, alpha };
  };

  it('soft edges: the regions found on the GPU equal the float64 reference; soft covers a defocused edge, very soft only a wider one, neither a sharp one', async () => {
    const graph: GraphSpec = {
      version: 1,
      nodes: [{ id: 'k', pass: 'background.key', params: { illuminationSigma: 16 } as never, inputs: { image: '$source' } }],
      outputs: { soft: 'k:softEdges', backdrop: 'k:backdrop' },
    };
    const opts = { ...SOFT_EDGES, edgeBand: 3, voteRadius: softBandRadius(3, SOFT_EDGES.wide) };
    for (const sigma of [0.7, 2, 4]) {
      const disc = defocusedDisc(sigma);
      const { soft, backdrop } = await runGraph(graph, { source: disc.image });
      const ref = softEdgesRef(disc.image, backdrop, opts);
      // The region is a threshold on counts of edge maxima, and float32 blurs
      // move a maximum now and then: the two may differ only along the
      // reference region's rims (within 2 px of a pixel on its other side).
      const nearRim = (i: number, c: number) => {
        const [x, y] = [i % W, Math.floor(i / W)];
        for (let dy = -2; dy <= 2; dy++)
          for (let dx = -2; dx <= 2; dx++) {
            const [u, v] = [x + dx, y + dy];
            if (u >= 0 && v >= 0 && u < W && v < W && ref.data[(v * W + u) * 4 + c] !== ref.data[i * 4 + c]) return true;
          }
        return false;
      };
      let differ = 0;
      let inside = 0;
      const found = [0, 0];
      const onRamp = [0, 0];
      let ramp = 0;
      for (let i = 0; i < W * W; i++) {
        const a = disc.alpha.data[i * 4];
        const isRamp = a > 0.05 && a < 0.95;
        if (isRamp) ramp++;
        [0, 2].forEach((c, k) => {
          if (soft.data[i * 4 + c] !== ref.data[i * 4 + c]) {
            differ++;
            if (!nearRim(i, c)) inside++;
          }
          found[k] += soft.data[i * 4 + c];
          if (isRamp) onRamp[k] += soft.data[i * 4 + c];
        });
      }
      console.log(`soft edges, disc blurred by ${sigma}: soft ${found[0]} px, very soft ${found[1]} px (of ${ramp} ramp px: ${onRamp[0]}, ${onRamp[1]}), GPU vs reference differ at ${differ} px, ${inside} away from the rims`);
      expect(inside).toBe(0);
      if (sigma < 1) expect(found).toEqual([0, 0]);
      else if (sigma < 3) expect(onRamp).toEqual([ramp, 0]);
      // At sigma 4 the ramp's outermost tail (alpha near 0.05) lies beyond the vote window.
      else for (const k of [0, 1]) expect(onRamp[k]).toBeGreaterThan(0.99 * ramp);
    }
  });

  it('defocused edges key within 0.3 % SAD with the default parameters (soft edges), and miss without them', async () => {
    for (const sigma of [2, 4]) {
      const disc = defocusedDisc(sigma);
      const { alpha } = await runGraph(keyGraph(), { source: disc.image });
      const { alpha: plain } = await runGraph(keyGraph({ softEdges: false }), { source: disc.image });
      console.log(`disc blurred by ${sigma}: SAD/px ${(100 * alphaSad(alpha, disc.alpha)).toFixed(3)}%, softEdges off ${(100 * alphaSad(plain, disc.alpha)).toFixed(3)}%`);
      expect(alphaSad(alpha, disc.alpha)).toBeLessThan(0.003);
      // The shot needs the rule: without it the bridge and the narrow band miss by far more than the bound.
      expect(alphaSad(plain, disc.alpha)).toBeGreaterThan(0.009);
    }
  });

  // The soft-edge test reads luminance: on a coloured backdrop of other
  // brightness it finds the edge as on white. (On grey 0.5 the gold edge is
  // nearly as bright as the backdrop, 0.53, and no region is found; the key's
  // colour contrast would find it but, tried, also flagged a polished band's
  // inner shading and softened the built-in sample's bright rim.)
  it('a defocused gold disc on blue keys within 0.3 % SAD, its edge found soft', async () => {
    const disc = defocusedDisc(2, 40, [0.2, 0.35, 0.7]);
    const { alpha } = await runGraph(keyGraph(), { source: disc.image });
    const { soft } = await runGraph({ ...keyGraph(), outputs: { soft: 'k:softEdges' } }, { source: disc.image });
    let found = 0;
    for (let i = 0; i < W * W; i++) found += soft.data[i * 4];
    console.log(`gold disc (radius 40) on blue: SAD/px ${(100 * alphaSad(alpha, disc.alpha)).toFixed(3)}%, soft region ${found} px`);
    expect(alphaSad(alpha, disc.alpha)).toBeLessThan(0.003);
    expect(found).toBeGreaterThan(2 * Math.PI * 40 * 2);
  });

  // A large smooth piece unlike the backdrop (the disc fills a quarter of the
  // frame): the whole frame's mean colour, the backdrop mask's first
  // reference, lies between gold and blue, no pixel passes the colour test
  // against it, and the backdrop estimate came out black: everything was keyed
  // as piece (SAD 76.5 %). Where over 4 times as much of the frame passes
  // against the border's mean colour, that is the reference
  // (light/backdrop_reference).
  it('a gold disc filling a quarter of the frame on blue keys within 0.3 % SAD (the border colour as the reference)', async () => {
    const disc = defocusedDisc(2, 70, [0.2, 0.35, 0.7]);
    const { alpha } = await runGraph(keyGraph(), { source: disc.image });
    console.log(`gold disc (radius 70) on blue: SAD/px ${(100 * alphaSad(alpha, disc.alpha)).toFixed(3)}%`);
    expect(alphaSad(alpha, disc.alpha)).toBeLessThan(0.003);
  });

  // On grey a few pixels still pass against the mixed mean (grey and gold are
  // closer in chromaticity); with the first rule (the border only where under
  // 0.1 % passed) the estimate came from those few and the whole frame was
  // keyed as piece (SAD 75.6 %). The disc here is sharp (sigma 0.7).
  it('a gold disc filling a quarter of the frame on grey keys within 0.3 % SAD (the border colour as the reference)', async () => {
    const disc = defocusedDisc(0.7, 70, [0.5, 0.5, 0.5]);
    const { alpha, backdrop } = await runGraph({ ...keyGraph(), outputs: { alpha: 'k:alpha', backdrop: 'k:backdrop' } }, { source: disc.image });
    console.log(`gold disc (radius 70, sigma 0.7) on grey: SAD/px ${(100 * alphaSad(alpha, disc.alpha)).toFixed(3)}%`);
    expect(alphaSad(alpha, disc.alpha)).toBeLessThan(0.003);
    // The backdrop under the disc is the grey around it.
    const centre = 4 * (W / 2 * W + W / 2);
    for (let c = 0; c < 3; c++) expect(Math.abs(backdrop.data[centre + c] - 0.5)).toBeLessThan(0.01);
  });

  // Defocused (sigma 2) on grey the backdrop is found as above, but the
  // soft-edge test reads luminance and gold's (0.53) is nearly grey's: the
  // ramp keeps the narrow band (SAD 1.19 %, as with softEdges off).
  it.fails('a defocused gold disc filling a quarter of the frame on grey keys within 0.3 % SAD (known miss)', async () => {
    const disc = defocusedDisc(2, 70, [0.5, 0.5, 0.5]);
    const { alpha } = await runGraph(keyGraph(), { source: disc.image });
    console.log(`gold disc (radius 70, sigma 2) on grey: SAD/px ${(100 * alphaSad(alpha, disc.alpha)).toFixed(3)}%`);
    expect(alphaSad(alpha, disc.alpha)).toBeLessThan(0.003);
  });

  it('generated shot with a contact shadow: no grey skirt around the pieces (matte 0 on the backdrop next to them)', async () => {
    const e = await engine();
    const shot = await generateShot(e, {
      seed: 3, width: 384, height: 288, subject: 'set', background: 'white',
      defects: { lighting: true, shadow: true, glare: false, dust: false, scratches: false, smudges: false, noise: true },
    });
    const { alpha } = await runGraph(keyGraph({ illuminationSigma: 30 }), { source: shot.raw });
    // Backdrop 2-30 px from the true piece: where a skirt shows.
    const dist = distanceTo(shot.alpha, 0.002, 31);
    let sum = 0;
    let n = 0;
    for (let i = 0; i < shot.width * shot.height; i++) {
      if (!(dist[i] > 2 && dist[i] <= 30)) continue;
      sum += alpha.data[i * 4];
      n++;
    }
    const sad = alphaSad(alpha, shot.alpha);
    console.log(`generated set/white + shadow: mean alpha 2-30 px off the piece ${(sum / n).toFixed(4)}, SAD/px ${(100 * sad).toFixed(2)}%`);
    expect(n).toBeGreaterThan(5000);
    // Before the skirt removal the shadow core left a mean of ~0.06 there.
    expect(sum / n).toBeLessThan(0.02);
    expect(sad).toBeLessThan(0.03);
  });

  // A lifestyle shot: a woven sleeve fills the lower 45 % of the frame from
  // edge to edge and a ring lies on the grey backdrop above it. The key finds
  // the sleeve as "piece" and so covers (0.45 + 0.45 + 1) / 4 of the frame's
  // edge; cutting such a scene into piece and backdrop is what the catalogue
  // did to hands and jeans, so the frame is kept whole.
  const sleeveShot = () => {
    const r = rng(23);
    return createImage(W, W, (x, y) => {
      const onRing = Math.abs(Math.hypot(x - 128, y - 64) - 24) < 5;
      if (y >= 0.55 * W) {
        const weave = 0.5 + 0.5 * Math.sin(0.9 * x) * Math.sin(0.9 * y);
        return [0.3 + 0.15 * weave, 0.18 + 0.1 * weave, 0.1 + 0.05 * weave].map((v) => v * (0.9 + 0.2 * r())).concat(1) as [number, number, number, number];
      }
      return onRing ? [0.75, 0.5, 0.18, 1] : [0.6 + 0.004 * r(), 0.6 + 0.004 * r(), 0.6 + 0.004 * r(), 1];
    });
  };

  const lowestAlpha = (alpha: CpuImage) => alpha.data.reduce((low, v, i) => (i % 4 === 0 ? Math.min(low, v) : low), 1);
  const layersOf = (r: Record<string, CpuImage>, image: CpuImage) => ({ alpha: r.alpha, foreground: r.foreground, shadow: r.shadow, image, backdrop: r.backdrop, trimap: r.trimap });
  const keepFrameOptions = (maxCover: number) => ({ maxCover, ramp: KEEP_FRAME.ramp, edgeWidth: keepFrameEdgeWidth(W, W), texturedCover: KEEP_FRAME.texturedCover, texturedMisfit: KEEP_FRAME.texturedMisfit });

  it('whole-frame check: the GPU equals the float64 reference on the unchecked layers; a lifestyle shot keeps its frame, a product shot is unchanged', async () => {
    const sleeve = sleeveShot();
    const unchecked = await runGraph(keyGraph({ maxEdgeCover: 1 }), { source: sleeve });
    const expected = keepFrameRef(layersOf(unchecked, sleeve), keepFrameOptions(0.4));
    console.log(`sleeve shot: the matte covers ${(100 * expected.cover).toFixed(1)} % of the frame's edge`);
    // The key does find the sleeve as piece: without the check it is cut out.
    expect(expected.cover).toBeGreaterThan(0.45);
    const checked = await runGraph(keyGraph(), { source: sleeve });
    for (const layer of ['alpha', 'foreground', 'shadow'] as const) expect(difference(checked[layer], expected[layer]).max).toBeLessThan(1e-6);
    expect(lowestAlpha(checked.alpha)).toBe(1);
    expect(difference(checked.foreground, sleeve).max).toBeLessThan(1e-6);

    // In the ramp: a limit just above the cover blends the two.
    const maxCover = expected.cover + 0.05;
    const blended = await runGraph(keyGraph({ maxEdgeCover: maxCover }), { source: sleeve });
    const partial = keepFrameRef(layersOf(unchecked, sleeve), keepFrameOptions(maxCover));
    expect(partial.whole).toBeGreaterThan(0.2);
    expect(partial.whole).toBeLessThan(0.8);
    for (const layer of ['alpha', 'foreground', 'shadow'] as const) expect(difference(blended[layer], partial[layer]).max).toBeLessThan(1e-5);

    // Hints settle what is piece: the check is off.
    const hints = createImage(W, W, () => [0, 0, 0, 0]);
    const hinted = await runGraph(keyGraph({}, true), { source: sleeve, hints });
    const hintedUnchecked = await runGraph(keyGraph({ maxEdgeCover: 1 }, true), { source: sleeve, hints });
    expect(difference(hinted.alpha, hintedUnchecked.alpha).max).toBe(0);
    expect(lowestAlpha(hinted.alpha)).toBeLessThan(0.5);

    // A product shot (its chains run out of the right edge) is untouched: the
    // check's draw only copies the layers (through the texture filter, which
    // on llvmpipe at sizes other than powers of two moves a value by up to 4e-5).
    const scene = syntheticScene({ width: W, height: W, lighting: true, shadow: true, noise: 0.002, seed: 11 });
    const product = await runGraph(keyGraph(), { source: scene.image });
    const productUnchecked = await runGraph(keyGraph({ maxEdgeCover: 1 }), { source: scene.image });
    for (const layer of ['alpha', 'foreground', 'shadow'] as const) expect(difference(product[layer], productUnchecked[layer]).max).toBeLessThan(1e-4);
  });

  // A textured backdrop: a gold ring on red velvet whose folds (light and
  // deep troughs, 40-70 px apart) the smooth backdrop estimate cannot follow.
  // The key takes the deepest troughs for piece, and they run out of the
  // frame; cut out, the velvet would come back as islands. The backdrop's
  // misfit to a smooth one is large, so once the matte reaches the frame's
  // edge the frame is kept whole, with a note. With troughs a little
  // lighter (`floor`) the key separates the same velvet at the edge and the
  // cut-out stays.
  const velvetShot = (floor: number) =>
    createImage(W, W, (x, y) => {
      if (Math.abs(Math.hypot(x - 128, y - 128) - 30) < 6) return [0.75, 0.5, 0.18, 1];
      const fold = 0.5 + 0.5 * Math.sin(x / 10 + 2.5 * Math.sin(y / 23));
      const v = floor + (0.55 - floor) * fold ** 2;
      return [v, 0.12 * v, 0.15 * v, 1];
    });

  it('whole-frame check on a textured backdrop: islands of velvet keyed as piece reach the edge, so the frame is kept; the GPU equals the float64 reference', async () => {
    const velvet = velvetShot(0.08);
    const unchecked = await runGraph(keyGraph({ maxEdgeCover: 1 }), { source: velvet });
    const expected = keepFrameRef(layersOf(unchecked, velvet), keepFrameOptions(0.4));
    console.log(`velvet shot: the matte covers ${(100 * expected.cover).toFixed(1)} % of the frame's edge, backdrop misfit ${expected.misfit.toFixed(3)}, whole-frame weight ${expected.whole.toFixed(3)}`);
    // The key does cut the velvet into islands at the edge, and not as a lifestyle shot would.
    expect(expected.cover).toBeGreaterThan(KEEP_FRAME.texturedCover[1]);
    expect(expected.cover).toBeLessThan(0.3);
    expect(expected.misfit).toBeGreaterThan(KEEP_FRAME.texturedMisfit[1]);
    const checked = await runGraph(keyGraph(), { source: velvet });
    for (const layer of ['alpha', 'foreground', 'shadow'] as const) expect(difference(checked[layer], expected[layer]).max).toBeLessThan(1e-5);
    expect(lowestAlpha(checked.alpha)).toBe(1);

    // Lighter troughs: as textured, but keyed as backdrop at the edge, so the cut-out stays.
    const lighter = velvetShot(0.1);
    const lighterUnchecked = await runGraph(keyGraph({ maxEdgeCover: 1 }), { source: lighter });
    const kept = keepFrameRef(layersOf(lighterUnchecked, lighter), keepFrameOptions(0.4));
    console.log(`lighter velvet: the matte covers ${(100 * kept.cover).toFixed(1)} % of the frame's edge, backdrop misfit ${kept.misfit.toFixed(3)}, whole-frame weight ${kept.whole.toFixed(3)}`);
    expect(kept.misfit).toBeGreaterThan(KEEP_FRAME.texturedMisfit[1]);
    expect(kept.cover).toBeLessThan(KEEP_FRAME.texturedCover[0]);
    const lighterChecked = await runGraph(keyGraph(), { source: lighter });
    for (const layer of ['alpha', 'foreground', 'shadow'] as const) expect(difference(lighterChecked[layer], lighterUnchecked[layer]).max).toBeLessThan(1e-4);
    expect(lowestAlpha(lighterChecked.alpha)).toBe(0);
  });

  it('rejects contradictory parameters and a missing background image', async () => {
    const scene = syntheticScene({ width: 64, height: 64, seed: 17 });
    await expect(runGraph(keyGraph({ lowContrast: 0.3, highContrast: 0.2 }), { source: scene.image })).rejects.toThrow(/highContrast/);
    const replace: GraphSpec = {
      version: 1,
      nodes: [{ id: 'r', pass: 'background.replace', params: { mode: 'image' }, inputs: { foreground: '$source' } }],
      outputs: { result: 'r' },
    };
    await expect(runGraph(replace, { source: scene.image })).rejects.toThrow(/needs the background input/);
  });
});

describe('background.clean and the presets', () => {
  it('clean: a blue backdrop becomes grey and even, the solid piece is untouched', async () => {
    const scene = syntheticScene({ width: 128, height: 128, backdrop: [0.15, 0.3, 0.7], lighting: true, seed: 12 });
    const graph: GraphSpec = {
      version: 1,
      nodes: [{ id: 'c', pass: 'background.clean', params: { blur: 6, evenOut: 1, desaturate: 1, lighten: 0 }, inputs: { image: '$source', alpha: '$alpha' } }],
      outputs: { result: 'c' },
    };
    const { result } = await runGraph(graph, { source: scene.image, alpha: scene.alpha });
    let chroma = 0;
    let n = 0;
    let pieceChange = 0;
    for (let i = 0; i < 128 * 128; i++) {
      const px = [0, 1, 2].map((c) => result.data[i * 4 + c]);
      const a = scene.alpha.data[i * 4];
      if (a === 0) {
        chroma = Math.max(chroma, (Math.max(...px) - Math.min(...px)) / Math.max(...px));
        n++;
      }
      if (a === 1) for (let c = 0; c < 3; c++) pieceChange = Math.max(pieceChange, Math.abs(px[c] - scene.image.data[i * 4 + c]));
    }
    expect(n).toBeGreaterThan(1000);
    expect(chroma).toBeLessThan(1e-4); // desaturate 1: grey up to float32 rounding
    expect(pieceChange).toBeLessThan(1e-5); // alpha 1: (1 - alpha) removes every backdrop term
  });

  it('the three presets validate and the cutout downloads with straight alpha', async () => {
    const e = await engine();
    const load = (name: string) => JSON.parse(readFileSync(new URL(`../src/presets/${name}.json`, import.meta.url), 'utf8')) as GraphSpec;
    for (const name of ['lighting', 'cutout', 'white-background']) expect(() => e.validate(load(name)), name).not.toThrow();
    const S = 160;
    const scene = syntheticScene({ width: S, height: S, seed: 13 });
    const runner = e.runner(load('cutout'), 'none');
    try {
      runner.setExternal('source', toGpu(e, scene.image));
      const out = runner.run({}).get('result')!;
      const png = e.download(out); // file encoding: sRGB, straight alpha, 8 bit
      let transparentCorners = 0;
      for (const [x, y] of [[0, 0], [S - 1, 0], [0, S - 1], [S - 1, S - 1]]) if (png.data[(y * S + x) * 4 + 3] === 0) transparentCorners++;
      expect(transparentCorners).toBe(4);
      // A solid ring pixel keeps its colour in straight alpha (not darkened by premultiplication).
      const ringPixel = (Math.round(0.42 * S) * S + Math.round(0.53 * S)) * 4; // middle of the ring's right side
      expect(scene.alpha.data[ringPixel]).toBe(1);
      expect(png.data[ringPixel + 3]).toBe(255);
      expect(Math.abs(png.data[ringPixel] - Math.round(255 * linearToSrgb(scene.image.data[ringPixel])))).toBeLessThanOrEqual(2);
    } finally {
      runner.dispose();
    }
  });
});
