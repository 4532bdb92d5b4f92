import { describe, expect, it } from 'vitest';
import { createImage, difference, type CpuImage } from '../src/cpu/image.js';
import { gaussianBlurRef } from '../src/cpu/reference.js';
import { backdropVeilRef, GLARE_DEFAULTS, glareFlattenRef, pieceVeilInFloorRef, syntheticGlareScene, veilRemovalRef, type GlareParams } from '../src/cpu/glare-ref.js';
import { readFileSync } from 'node:fs';
import { clippedFraction, dilateMask, invertMask, psnr, spotContrast, subtractMask, thresholdMask, toDisplay } from '../src/metrics/index.js';
import type { GraphSpec } from '../src/graph/types.js';
import { addDefects, generateShot } from '../src/generator/index.js';
import { engine, runGraph } from './helpers/gpu.js';

const flatten = (params: Partial<GlareParams>): GraphSpec => ({
  version: 1,
  nodes: [{ id: 'g', pass: 'glare.flatten', params: params as never, inputs: { image: '$source' } }],
  outputs: { result: 'g', mask: 'g:mask', base: 'g:base', sparkle: 'g:sparkle', veil: 'g:veil' },
});

const GOLD: [number, number, number] = [0.95, 0.7, 0.3];
const SILVER: [number, number, number] = [0.75, 0.75, 0.78];

