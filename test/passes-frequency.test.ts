import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createImage, difference, rng, type CpuImage } from '../src/cpu/image.js';
import { gaussianBlurRef, linearToSrgb } from '../src/cpu/reference.js';
import { bilateralBruteRef, bilateralLevelsRef, cleanLowRef, frequencySplitRef, recombineRef } from '../src/cpu/frequency-ref.js';
import type { GraphSpec } from '../src/graph/types.js';
import { runGraph } from './helpers/gpu.js';

/**
 * Brushed-metal-like test card: a dark/bright step edge (a facet border), fine
 * texture, blotchy low-frequency tone, and a few HDR values above 1.
 */
function metalCard(w: number, h: number, seed: number): CpuImage {
  const r = rng(seed);
  return createImage(w, h, (x, y) => {
    const facet = x < w / 2 ? 0.12 : 0.55;
    const blotch = 0.06 * Math.sin(x / 7) * Math.cos(y / 5);
    const texture = 0.05 * (r() - 0.5) + (y % 6 === 0 ? 0.04 : 0);
    const v = facet + blotch + texture;
    const hot = x === 3 * Math.floor(w / 4) && y === Math.floor(h / 2) ? 1.5 : 0;
    return [v * 1.05 + hot, v + hot, v * 0.85 + hot, 1];
  });
}

const splitGraph = (params: object): GraphSpec => ({
  version: 1,
  nodes: [
    { id: 'split', pass: 'frequency.split', params: params as never, inputs: { image: '$source' } },
    { id: 'join', pass: 'frequency.recombine', inputs: { low: 'split:low', high: 'split:high' } },
  ],
  outputs: { low: 'split:low', high: 'split:high', result: 'join' },
});

describe('frequency separation on headless-gl vs float64 CPU references', () => {
  const card = metalCard(64, 48, 1);

  // Round trip: the target is 0.5/255. The arithmetic itself is exact
  // to float32 ulps; what remains is texture sampling: on llvmpipe a bilinear
  // fetch at a texel centre still mixes in neighbours with weight ~2^-18
  // (measured: an identity resample of random 0..1 values errs by 3.8e-6).
  // Three fetches (image, low, high) over a local contrast of up to 1.5 bound
  // the error by 3 * 1.5 * 2^-18 = 1.7e-5, so we also check 2e-5.
  for (const params of [
    { method: 'gaussian', radius: 2.5 },
    { method: 'gaussian', radius: 40 },
    { method: 'edge-aware', radius: 3, edgeTolerance: 0.1 },
    { method: 'edge-aware', radius: 30, edgeTolerance: 0.05 },
  ]) {
    it(`round trip low + high = image, ${JSON.stringify(params)}`, async () => {
      const out = await runGraph(splitGraph(params), { source: card });
      const err = difference(out.result, card).max;
      expect(err).toBeLessThan(0.5 / 255);
      expect(err).toBeLessThan(2e-5);
      // The high layer is signed: it must hold negative values (not offset or clamped).
      expect(Math.min(...out.high.data)).toBeLessThan(-0.01);
    });
  }

  // Direct blur path (sigma <= 4): float32 Gaussian taps vs exact float64, 1e-4 as in core tests.
  it('Gaussian split matches the CPU reference', async () => {
    const out = await runGraph(splitGraph({ method: 'gaussian', radius: 2.5 }), { source: card });
    const ref = frequencySplitRef(card, 'gaussian', 2.5, 0.1);
    expect(difference(out.low, ref.low).max).toBeLessThan(1e-4);
    expect(difference(out.high, ref.high).max).toBeLessThan(1e-4);
  });

  // Edge-aware split: exp/pow/divide in float32 on top of the blur taps;
  // 2e-4 is twice the blur tolerance since level values are divided by
  // blurred normalisers (relative errors add).
  it('edge-aware split matches the range-level bilateral CPU reference', async () => {
    const out = await runGraph(splitGraph({ method: 'edge-aware', radius: 3, edgeTolerance: 0.1 }), { source: card });
    const ref = frequencySplitRef(card, 'edge-aware', 3, 0.1);
    expect(difference(out.low, ref.low, [0, 1, 2]).max).toBeLessThan(2e-4);
    expect(difference(out.high, ref.high, [0, 1, 2]).max).toBeLessThan(2e-4);
  });

  // The range-level form approximates the textbook bilateral. With level
  // spacing <= range sigma the interpolation error of the Gaussian range
  // kernel is a few percent of the kernel at worst; we bound the filtered
  // result by 2% of full scale at worst and 0.2% on average (both CPU,
  // independent implementations: a real approximation check).
  it('range-level bilateral approximates the brute-force bilateral', () => {
    const small = metalCard(40, 32, 2);
    const levels = bilateralLevelsRef(small, 3, 0.1);
    const brute = bilateralBruteRef(small, 3, 0.1);
    const d = difference(levels, brute, [0, 1, 2]);
    expect(d.max).toBeLessThan(0.02);
    expect(d.mean).toBeLessThan(0.002);
  });

  // Large spatial sigma runs the level blurs on a pyramid; the core tests
  // bound that blur by 1.5% of full scale in the interior, so the normalised
  // level values carry about that error: compare the interior at 0.02.
  it('edge-aware split at a large radius (pyramid blurs) stays close to the exact reference', async () => {
    const big = metalCard(96, 80, 3);
    const out = await runGraph(splitGraph({ method: 'edge-aware', radius: 12, edgeTolerance: 0.1 }), { source: big });
    const ref = bilateralLevelsRef(big, 12, 0.1);
    const m = 16;
    let worst = 0;
    for (let y = m; y < big.height - m; y++)
      for (let x = m; x < big.width - m; x++)
        for (let c = 0; c < 3; c++) {
          const i = (y * big.width + x) * 4 + c;
          worst = Math.max(worst, Math.abs(out.low.data[i] - ref.data[i]));
        }
    expect(worst).toBeLessThan(0.02);
  });

  it('edge-aware split leaves no halo at a strong edge; the Gaussian split does', async () => {
    // A clean step: all high-frequency energy near it is halo.
    const step = createImage(64, 16, (x) => (x < 32 ? [0.05, 0.05, 0.05, 1] : [0.8, 0.8, 0.8, 1]));
    const gauss = await runGraph(splitGraph({ method: 'gaussian', radius: 6 }), { source: step });
    const aware = await runGraph(splitGraph({ method: 'edge-aware', radius: 6, edgeTolerance: 0.1 }), { source: step });
    const peak = (img: CpuImage) => Math.max(...Array.from(img.data).filter((_, i) => i % 4 !== 3).map(Math.abs));
    expect(peak(gauss.high)).toBeGreaterThan(0.2);
    expect(peak(aware.high)).toBeLessThan(0.01);
  });

  it('clean-low matches the CPU reference, with and without a mask', async () => {
    const { low } = frequencySplitRef(card, 'gaussian', 2, 0.1);
    const mask = createImage(64, 48, (x) => {
      const m = x / 63;
      return [m, m, m, 1];
    });
    const graph = (withMask: boolean): GraphSpec => ({
      version: 1,
      nodes: [{ id: 'c', pass: 'frequency.clean-low', params: { amount: 0.8, radius: 3, tolerance: 0.08 }, inputs: withMask ? { low: '$source', mask: '$mask' } : { low: '$source' } }],
      outputs: { result: 'c' },
    });
    const plain = await runGraph(graph(false), { source: low });
    expect(difference(plain.result, cleanLowRef(low, 0.8, 3, 0.08), [0, 1, 2]).max).toBeLessThan(2e-4);
    const masked = await runGraph(graph(true), { source: low, mask });
    expect(difference(masked.result, cleanLowRef(low, 0.8, 3, 0.08, mask), [0, 1, 2]).max).toBeLessThan(2e-4);
  });

  it('clean-low evens out blotches but keeps a strong edge', async () => {
    // Blotchy tone (+-0.03 around 0.3 and 0.7 in linear light) on both sides of a step.
    const blotchy = createImage(96, 64, (x, y) => {
      const v = (x < 48 ? 0.3 : 0.7) + 0.03 * Math.sin(x / 5) * Math.sin(y / 4);
      return [v, v, v, 1];
    });
    const { result } = await runGraph(
      { version: 1, nodes: [{ id: 'c', pass: 'frequency.clean-low', params: { radius: 12, tolerance: 0.06 }, inputs: { low: '$source' } }], outputs: { result: 'c' } },
      { source: blotchy },
    );
    const stdev = (img: CpuImage, x0: number, x1: number) => {
      const v: number[] = [];
      for (let y = 8; y < 56; y++) for (let x = x0; x < x1; x++) v.push(img.data[(y * 96 + x) * 4]);
      const mean = v.reduce((a, b) => a + b, 0) / v.length;
      return Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length);
    };
    // Blotch amplitude at least halved on each side, away from the edge.
    expect(stdev(result, 6, 40)).toBeLessThan(0.5 * stdev(blotchy, 6, 40));
    expect(stdev(result, 56, 90)).toBeLessThan(0.5 * stdev(blotchy, 56, 90));
    // The step's contrast two pixels either side of it survives within 5%.
    const contrast = (img: CpuImage) => img.data[(32 * 96 + 50) * 4] - img.data[(32 * 96 + 45) * 4];
    expect(contrast(result)).toBeGreaterThan(0.95 * contrast(blotchy));
  });

  describe('a thin gold band on a backdrop of similar luminance keeps its colour', () => {
    // Gold and two backdrops of exactly the gold's luminance but different
    // colour: a luminance guide cannot separate them, the case that washed
    // the benchmark's gold ring out towards its white or linen backdrop.
    const gold: [number, number, number] = [0.8, 0.55, 0.2];
    const lum = ([r, g, b]: number[]) => 0.2126 * r + 0.7152 * g + 0.0722 * b;
    const atGoldLuminance = (rgb: [number, number, number]) => rgb.map((v) => (v * lum(gold)) / lum(rgb)) as [number, number, number];
    const white = atGoldLuminance([1, 1, 1]);
    const linen = atGoldLuminance([0.6, 0.55, 0.45]);
    const backdrops: Record<string, (x: number, y: number) => [number, number, number]> = {
      white: () => white,
      // A 4 px weave of +-3% on the linen.
      linen: (x, y) => linen.map((v) => v * (1 + 0.03 * (x % 4 < 2 ? 1 : -1) * (y % 4 < 2 ? 1 : -1))) as [number, number, number],
    };
    const W = 160, H = 48, bandTop = 21, bandRows = 6, x0 = 16, x1 = 144; // x1 - x0 = 2 blotch periods
    // Blotchy tone within the band: +-8% in linear light, period 64 px (well
    // above the preset's split radius, so it lies in the low layer).
    const blotch = (x: number) => 1 + 0.08 * Math.sin((2 * Math.PI * x) / 64);
    const scene = (backdrop: (x: number, y: number) => [number, number, number]) =>
      createImage(W, H, (x, y) => {
        const inBand = y >= bandTop && y < bandTop + bandRows;
        const [r, g, b] = inBand ? gold.map((v) => v * blotch(x)) : backdrop(x, y);
        return [r, g, b, 1];
      });
    /** Per-column band colour, sRGB-encoded, averaged over the band rows. */
    const bandColumns = (img: CpuImage) =>
      Array.from({ length: x1 - x0 }, (_, i) =>
        [0, 1, 2].map((c) => {
          let sum = 0;
          for (let y = bandTop; y < bandTop + bandRows; y++) sum += linearToSrgb(img.data[(y * W + x0 + i) * 4 + c]);
          return sum / bandRows;
        }),
      );
    const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
    const stdev = (v: number[]) => Math.sqrt(mean(v.map((x) => (x - mean(v)) ** 2)));
    const preset = JSON.parse(readFileSync(new URL('../src/presets/frequency.json', import.meta.url), 'utf8')) as GraphSpec;
    // The preset's luminance-guided split cannot separate a 6 px band from a
    // backdrop of equal luminance, so most of the band's blotch lands in its
    // high layer, which clean-low leaves alone: only clean-low on its own is
    // held to halving the blotches here; the preset is held to the colour.
    const graphs: Record<string, { graph: GraphSpec; blotchesHalved: boolean }> = {
      'frequency preset': { graph: { ...preset, outputs: { result: 'join' } }, blotchesHalved: false },
      'clean-low at its defaults': { graph: { version: 1, nodes: [{ id: 'c', pass: 'frequency.clean-low', inputs: { low: '$source' } }], outputs: { result: 'c' } }, blotchesHalved: true },
    };
    for (const [graphName, { graph, blotchesHalved }] of Object.entries(graphs))
      for (const [backdropName, backdrop] of Object.entries(backdrops))
        it(`${graphName}, ${backdropName} backdrop`, async () => {
          const raw = scene(backdrop);
          const { result } = await runGraph(graph, { source: raw });
          const cols = bandColumns(result);
          const rawCols = bandColumns(raw);
          // Band mean colour vs the blotch-free gold: within 2/255 per channel
          // sRGB-encoded (about one just-noticeable step on a flat patch). The
          // luminance-only colour blend this guards against moved it by 6-71/255
          // (measured before the fix; blue up, red down: gold washed out).
          const truth = gold.map(linearToSrgb);
          for (let c = 0; c < 3; c++) expect(Math.abs(mean(cols.map((col) => col[c])) - truth[c]) * 255).toBeLessThan(2);
          // Blotches evened out: the along-band std of the green channel (the
          // one closest to luminance) at least halved.
          if (blotchesHalved) expect(stdev(cols.map((col) => col[1]))).toBeLessThan(0.5 * stdev(rawCols.map((col) => col[1])));
        });
  });

  it('recombine applies the high-layer gain', async () => {
    const { low, high } = frequencySplitRef(card, 'gaussian', 2, 0.1);
    const { result } = await runGraph(
      { version: 1, nodes: [{ id: 'j', pass: 'frequency.recombine', params: { highGain: 1.7 }, inputs: { low: '$low', high: '$high' } }], outputs: { result: 'j' } },
      { low, high },
    );
    // Fetch-weight error as in the round trip: (1 + 1.7) * 1.5 * 2^-18 = 1.5e-5.
    expect(difference(result, recombineRef(low, high, 1.7)).max).toBeLessThan(2e-5);
  });
});