describe('glare.flatten', () => {
  // Small sigmas keep every blur on the direct (exact-tap) path, so the GPU
  // can be held to the float64 reference. Tolerance: blur taps agree to 1e-4;
  // the smoothstep gates (slopes up to 1.5 / 0.03 on the highlight ramp and
  // 1.5 / (0.5 * (excess - 1)) on elevation) turn that into up to ~5e-3 of
  // amount at a few ramp pixels, times the (base - tone) gap of <= 1: 5e-3.
  // The mean stays at float32 level (1e-5): measured 1e-7..2e-7, max 5e-5.
  for (const withVeil of [false, true]) {
    it(`every output matches the float64 reference at small sigmas${withVeil ? ', with veil removal and a matte' : ''}`, async () => {
      // A hotspot small against the surround radius (4 px): a larger one is a
      // bright area, not glare, and nothing would be flattened.
      const scene = syntheticGlareScene(64, 48, GOLD, 1, 0.02);
      const p: GlareParams = { ...GLARE_DEFAULTS, spatialSigma: 2.5, surroundRadius: 4, reach: 3, sparkleSize: 2, sparkleContrast: 1.3, ...(withVeil ? { veil: 0.4, veilRadius: 3 } : {}) };
      const matte = plateMatte(64, 48);
      const graph: GraphSpec = withVeil
        ? { ...flatten(p), nodes: [{ id: 'g', pass: 'glare.flatten', params: p as never, inputs: { image: '$source', matte: '$matte' } }] }
        : flatten(p);
      const gpu = await runGraph(graph, withVeil ? { source: scene.raw, matte } : { source: scene.raw });
      const ref = glareFlattenRef(scene.raw, p, withVeil ? matte : undefined);
      // The comparison must cover flattened and protected pixels, not only pass-through.
      expect(Math.max(...ref.mask.data.filter((_, i) => i % 4 === 0))).toBeGreaterThan(0.5);
      expect(Math.max(...ref.sparkle.data.filter((_, i) => i % 4 === 0))).toBeGreaterThan(0.5);
      if (withVeil) expect(Math.max(...ref.veil.data.filter((_, i) => i % 4 === 0))).toBeGreaterThan(0.05);
      for (const name of ['out', 'mask', 'base', 'sparkle', 'veil'] as const) {
        const d = difference(gpu[name === 'out' ? 'result' : name], ref[name], [0, 1, 2]);
        console.log(`${name}: max ${d.max.toExponential(2)}, mean ${d.mean.toExponential(2)}`);
        expect(d.max, name).toBeLessThan(5e-3);
        expect(d.mean, name).toBeLessThan(1e-5);
      }
    });
  }

  // A clipped hotspot becomes a plateau at 1 - veil once the veil is removed,
  // below the (default) 0.98 threshold: only the blown-out test of the raw
  // photo still finds it. Same tolerances as above.
  it('flattens blown-out hotspots that veil removal pulls below the threshold, as the reference does', async () => {
    const scene = syntheticGlareScene(64, 48, GOLD, 1);
    const matte = plateMatte(64, 48);
    const p: GlareParams = { ...GLARE_DEFAULTS, threshold: 0.98, blownLevel: 0.98, veil: 0.4, veilRadius: 3, spatialSigma: 2.5, surroundRadius: 4, reach: 3, sparkleSize: 2, sparkleContrast: 1.3 };
    const flagged = (mask: CpuImage) => mask.data.filter((v, i) => i % 4 === 0 && v > 0.5).length;
    const withoutBlown = flagged(glareFlattenRef(scene.raw, { ...p, blownLevel: 1 }, matte).mask);
    const ref = glareFlattenRef(scene.raw, p, matte);
    console.log(`flattened pixels: threshold only ${withoutBlown}, with the blown-out test ${flagged(ref.mask)}`);
    expect(flagged(ref.mask)).toBeGreaterThan(withoutBlown + 20);
    const graph: GraphSpec = { ...flatten(p), nodes: [{ id: 'g', pass: 'glare.flatten', params: p as never, inputs: { image: '$source', matte: '$matte' } }] };
    const gpu = await runGraph(graph, { source: scene.raw, matte });
    for (const name of ['out', 'mask'] as const) {
      const d = difference(gpu[name === 'out' ? 'result' : name], ref[name], [0, 1, 2]);
      expect(d.max, name).toBeLessThan(5e-3);
      expect(d.mean, name).toBeLessThan(1e-5);
    }
  });

  // The veil stage inverts the veiling-glare model I = C + k * G_sigma * (max(C - level, 0) * matte).
  // Here the veil is made in float64 from the clean plate with exact
  // Gaussians (not by the pass) and removed with matching parameters: a check
  // that the two-step fixed point really recovers C where nothing clipped.
  it('removes a model veil: PSNR in the veil +10 dB, nothing changed off it', async () => {
    const scene = syntheticGlareScene(160, 120, GOLD, 6);
    const matte = plateMatte(160, 120);
    const { raw, veil } = veiled(scene.clean, matte, 0.5, 8, 0.55);
    const p = { veil: 0.5, veilRadius: 8, sourceLevel: 0.55, strength: 0 };
    const { result } = await runGraph({ ...flatten(p), nodes: [{ id: 'g', pass: 'glare.flatten', params: p as never, inputs: { image: '$source', matte: '$matte' } }] }, { source: raw, matte });
    const [r, c, o] = [raw, scene.clean, result].map(toDisplay);
    const before = psnr(r, c, veil);
    const after = psnr(o, c, veil);
    console.log(`model veil: PSNR in veil ${before.toFixed(2)} -> ${after.toFixed(2)} dB`);
    expect(after - before).toBeGreaterThan(10);
    expect(psnr(o, c, invertMask(veil))).toBeGreaterThan(50);
  });

  // Estimated amount: the veil spreads from the plate onto the 0.82 backdrop,
  // which the fit reads. The pass is told nothing about the true 0.4.
  it('estimates the veil amount from the backdrop and matches the CPU reference', async () => {
    const matte = plateMatte(160, 120);
    const clean = syntheticGlareScene(160, 120, SILVER, 7).clean;
    // Sigma 4 keeps the GPU's scatter blur on the exact-tap path for the reference comparison.
    const { raw, veil } = veiled(clean, matte, 0.4, 4, 0.55);
    const p = { ...GLARE_DEFAULTS, estimateVeil: true, veil: 0, veilRadius: 4, strength: 0, surroundRadius: 4, reach: 3 };
    const graph: GraphSpec = { ...flatten(p), nodes: [{ id: 'g', pass: 'glare.flatten', params: p as never, inputs: { image: '$source', matte: '$matte' } }] };
    const gpu = await runGraph(graph, { source: raw, matte });
    const [r, c, o] = [raw, clean, gpu.result].map(toDisplay);
    console.log(`estimated veil: PSNR in veil ${psnr(r, c, veil).toFixed(2)} -> ${psnr(o, c, veil).toFixed(2)} dB`);
    expect(psnr(o, c, veil) - psnr(r, c, veil)).toBeGreaterThan(10);
    // Exact float64 sums vs float32 GPU reduction of ~19k backdrop terms: the
    // slope differs by float32 round-off of the sums (~1e-6 relative), so the
    // veil (<= 0.4 * 0.45) agrees to 1e-4.
    const ref = glareFlattenRef(raw, p, matte);
    expect(difference(gpu.veil, ref.veil, [0, 1, 2]).max).toBeLessThan(1e-4);
  });

  // The backdrop's veil from the piece's dark floor: dark metal along the
  // piece's edge next to a white backdrop, the veil scattered from the whole
  // frame (true amount 0.4; the pass assumes 0.6 for the piece, as the
  // preset does). Veiled, the dark rim is lifted by the backdrop's veil and
  // bounds its amount; unveiled, it is not, and the backdrop stays as shot.
  // The dark floor's witnesses start where the backdrop's scatter reaches
  // 0.02. A pixel at that cut-off, counted on one GPU and not on another, was
  // once the whole evidence: the amount jumped from 0 to the piece's (browser
  // parity differed by 10/255 of veil).
  it('the dark floor has no jump at the witness cut-off: a pixel just past it, or a handful of pixels, barely counts', () => {
    const floorOf = (witnesses: number, backdropScatter: number) => {
      const w = 16;
      const isWitness = (x: number, y: number) => y * w + x < witnesses;
      // Witnesses: piece pixels (matte 1), raw at half the backdrop's scatter (ratio 0.5); the rest is backdrop (matte 0).
      const matte = createImage(w, w, (x, y) => (isWitness(x, y) ? [1, 1, 1, 1] : [0, 0, 0, 1]));
      const raw = createImage(w, w, () => [0.5 * backdropScatter, 0.5 * backdropScatter, 0.5 * backdropScatter, 1]);
      const pieceScatter = createImage(w, w, () => [0, 0, 0, 1]);
      const scatter = createImage(w, w, () => [backdropScatter, backdropScatter, backdropScatter, 1]);
      return backdropVeilRef(raw, pieceScatter, scatter, matte, 0.6, GLARE_DEFAULTS.floorFraction);
    };
    // Ratio 0.5 lies between the thresholds 0.6 * 11 / 14 and 0.6 * 12 / 14, near the first.
    expect(floorOf(64, 0.05)).toBeCloseTo((0.6 * 11) / 14 + (0.6 / 14) * GLARE_DEFAULTS.floorFraction, 6);
    for (const witnesses of [1, 64]) {
      const below = floorOf(witnesses, 0.02 - 1e-6);
      const above = floorOf(witnesses, 0.02 + 1e-6);
      expect(below).toBe(0);
      expect(above, `${witnesses} witnesses just past the cut-off`).toBeLessThan(1e-6);
    }
    // One witness at full weight is not evidence enough for the whole amount; four are.
    expect(floorOf(1, 0.05)).toBeLessThan(0.2 * floorOf(64, 0.05));
    expect(floorOf(4, 0.05)).toBeCloseTo(floorOf(64, 0.05), 6);
  });

  it('estimates the backdrop\'s veil from the dark floor: near the true amount when veiled, ~0 when not', async () => {
    const { clean, matte } = darkRimScene(120, 90);
    const everywhere = createImage(120, 90, () => [1, 1, 1, 1]);
    const { raw, veil } = veiled(clean, everywhere, 0.4, 4, 0.55);
    const p: GlareParams = { ...GLARE_DEFAULTS, veil: 0.6, veilRadius: 4, strength: 0, surroundRadius: 4, reach: 3, backdropVeil: true };
    const backdrop = invertMask(matte);
    const estimated = veilRemovalRef(raw, p, matte).backdropAmounts;
    const unveiled = veilRemovalRef(clean, p, matte).backdropAmounts;
    console.log(`backdrop veil amount per step: veiled ${estimated.map((a) => a.toFixed(4))} (true 0.4), unveiled ${unveiled.map((a) => a.toFixed(4))}`);
    expect(Math.abs(estimated[1] - 0.4)).toBeLessThan(0.05);
    expect(Math.max(...unveiled)).toBeLessThan(0.02);
    const graph = (q: GlareParams): GraphSpec => ({ ...flatten(q), nodes: [{ id: 'g', pass: 'glare.flatten', params: q as never, inputs: { image: '$source', matte: '$matte' } }] });
    const veiledOn = await runGraph(graph(p), { source: raw, matte });
    const veiledOff = await runGraph(graph({ ...p, backdropVeil: false }), { source: raw, matte });
    const cleanOn = await runGraph(graph(p), { source: clean, matte });
    const cleanOff = await runGraph(graph({ ...p, backdropVeil: false }), { source: clean, matte });
    const [c, r] = [clean, raw].map(toDisplay);
    const region = subtractMask(veil, matte);
    const scores = {
      backdropRaw: psnr(r, c, region),
      backdropWithout: psnr(toDisplay(veiledOff.result), c, region),
      backdropWith: psnr(toDisplay(veiledOn.result), c, region),
      cleanBackdropWith: psnr(toDisplay(cleanOn.result), c, backdrop),
      cleanBackdropWithout: psnr(toDisplay(cleanOff.result), c, backdrop),
    };
    console.log('dark floor', JSON.stringify(scores, (_, v) => (typeof v === 'number' ? Number(v.toFixed(2)) : v)));
    // The veiled backdrop is restored only with the estimate ...
    expect(scores.backdropWith - scores.backdropWithout).toBeGreaterThan(10);
    // ... and an unveiled one is left as shot (60 dB: an RMS change under 0.3/255).
    expect(scores.cleanBackdropWith).toBeGreaterThan(60);
    // GPU vs float64: blur taps agree to 1e-4 relative and the witness
    // counts are float32 sums of whole pixels (exact); a witness whose ratio
    // lies within float32 round-off of a threshold could move one count.
    // Measured max 7e-6.
    for (const [gpu, source] of [[veiledOn, raw], [cleanOn, clean]] as const) {
      const d = difference(gpu.veil, glareFlattenRef(source, p, matte).veil, [0, 1, 2]);
      console.log(`backdrop veil GPU vs reference: max ${d.max.toExponential(2)}, mean ${d.mean.toExponential(2)}`);
      expect(d.max).toBeLessThan(1e-4);
    }
  });

  // A blown backdrop (blownBackdrop): a piece of bright bars with dark gaps
  // on a white backdrop that the whole frame's veil (true amount 0.4) clips.
  // The piece's veil predicted at 0.6 from the raw image over-subtracts in
  // the gaps, so the dark floor reads no backdrop veil (the gold chain on
  // white of the benchmark's photos); with most of the backdrop blown the
  // floor is credited to the backdrop first and finds it. Unveiled, the same
  // backdrop is not blown and the rule does not act.
  it('a blown backdrop: the dark floor credited to the backdrop first finds its veil; unblown, nothing changes', async () => {
    const { clean, matte } = barsScene(120, 90);
    const everywhere = createImage(120, 90, () => [1, 1, 1, 1]);
    const { raw, veil } = veiled(clean, everywhere, 0.4, 4, 0.55);
    const p: GlareParams = { ...GLARE_DEFAULTS, veil: 0.6, veilRadius: 4, strength: 0, surroundRadius: 4, reach: 3, backdropVeil: true };
    const blown: GlareParams = { ...p, blownBackdrop: 0.2 };
    const amounts = { without: veilRemovalRef(raw, p, matte).backdropAmounts, with: veilRemovalRef(raw, blown, matte).backdropAmounts };
    console.log(`blown backdrop: share ${(1 - pieceVeilInFloorRef(raw, matte, 0.2)).toFixed(3)}, amounts per step without ${amounts.without.map((a) => a.toFixed(4))}, with ${amounts.with.map((a) => a.toFixed(4))} (true 0.4)`);
    expect(Math.max(...amounts.without)).toBeLessThan(0.1);
    expect(Math.abs(amounts.with[1] - 0.4)).toBeLessThan(0.1);
    expect(pieceVeilInFloorRef(clean, matte, 0.2)).toBe(1);
    const graph = (q: GlareParams): GraphSpec => ({ ...flatten(q), nodes: [{ id: 'g', pass: 'glare.flatten', params: q as never, inputs: { image: '$source', matte: '$matte' } }] });
    const region = subtractMask(veil, matte);
    const c = toDisplay(clean);
    const backdropPsnr = async (q: GlareParams, source: CpuImage) => psnr(toDisplay((await runGraph(graph(q), { source, matte })).result), c, region);
    const scores = { raw: psnr(toDisplay(raw), c, region), without: await backdropPsnr(p, raw), with: await backdropPsnr(blown, raw) };
    console.log('blown backdrop, PSNR of the veiled backdrop', JSON.stringify(scores, (_, v) => (typeof v === 'number' ? Number(v.toFixed(2)) : v)));
    expect(scores.with - scores.without).toBeGreaterThan(6);
    for (const source of [raw, clean]) {
      const gpu = await runGraph(graph(blown), { source, matte });
      const d = difference(gpu.veil, glareFlattenRef(source, blown, matte).veil, [0, 1, 2]);
      console.log(`blown backdrop veil GPU vs reference: max ${d.max.toExponential(2)}`);
      expect(d.max).toBeLessThan(1e-4);
      if (source === clean) expect(difference(gpu.result, (await runGraph(graph(p), { source, matte })).result, [0, 1, 2]).max).toBe(0);
    }
  });

  for (const [metalName, metal] of [['gold', GOLD], ['silver', SILVER]] as const) {
    it(`restores a ${metalName} plate: glare PSNR +6 dB, clipping -80%, untouched outside, glints kept`, async () => {
      const scene = syntheticGlareScene(256, 192, metal, 3);
      const { result } = await runGraph(flatten({}), { source: scene.raw });
      const [raw, clean, out] = [scene.raw, scene.clean, result].map(toDisplay);
      const glare = subtractMask(scene.glare, scene.glints);
      const outside = invertMask(scene.glare);
      const figures = {
        psnrGlareRaw: psnr(raw, clean, glare),
        psnrGlareOut: psnr(out, clean, glare),
        psnrOutsideOut: psnr(out, clean, outside),
        clippedRaw: clippedFraction(raw, glare),
        clippedOut: clippedFraction(out, glare),
        glintClean: spotContrast(clean, scene.glints),
        glintRaw: spotContrast(raw, scene.glints),
        glintOut: spotContrast(out, scene.glints),
      };
      console.log(metalName, JSON.stringify(figures, (_, v) => (typeof v === 'number' ? Number(v.toFixed(4)) : v)));
      expect(figures.psnrGlareOut - figures.psnrGlareRaw).toBeGreaterThanOrEqual(6);
      expect(figures.clippedOut).toBeLessThanOrEqual(0.2 * figures.clippedRaw);
      expect(figures.psnrOutsideOut).toBeGreaterThanOrEqual(40);
      // Glints keep at least 90% of the local contrast they had in the raw shot.
      expect(figures.glintOut).toBeGreaterThanOrEqual(0.9 * figures.glintRaw);
    });
  }

  it('keeps the colour of gold and the neutrality of silver in flattened areas', async () => {
    const chroma = (img: CpuImage, mask: CpuImage) => {
      // Mean b/g ratio over the flattened area: gold's specular fill must stay warm, silver's neutral.
      let sb = 0, sg = 0;
      for (let p = 0; p < img.width * img.height; p++) {
        const w = mask.data[4 * p];
        sb += w * img.data[4 * p + 2];
        sg += w * img.data[4 * p + 1];
      }
      return sb / sg;
    };
    for (const [metal, lo, hi] of [[GOLD, 0.2, 0.6], [SILVER, 0.95, 1.1]] as const) {
      const scene = syntheticGlareScene(192, 144, metal as [number, number, number], 4);
      const { result, mask } = await runGraph(flatten({}), { source: scene.raw });
      const ratio = chroma(result, mask);
      expect(ratio).toBeGreaterThan(lo);
      expect(ratio).toBeLessThan(hi);
    }
  });

  // A lifestyle photo's blown wall is not glare: its unclipped rim, brighter
  // than the darker scene beside it, must not be pulled to that scene's tone
  // (the old rule, which let any highlight make its neighbourhood "near
  // glare", darkened a band along such a wall). A compact hotspot elsewhere
  // in the same frame is still flattened.
  it('leaves the rim of a large blown area alone and still flattens a compact hotspot', async () => {
    const [w, h] = [192, 128];
    const hot = [150, 64];
    const image = createImage(w, h, (x, y) => {
      if (x < 60) return [1, 1, 1, 1]; // blown wall
      if (x < 90) return [0.8, 0.78, 0.72, 1]; // its bright, unclipped rim
      const d2 = (x - hot[0]) ** 2 + (y - hot[1]) ** 2;
      const v = Math.min(1, 0.3 + 2 * Math.exp(-d2 / (2 * 4 ** 2)));
      return [v, v, v, 1];
    });
    const { result, mask } = await runGraph(flatten({ blownLevel: 0.98, surroundRadius: 20, reach: 8 }), { source: image });
    const at = (img: CpuImage, x: number, y: number) => img.data[(y * w + x) * 4];
    let rimChange = 0;
    for (let y = 0; y < h; y++) for (let x = 60; x < 90; x++) rimChange = Math.max(rimChange, Math.abs(at(result, x, y) - at(image, x, y)));
    console.log(`rim of the blown area: max change ${(255 * rimChange).toFixed(3)}/255 linear; hotspot centre ${at(image, hot[0], hot[1]).toFixed(3)} -> ${at(result, hot[0], hot[1]).toFixed(3)}, mask ${at(mask, hot[0], hot[1]).toFixed(3)}`);
    expect(rimChange).toBeLessThan(1 / 255);
    expect(at(mask, hot[0], hot[1])).toBeGreaterThan(0.5);
    expect(at(result, hot[0], hot[1])).toBeLessThan(0.6);
  });

  // A chain on an overexposed white backdrop, the matte a keyer's trimap:
  // the strand and a band around it at 0.5. On a thin piece a pixel blown in
  // every channel is a bloom, so the band's blown backdrop pixels were pulled
  // to the strand's tone: a grey halo along every strand and bead of an
  // overexposed shot (necklace_white_02 at 1.4x exposure through the glare
  // preset: the flattening mask summed 1613834 -> 312, looked at). The same
  // chain over a blue backdrop keeps its bloom flattened (test "flattens a
  // clipped bloom on a thin chain").
  it('leaves a blown backdrop in the matte\'s band alone', async () => {
    const white: [number, number, number, number] = [1, 1, 1, 1];
    // The trimap's band (strandScene's matte would count the blown backdrop as blown piece).
    const banded = (s: ReturnType<typeof strandScene>, band: number) => ({
      ...s,
      matte: createImage(s.raw.width, s.raw.height, (_, y) => (Math.abs(y - s.bloom[1]) <= band ? [0.5, 0.5, 0.5, 1] : [0, 0, 0, 1])),
    });
    const graph = (q: Partial<GlareParams>): GraphSpec => ({ ...flatten(q), nodes: [{ id: 'g', pass: 'glare.flatten', params: { ...GLARE_DEFAULTS, ...q } as never, inputs: { image: '$source', matte: '$matte' } }] });
    // The largest amount flattened on the band's blown backdrop pixels.
    const bandAmount = (mask: CpuImage, s: { raw: CpuImage; matte: CpuImage }) => {
      let amount = 0;
      for (let i = 0; i < mask.data.length; i += 4) if (s.matte.data[i] === 0.5 && Math.min(s.raw.data[i], s.raw.data[i + 1], s.raw.data[i + 2]) >= 1) amount = Math.max(amount, mask.data[i]);
      return amount;
    };
    // The glare preset's parameters at 256 px (its referenceSize is 512).
    const p: Partial<GlareParams> = { threshold: 0.98, veil: 0.6, backdropVeil: true, blownBackdrop: 0.2, veilRadius: 6.7, surroundRadius: 20, reach: 8, spatialSigma: 4, sparkleSize: 1.5 };
    const scene = banded(strandScene(256, 128, 7, 3, 1, 2, white), 7);
    const { mask } = await runGraph(graph(p), { source: scene.raw, matte: scene.matte });
    console.log(`chain on a blown backdrop: largest amount flattened in the band ${bandAmount(mask, scene).toFixed(3)}`);
    expect(bandAmount(mask, scene)).toBeLessThan(0.01);
    // GPU vs float64 at small sigmas (exact blur taps on both sides).
    const small = banded(strandScene(64, 48, 1, 1.5, 0.5, 1, white), 2);
    const q: GlareParams = { ...GLARE_DEFAULTS, threshold: 0.98, veil: 0.6, backdropVeil: true, blownBackdrop: 0.2, veilRadius: 2, spatialSigma: 1.5, surroundRadius: 4, reach: 2, sparkleSize: 1 };
    const gpu = await runGraph(graph(q), { source: small.raw, matte: small.matte });
    const ref = glareFlattenRef(small.raw, q, small.matte);
    for (const name of ['out', 'mask'] as const) {
      const d = difference(gpu[name === 'out' ? 'result' : name], ref[name], [0, 1, 2]);
      console.log(`blown backdrop guard, GPU vs reference (${name}): max ${d.max.toExponential(2)}, mean ${d.mean.toExponential(2)}; amount in the band ${bandAmount(ref.mask, small).toFixed(3)}`);
      expect(d.max).toBeLessThan(5e-3);
      expect(d.mean).toBeLessThan(1e-5);
    }
    expect(bandAmount(ref.mask, small)).toBeLessThan(0.01);
  });

  // A hotspot on the metal of a pendant around a sapphire, as in the built-in
  // sample: the metal around the hotspot drops out of the glare-free tone
  // (highlight, or elevated above the first estimate), the gem is what is
  // left, and the hotspot was filled with its blue (white metal: up to +0.55
  // blue over red and green, gold: +1.01). A tone of another hue than the
  // piece around the pixel is not used now, so the hotspot stays as shot.
  // (A hotspot on gold with gold around is still flattened: "restores a gold plate".)
  const pendantScene = (scale: number, metal: readonly number[]) => {
    const [w, h] = [Math.round(128 * scale), Math.round(96 * scale)];
    const [cx, cy] = [w / 2, 0.46 * h];
    const hot = [cx, cy + 23 * scale];
    const image = createImage(w, h, (x, y) => {
      const r = Math.hypot(x - cx, y - cy);
      if (r >= 30 * scale) return [0.9, 0.9, 0.9, 1];
      if (r < 16 * scale) return [0.03, 0.06, 0.55, 1];
      const glare = 3 * Math.exp(-((x - hot[0]) ** 2 + (y - hot[1]) ** 2) / (2 * (4 * scale) ** 2));
      const shade = 0.97 + 0.03 * Math.sin(x / (5 * scale));
      return [0, 1, 2].map((c) => Math.min(1, metal[c] * shade + glare)).concat(1) as [number, number, number, number];
    });
    const matte = createImage(w, h, (x, y) => (Math.hypot(x - cx, y - cy) < 30 * scale ? [1, 1, 1, 1] : [0, 0, 0, 1]));
    return { image, matte };
  };
  const METALS = { 'white metal': [0.85, 0.85, 0.86], gold: GOLD } as const;
  const withMatte = (p: Partial<GlareParams>): GraphSpec => ({ ...flatten(p), nodes: [{ id: 'g', pass: 'glare.flatten', params: p as never, inputs: { image: '$source', matte: '$matte' } }] });
  /** The largest increase of blue over the mean of red and green from `before` to `after`. */
  const blueAdded = (before: CpuImage, after: CpuImage) => {
    let worst = 0;
    for (let i = 0; i < before.data.length; i += 4) {
      const excess = (img: CpuImage) => img.data[i + 2] - 0.5 * (img.data[i] + img.data[i + 1]);
      worst = Math.max(worst, excess(after) - excess(before));
    }
    return worst;
  };

  it("does not fill a hotspot on a pendant's metal with the colour of the gem it holds", async () => {
    for (const [name, metal] of Object.entries(METALS)) {
      const { image, matte } = pendantScene(1, metal);
      const { result } = await runGraph(withMatte({ surroundRadius: 16, reach: 6, spatialSigma: 3, sparkleSize: 1.5 }), { source: image, matte });
      const added = blueAdded(image, result);
      console.log(`hotspot on a pendant's ${name} around a sapphire: most blue added ${added.toFixed(3)}`);
      expect(added).toBeLessThan(0.02);
    }
  });

  it('the hue test matches the float64 reference at small sigmas', async () => {
    // The same pendant at about a third of the size, so every blur takes exact taps (see the first test).
    const p: GlareParams = { ...GLARE_DEFAULTS, threshold: 0.98, spatialSigma: 1.5, surroundRadius: 4, reach: 2, sparkleSize: 1, sparkleContrast: 1.3 };
    for (const [name, metal] of Object.entries(METALS)) {
      const { image, matte } = pendantScene(0.35, metal);
      const gpu = await runGraph(withMatte(p), { source: image, matte });
      const ref = glareFlattenRef(image, p, matte);
      const d = difference(gpu.result, ref.out, [0, 1, 2]);
      const added = blueAdded(image, ref.out);
      console.log(`hue test, ${name} at small sigmas: GPU vs reference max ${d.max.toExponential(2)}, mean ${d.mean.toExponential(2)}; reference adds blue ${added.toFixed(3)}`);
      expect(d.max).toBeLessThan(5e-3);
      expect(d.mean).toBeLessThan(1e-5);
      expect(added).toBeLessThan(0.02);
    }
  });

  // A bloom on a chain: a soft clipped disc several pixels across centred on a
  // 2 px strand over a blue backdrop, as the generator makes them (s24). The
  // bilateral base smooths the small disc below the threshold, and the strand
  // and its uncertain band are too little of the neighbourhood for the tone
  // support, so the old rule left it as shot. Blown on a thin piece, it is a
  // bloom now and goes to the strand's and backdrop's tone; a glint on the
  // same strand stays.
  it('flattens a clipped bloom on a thin chain and keeps a glint on it', async () => {
    const scene = strandScene(256, 128, 7, 3);
    const graph = (p: Partial<GlareParams>): GraphSpec => ({
      ...flatten(p),
      nodes: [{ id: 'g', pass: 'glare.flatten', params: { threshold: 0.98, ...p } as never, inputs: { image: '$source', matte: '$matte' } }],
    });
    const at = (img: CpuImage, [x, y]: number[]) => img.data[(y * img.width + x) * 4 + 2];
    const inBloom = scene.bloomMask;
    const report = (name: string, r: Record<string, CpuImage>) => {
      const none = psnr(toDisplay(scene.raw), toDisplay(scene.clean), inBloom);
      const got = psnr(toDisplay(r.result), toDisplay(scene.clean), inBloom);
      console.log(`${name}: bloom PSNR ${none.toFixed(2)} -> ${got.toFixed(2)} dB, clipped ${(100 * clippedFraction(scene.raw, inBloom)).toFixed(1)}% -> ${(100 * clippedFraction(r.result, inBloom)).toFixed(1)}%, centre blue ${at(scene.raw, scene.bloom).toFixed(3)} -> ${at(r.result, scene.bloom).toFixed(3)} (truth ${at(scene.clean, scene.bloom).toFixed(3)}), glint ${at(r.result, scene.glint).toFixed(3)}`);
      return got - none;
    };
    const off = await runGraph(graph({ bloomLevel: 1 }), { source: scene.raw, matte: scene.matte });
    const on = await runGraph(graph({}), { source: scene.raw, matte: scene.matte });
    report('bloomLevel 1 (threshold only)', off);
    const gain = report('bloomLevel 0.98 (default)', on);
    expect(at(off.mask, scene.bloom)).toBeLessThan(0.1);
    expect(at(on.mask, scene.bloom)).toBeGreaterThan(0.8);
    // The strand under the clipped core is lost; its tone and the backdrop's replace it (measured +5.2 dB).
    expect(gain).toBeGreaterThan(4);
    expect(at(on.result, scene.bloom)).toBeLessThan(0.7);
    expect(clippedFraction(on.result, inBloom)).toBe(0);
    expect(at(on.result, scene.glint)).toBeGreaterThan(0.99);
    // Off the bloom's glare nothing moves.
    expect(psnr(on.result, scene.raw, invertMask(dilateMask(scene.bloomMask, 2)))).toBeGreaterThan(60);
  });

  // Pale gold wires shot bright on black (necklace_black_01): brighter, blown
  // stretches along them are highlights, and the glare-free tone they are
  // pulled to is taken from the piece around. With a keyer's trimap as the
  // matte the uncertain band (0.5) beside each wire is black; at half weight
  // it pulled the tone, and so the wires, to grey.
  it('keeps pale gold wires on black pale gold: the trimap band does not darken the tone', async () => {
    const [w, h] = [256, 160];
    const wires = [50, 62, 74, 86, 98, 110];
    const onWire = (y: number) => wires.some((c) => Math.abs(y + 0.5 - c) <= 2);
    const nearWire = (y: number) => wires.some((c) => Math.abs(y + 0.5 - c) <= 5);
    const blown = (x: number) => x % 60 < 12;
    const image = createImage(w, h, (x, y) => {
      if (x < 16 || x >= w - 16 || !onWire(y)) return [0.003, 0.003, 0.003, 1];
      return blown(x) ? [1, 1, 0.97, 1] : [0.92, 0.84, 0.62, 1];
    });
    const matte = createImage(w, h, (x, y) => {
      const m = x < 13 || x >= w - 13 ? 0 : onWire(y) && x >= 16 && x < w - 16 ? 1 : nearWire(y) ? 0.5 : 0;
      return [m, m, m, 1];
    });
    // Sparkle protection off: on black every bright wire pixel stands out from its
    // immediate surroundings like a glint, and this is about the tone they are pulled to.
    const graph: GraphSpec = {
      ...flatten({}),
      nodes: [{ id: 'g', pass: 'glare.flatten', params: { threshold: 0.98, sparkleProtection: 0 } as never, inputs: { image: '$source', matte: '$matte' } }],
    };
    const r = await runGraph(graph, { source: image, matte });
    let drop = 0;
    let n = 0;
    for (let y = 0; y < h; y++)
      for (let x = 24; x < w - 24; x++) {
        if (!onWire(y)) continue;
        const i = (y * w + x) * 4;
        const lum = (d: Float64Array | Float32Array) => 0.2126 * d[i] + 0.7152 * d[i + 1] + 0.0722 * d[i + 2];
        drop += lum(image.data) - lum(r.result.data);
        n++;
      }
    console.log(`pale wires on black: mean luminance drop on the wires ${(drop / n).toFixed(4)} (${n} px)`);
    // With the band at half weight in the tone: 0.265 (the wires went grey).
    expect(drop / n).toBeLessThan(0.05);
  });

  // The thin-piece rule needs a strand to take the tone from: a blown speck on
  // a white backdrop, 45 px from a small dark piece, is thin by its piece share
  // but its own uncertain band is all elevated above the dark piece's tone. A
  // first version took the tone at the surround radius, from the beads, and
  // turned such a speck on a photo (bracelet_white_02) into a grey disc; the
  // tone within the reach finds no support there. (At 25 px the dark piece is
  // within the reach and the speck is still pulled part-way: see the docs.)
  it('does not darken a blown speck beside a dark piece to that piece\'s tone', async () => {
    const [w, h] = [256, 128];
    const speck = [125, 64];
    const inPiece = (x: number, y: number) => x >= 40 && x < 80 && y >= 44 && y < 84;
    const r = (x: number, y: number) => Math.hypot(x - speck[0], y - speck[1]);
    const image = createImage(w, h, (x, y) => {
      if (inPiece(x, y)) return [0.04, 0.09, 0.08, 1];
      const v = Math.min(1, 0.82 + 0.6 * Math.exp(-(r(x, y) ** 2) / (2 * 2.5 ** 2)));
      return [v, v, v, 1];
    });
    const matte = createImage(w, h, (x, y) => {
      const v = inPiece(x, y) || r(x, y) <= 2.5 ? 1 : r(x, y) <= 8 || (x >= 34 && x < 86 && y >= 38 && y < 90) ? 0.5 : 0;
      return [v, v, v, 1];
    });
    const graph: GraphSpec = { ...flatten({ threshold: 0.98 }), nodes: [{ id: 'g', pass: 'glare.flatten', params: { threshold: 0.98 } as never, inputs: { image: '$source', matte: '$matte' } }] };
    const { result } = await runGraph(graph, { source: image, matte });
    let darkest = 1;
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) if (r(x, y) <= 8) darkest = Math.min(darkest, result.data[(y * w + x) * 4 + 1]);
    console.log(`speck and its band: darkest green ${darkest.toFixed(3)} (backdrop 0.82)`);
    expect(darkest).toBeGreaterThan(0.8);
  });

  // The bloom path against the float64 reference at small sigmas (the
  // tolerances of the tests above). At a surround radius of 4 px a 1 px
  // strand is already 5% of the neighbourhood, so the scene is all uncertain
  // band (matte 0.5, the piece only partly thin) and the threshold is raised
  // out of reach: the check is that the thin-piece terms alone change the
  // mask and that the GPU follows them.
  it('matches the float64 reference on a bloom on a thin strand', async () => {
    const scene = strandScene(64, 48, 1, 1.5, 0.5);
    const p: GlareParams = { ...GLARE_DEFAULTS, threshold: 1, spatialSigma: 2.5, surroundRadius: 4, reach: 3, sparkleSize: 1, sparkleContrast: 1.3 };
    const ref = glareFlattenRef(scene.raw, p, scene.matte);
    const without = glareFlattenRef(scene.raw, { ...p, bloomLevel: 1 }, scene.matte);
    const change = difference(ref.mask, without.mask, [0]).max;
    console.log(`mask change by the bloom terms: max ${change.toFixed(3)}`);
    expect(change).toBeGreaterThan(0.25);
    const graph: GraphSpec = { ...flatten(p), nodes: [{ id: 'g', pass: 'glare.flatten', params: p as never, inputs: { image: '$source', matte: '$matte' } }] };
    const gpu = await runGraph(graph, { source: scene.raw, matte: scene.matte });
    for (const name of ['out', 'mask', 'base'] as const) {
      const d = difference(gpu[name === 'out' ? 'result' : name], ref[name], [0, 1, 2]);
      console.log(`${name}: max ${d.max.toExponential(2)}, mean ${d.mean.toExponential(2)}`);
      expect(d.max, name).toBeLessThan(5e-3);
      expect(d.mean, name).toBeLessThan(1e-5);
    }
  });

  it('leaves an image without highlights unchanged', async () => {
    const scene = syntheticGlareScene(128, 96, GOLD, 5);
    const { result, mask } = await runGraph(flatten({}), { source: dimmed(scene.clean) });
    expect(Math.max(...mask.data.filter((_, i) => i % 4 === 0))).toBe(0);
    // out = base + (image - base) where nothing is flattened: float32 round-off only.
    expect(difference(result, dimmed(scene.clean), [0, 1, 2]).max).toBeLessThan(1e-5);
  });
});

describe('glare preset on a generated white-backdrop set', () => {
  // Ring and pendant on white with glare only (seed 23, 512x384), scored as
  // the quality benchmark does: inside = glare mask > 0.5, outside = 2 px
  // clear of mask > 0.01. With the keyer's alpha as the veil-source matte the
  // preset made this shot worse inside (-2.06 dB); with the trimap, measured
  // +6.56 dB (docs/passes-glare-frequency-detail.md).
  it('improves the glare region by >= 5 dB and keeps the rest >= 40 dB', async () => {
    const shot = await generateShot(await engine(), {
      seed: 23, subject: 'set', background: 'white', width: 512, height: 384,
      defects: { dust: false, scratches: false, smudges: false, lighting: false, glare: true, noise: false, shadow: false },
    });
    const preset = JSON.parse(readFileSync(new URL('../src/presets/glare.json', import.meta.url), 'utf8')) as GraphSpec;
    const { result } = await runGraph(preset, { source: shot.raw });
    const [raw, clean, out] = [shot.raw, shot.clean, result].map(toDisplay);
    const inside = thresholdMask(shot.masks.glare, 0.5);
    const outside = invertMask(dilateMask(shot.masks.glare, 2, 0.01));
    const gain = psnr(out, clean, inside) - psnr(raw, clean, inside);
    console.log(`glare preset, set/white s23: PSNR inside ${psnr(raw, clean, inside).toFixed(2)} -> ${psnr(out, clean, inside).toFixed(2)} dB, outside ${psnr(out, clean, outside).toFixed(2)} dB`);
    expect(gain).toBeGreaterThanOrEqual(5);
    expect(psnr(out, clean, outside)).toBeGreaterThanOrEqual(40);
  });
});

describe('glare presets on generated shots whose whole frame scatters', () => {
  // The photo cases of the quality benchmark get their glare this way: with
  // no matte known, every bright pixel, a white backdrop included, is a veil
  // source, so such a backdrop is itself veiled and clipped. Clean shots of
  // seeds 23 (set on white: the whole frame is inside the glare, there is no
  // outside) and 22 (pendant on a coloured backdrop too dark to scatter),
  // glare added by addDefects without a placement guide.
  const NO_DEFECTS = { dust: false, scratches: false, smudges: false, lighting: false, glare: false, noise: false };
  const scored = async (seed: number, subject: 'set' | 'pendant', background: 'white' | 'coloured', presets: string[]) => {
    const gpu = await engine();
    const shot = await generateShot(gpu, { seed, subject, background, width: 512, height: 384, defects: { ...NO_DEFECTS, shadow: false } });
    const { raw, masks } = await addDefects(gpu, shot.clean, { seed, defects: { ...NO_DEFECTS, glare: true } });
    const inside = thresholdMask(masks.glare, 0.5);
    const outside = invertMask(dilateMask(masks.glare, 2, 0.01));
    const [rawD, clean] = [raw, shot.clean].map(toDisplay);
    const scores: Record<string, { gain: number; outside: number; clipped: number; clippedBefore: number }> = {};
    for (const name of presets) {
      const preset = JSON.parse(readFileSync(new URL(`../src/presets/${name}.json`, import.meta.url), 'utf8')) as GraphSpec;
      const out = toDisplay((await runGraph(preset, { source: raw })).result);
      scores[name] = { gain: psnr(out, clean, inside) - psnr(rawD, clean, inside), outside: psnr(out, clean, outside), clipped: clippedFraction(out, inside), clippedBefore: clippedFraction(rawD, inside) };
      console.log(`s${seed} ${name}: PSNR inside ${psnr(rawD, clean, inside).toFixed(2)} -> ${psnr(out, clean, inside).toFixed(2)} dB, outside ${scores[name].outside.toFixed(2)} dB, clipped inside ${(100 * scores[name].clippedBefore).toFixed(1)}% -> ${(100 * scores[name].clipped).toFixed(1)}%`);
    }
    return scores;
  };

  // The glare preset takes the piece as the veil source and estimates the
  // backdrop's share from the piece's dark floor; without that estimate it
  // left the backdrop's own veil here (+0.92 dB, measured at 63dc304).
  it('white backdrop: both presets gain >= 6 dB in the glare and unclip it, the glare preset by its estimated backdrop veil', async () => {
    const s = await scored(23, 'set', 'white', ['glare-whole-frame', 'glare']);
    for (const name of ['glare-whole-frame', 'glare']) {
      expect(s[name].gain, name).toBeGreaterThanOrEqual(6);
      expect(s[name].clipped, name).toBeLessThanOrEqual(0.2 * s[name].clippedBefore);
    }
  });

  it('coloured backdrop: the whole-frame preset gains >= 6 dB in the glare and keeps the rest >= 40 dB', async () => {
    const s = await scored(22, 'pendant', 'coloured', ['glare-whole-frame']);
    expect(s['glare-whole-frame'].gain).toBeGreaterThanOrEqual(6);
    expect(s['glare-whole-frame'].outside).toBeGreaterThanOrEqual(40);
  });
});

/**
 * A piece on a white (0.9) backdrop: mid-grey metal (0.3) with a rim of dark
 * metal (0.004, a dark reflection) 3 px wide along its edge and a bright
 * centre (0.95) that scatters too; the matte is the piece.
 */
function darkRimScene(w: number, h: number): { clean: CpuImage; matte: CpuImage } {
  const [x0, x1, y0, y1] = [0.25 * w, 0.75 * w, 0.25 * h, 0.75 * h];
  const inPiece = (x: number, y: number) => x >= x0 && x < x1 && y >= y0 && y < y1;
  const clean = createImage(w, h, (x, y) => {
    if (!inPiece(x, y)) return [0.9, 0.9, 0.88, 1];
    if (Math.min(x - x0, x1 - 1 - x, y - y0, y1 - 1 - y) < 3) return [0.004, 0.004, 0.004, 1];
    const centre = Math.hypot(x - w / 2, y - h / 2) < 4;
    return centre ? [0.95, 0.95, 0.95, 1] : [0.3, 0.3, 0.29, 1];
  });
  const matte = createImage(w, h, (x, y) => (inPiece(x, y) ? [1, 1, 1, 1] : [0, 0, 0, 1]));
  return { clean, matte };
}

/**
 * A piece of vertical bars on a white backdrop (0.88): 3 px of pale metal
 * (0.9) and 2 px dark gaps (0.004), the gaps its dark floor.
 */
function barsScene(w: number, h: number): { clean: CpuImage; matte: CpuImage } {
  const [x0, x1, y0, y1] = [0.25 * w, 0.75 * w, 0.25 * h, 0.75 * h];
  const inPiece = (x: number, y: number) => x >= x0 && x < x1 && y >= y0 && y < y1;
  const clean = createImage(w, h, (x, y) => {
    if (!inPiece(x, y)) return [0.88, 0.88, 0.88, 1];
    return (x - Math.ceil(x0)) % 5 < 3 ? [0.9, 0.85, 0.6, 1] : [0.004, 0.004, 0.004, 1];
  });
  const matte = createImage(w, h, (x, y) => (inPiece(x, y) ? [1, 1, 1, 1] : [0, 0, 0, 1]));
  return { clean, matte };
}

/** The plate of syntheticGlareScene as a matte. */
function plateMatte(w: number, h: number): CpuImage {
  return createImage(w, h, (x, y) => (x > 0.12 * w && x < 0.88 * w && y > 0.12 * h && y < 0.88 * h ? [1, 1, 1, 1] : [0, 0, 0, 1]));
}

/**
 * A chain over a blue backdrop: a strand `thickness` px wide of silver links,
 * a clipped glint on it (clean: a real sparkle) and, added in linear light, a
 * bloom (Gaussian of sigma `sigma` px, 1.3 at its centre) on the strand
 * that clips its core. The matte is what the keyer's trimap gives such a shot
 * (s24): `core` (1) on the clipped core, 0.5 on the strand and a band of
 * `band` px around it, 0 beyond.
 */
function strandScene(w: number, h: number, band: number, sigma: number, core = 1, thickness = w > 100 ? 2 : 1, backdrop: [number, number, number, number] = [0.3, 0.42, 0.6, 1]) {
  const cy = Math.round(h / 2);
  const bloom = [Math.round(0.35 * w), cy];
  const glint = [Math.round(0.75 * w), cy];
  const onStrand = (y: number) => y >= cy && y < cy + thickness;
  const clean = createImage(w, h, (x, y) => {
    if (onStrand(y)) {
      if (Math.abs(x - glint[0]) <= 1) return [1, 1, 1, 1];
      const v = x % 4 < 2 ? 0.75 : 0.45;
      return [v, v, 0.98 * v, 1];
    }
    return backdrop;
  });
  const glow = (x: number, y: number) => 1.3 * Math.exp(-((x - bloom[0]) ** 2 + (y - bloom[1]) ** 2) / (2 * sigma ** 2));
  const raw = createImage(w, h, (x, y) => {
    const i = (y * w + x) * 4;
    return [0, 1, 2].map((c) => Math.min(1, clean.data[i + c] + glow(x, y))).concat(1) as [number, number, number, number];
  });
  const matte = createImage(w, h, (x, y) => {
    const i = (y * w + x) * 4;
    const v = Math.min(raw.data[i], raw.data[i + 1], raw.data[i + 2]) >= 1 ? core : onStrand(y) || Math.abs(y - cy) <= band ? 0.5 : 0;
    return [v, v, v, 1];
  });
  const bloomMask = createImage(w, h, (x, y) => (glow(x, y) > 0.01 ? [1, 1, 1, 1] : [0, 0, 0, 1]));
  return { raw, clean, matte, bloom, glint, bloomMask };
}

/** Adds the veiling-glare model to a clean image in float64 (clipping at 1); `veil`: where it adds > 1/255 linear. */
function veiled(clean: CpuImage, matte: CpuImage, amount: number, sigma: number, level: number): { raw: CpuImage; veil: CpuImage } {
  const source = { ...clean, data: clean.data.map((v, i) => (i % 4 === 3 ? 1 : Math.max(v - level, 0) * matte.data[i - (i % 4)])) };
  const scattered = gaussianBlurRef(source, sigma);
  const raw = { ...clean, data: clean.data.map((v, i) => (i % 4 === 3 ? v : Math.min(1, v + amount * scattered.data[i]))) };
  const veil = createImage(clean.width, clean.height, (x, y) => {
    const v = amount * scattered.data[(y * clean.width + x) * 4 + 1] > 1 / 255 ? 1 : 0;
    return [v, v, v, 1];
  });
  return { raw, veil };
}

/** The clean plate at 80% exposure: its glints no longer reach the highlight threshold. */
function dimmed(img: CpuImage): CpuImage {
  return { ...img, data: img.data.map((v, i) => (i % 4 === 3 ? v : 0.8 * v)) };
}

describe('the catalogue preset on a shot without glare', () => {
  // The catalogue removes veiling glare before keying. With the whole frame
  // as the veil's source at a fixed amount it took the white backdrop's
  // scattered light off every piece, veiled or not (this shot: -13.75/255;
  // red beads on white: green 56/255 -> 5). The backdrop's share is now
  // bounded by the piece's dark floor, as in the glare preset (-9.17/255);
  // what is left is the piece's own veil at its fixed amount (veil 0 gives
  // -0.65/255, but loses the benchmark's veiled shots; estimateVeil -0.72,
  // but 22.62 dB inside the generated glare against 29.97).
  it.fails("keeps the piece's tone: mean change inside the piece under 3/255 (display) (known miss)", async () => {
    const shot = await generateShot(await engine(), {
      seed: 31, subject: 'set', background: 'white', width: 512, height: 384,
      defects: { dust: false, scratches: false, smudges: false, lighting: false, glare: false, noise: false, shadow: true },
    });
    const preset = JSON.parse(readFileSync(new URL('../src/presets/catalogue.json', import.meta.url), 'utf8')) as GraphSpec;
    const { result } = await runGraph(preset, { source: shot.raw });
    const [raw, out] = [shot.raw, result].map(toDisplay);
    // Fully covered piece pixels, 2 px in from any edge (the key's soft edge and the sharpening stay out).
    const inside = subtractMask(thresholdMask(shot.alpha, 0.99), dilateMask(invertMask(thresholdMask(shot.alpha, 0.99)), 2));
    let sum = 0;
    let count = 0;
    for (let p = 0; p < shot.width * shot.height; p++) {
      if (inside.data[4 * p] < 0.5) continue;
      for (let c = 0; c < 3; c++) sum += out.data[4 * p + c] - raw.data[4 * p + c];
      count += 3;
    }
    const meanChange = (255 * sum) / count;
    console.log(`catalogue, no glare: mean change inside the piece ${meanChange.toFixed(2)}/255 over ${count / 3} px`);
    expect(count).toBeGreaterThan(1000);
    expect(Math.abs(meanChange)).toBeLessThan(3);
  });
});
