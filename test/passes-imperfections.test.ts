import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { createImage, rng, type CpuImage } from '../src/cpu/image.js';
import { linearToSrgb, srgbToLinear } from '../src/cpu/reference.js';
import { applySpotsRef, detectRef, fillRef, healRef, smoothFillRef, straightRidgesRef } from '../src/cpu/imperfections-ref.js';
import { tuneDustAndScratches } from '../src/baselines/index.js';
import type { GraphSpec } from '../src/graph/types.js';
import { generateShot } from '../src/generator/index.js';
import { defectRemoval, dilateMask, invertMask, psnr as maskedPsnr, thresholdMask, toDisplay, unionMasks } from '../src/metrics/index.js';
import { engine, onGpu, runGraph } from './helpers/gpu.js';
import { straightRidges } from '../src/passes/imperfections/detect.js';
import { detectionPlan } from '../src/passes/imperfections/plan.js';
import { addDefects, chainOnBackdrop, facetedStone, facetMosaic, ringOnBlownWhite, texturedMetal, type Scene } from './helpers/imperfections-scenes.js';

const DEFAULTS = { sensitivity: 0.5, maxSize: 6, scratchLength: 40, protectDetail: 0.5 };

const single = (pass: string, params: object, inputs: Record<string, string> = { image: '$source' }, outputs?: Record<string, string>): GraphSpec => ({
  version: 1,
  nodes: [{ id: 'n', pass, params: params as never, inputs }],
  outputs: outputs ?? { result: 'n' },
});
const healGraph = (params: object = {}) => single('imperfections.heal', params, { image: '$source' }, { result: 'n', mask: 'n:mask' });

/** A grey image from display values (gamma 2.2 to linear light), as the hand-made detection scenes are drawn. */
const displayGrey = (w: number, h: number, f: (x: number, y: number) => number): CpuImage =>
  createImage(w, h, (x, y) => {
    const v = f(x, y) ** 2.2;
    return [v, v, v, 1];
  });

/** The detection mask of `image` with the default settings, checked against the float64 reference (within 1e-3). */
async function detectMatchingReference(image: CpuImage): Promise<CpuImage> {
  const { result } = await runGraph(single('imperfections.detect', DEFAULTS), { source: image });
  expect(compare(result, detectRef(image, DEFAULTS), 1e-3).max).toBeLessThan(1e-3);
  return result;
}

/** Largest mask value over the texels x0..x1, y0..y1 (inclusive). */
function maxOver(mask: CpuImage, x0: number, x1: number, y0: number, y1: number): number {
  let m = 0;
  for (let y = y0; y <= y1; y++) for (let x = x0; x <= x1; x++) m = Math.max(m, mask.data[(y * mask.width + x) * 4]);
  return m;
}

/** sRGB-encoded display values (what a viewer sees and Dust & Scratches works on). */
const display = (img: CpuImage): CpuImage => ({ width: img.width, height: img.height, data: img.data.map((v, i) => (i % 4 === 3 ? v : linearToSrgb(v))) });

/** PSNR (dB, peak 1) of display RGB over pixels where `select(mask value)` holds. */
function psnr(a: CpuImage, b: CpuImage, mask: CpuImage, select: (m: number) => boolean): number {
  let se = 0;
  let n = 0;
  for (let i = 0; i < a.data.length; i += 4) {
    if (!select(mask.data[i])) continue;
    for (let c = 0; c < 3; c++) se += (a.data[i + c] - b.data[i + c]) ** 2;
    n += 3;
  }
  return 10 * Math.log10(n / Math.max(se, 1e-30));
}

/** Differences of two float images: largest, and the fraction of values beyond `tol`. */
function compare(a: CpuImage, b: CpuImage, tol: number) {
  let max = 0;
  let over = 0;
  for (let i = 0; i < a.data.length; i++) {
    const d = Math.abs(a.data[i] - b.data[i]);
    max = Math.max(max, d);
    if (d > tol) over++;
  }
  return { max, overFraction: over / a.data.length };
}

/** The image as the GPU holds it after upload: every value rounded to float32. */
const asUploaded = (img: CpuImage): CpuImage => ({ width: img.width, height: img.height, data: img.data.map(Math.fround) });

/** Pixels whose any channel differs at all (compare against asUploaded inputs). */
function changedPixels(a: CpuImage, b: CpuImage): number {
  let n = 0;
  for (let i = 0; i < a.data.length; i += 4)
    if (a.data[i] !== b.data[i] || a.data[i + 1] !== b.data[i + 1] || a.data[i + 2] !== b.data[i + 2] || a.data[i + 3] !== b.data[i + 3]) n++;
  return n;
}

/** Residual contrast (8-bit display levels, luma-weighted channel max) at each defect centre. */
function residuals(scene: Scene, result: CpuImage): { kind: string; level: number }[] {
  const a = display(result);
  const c = display(scene.clean);
  return scene.defects.map((d) => {
    const i = (Math.floor(d.y) * scene.clean.width + Math.floor(d.x)) * 4;
    const level = 255 * Math.max(...[0, 1, 2].map((ch) => Math.abs(a.data[i + ch] - c.data[i + ch])));
    return { kind: d.kind, level };
  });
}

describe('imperfections: GPU shaders vs float64 CPU reference', () => {
  const metal = addDefects(texturedMetal(96, 80, 1), 7, { specks: 8, scratches: 3, scratchLength: [8, 20] });
  const chain = addDefects(chainOnBackdrop(96, 96, 2), 8, { specks: 8, scratches: 2, scratchLength: [8, 20] });
  const blown = addDefects(ringOnBlownWhite(128, 128, 4), 9, { specks: 8, scratches: 2, scratchLength: [8, 20] });

  // The mask passes through smoothsteps whose slope is up to 3 / threshold
  // (about 1/0.012 at the floor), so float32 luma differences of ~1e-7 become
  // ~1e-5 in the mask; 1e-3 leaves a wide margin. Threshold comparisons
  // (coarse feature membership) could flip on exact ties: we allow none here.
  for (const [name, scene] of [['textured metal', metal], ['chain', chain], ['a ring on a blown-out white backdrop', blown]] as const) {
    it(`detect on ${name}: mask within 1e-3 of the reference`, async () => {
      const { result } = await runGraph(single('imperfections.detect', DEFAULTS), { source: scene.raw });
      const ref = detectRef(scene.raw, DEFAULTS);
      const d = compare(result, ref, 1e-3);
      expect(d.max).toBeLessThan(1e-3);
      // The reference itself must find something here, or this comparison proves little.
      expect(ref.data.some((v, i) => i % 4 === 0 && v > 0.5)).toBe(true);
    });
  }

  it('straight ridges: the mask equals the reference texel for texel, also where taps leave the frame', async () => {
    // Luma on a 1/256 grid and contrast on a 1/512 grid: every margin and
    // level is exact in float32, so the mask must match with no tie to flip.
    // Bright and dark lines of 1-3 px at random angles, many crossing the
    // frame (taps beyond it read the clamped edge; the two-step test has to
    // reproduce that, not clamp its own taps: with unpadded margins 12 texels
    // differed at the defaults). Power-of-two size: exact readback.
    const [w, h] = [128, 64];
    const r = rng(11);
    const luma = new Float64Array(w * h).map(() => Math.round(100 + 30 * r()) / 256);
    for (let l = 0; l < 60; l++) {
      const [x0, y0, angle, length, width] = [r() * w, r() * h, r() * Math.PI, 5 + 40 * r(), 1 + Math.floor(3 * r())];
      const value = Math.round(r() < 0.5 ? 20 + 40 * r() : 190 + 60 * r()) / 256;
      for (let t = 0; t < length; t += 0.5)
        for (let q = 0; q < width; q++) {
          const x = Math.round(x0 + t * Math.cos(angle) - q * Math.sin(angle));
          const y = Math.round(y0 + t * Math.sin(angle) + q * Math.cos(angle));
          if (x >= 0 && y >= 0 && x < w && y < h) luma[y * w + x] = value;
        }
    }
    const bright = new Float64Array(w * h).map(() => Math.round(60 * r() ** 2) / 512);
    const dark = new Float64Array(w * h).map(() => Math.round(60 * r() ** 2) / 512);
    const lumaImage = createImage(w, h, (x, y) => [luma[y * w + x], 0, 0, 1]);
    const residualImage = createImage(w, h, (x, y) => [bright[y * w + x], dark[y * w + x], 0, 1]);
    for (const settings of [DEFAULTS, { ...DEFAULTS, maxSize: 3, sensitivity: 1 }, { ...DEFAULTS, maxSize: 12, sensitivity: 0 }]) {
      const plan = detectionPlan(settings, w, h);
      const gpu = await onGpu([lumaImage, residualImage], (rd, [l, res]) => straightRidges(rd, l, res, plan));
      const ref = straightRidgesRef({ w, h, v: luma }, { w, h, v: bright }, { w, h, v: dark }, plan);
      let differing = 0;
      const found = [0, 0];
      let nearEdge = 0;
      for (let i = 0; i < w * h; i++) {
        const [x, y] = [i % w, Math.floor(i / w)];
        [ref.bright.v[i], ref.dark.v[i]].forEach((v, c) => {
          if (gpu.data[4 * i + c] !== v) differing++;
          found[c] += v;
          if (v && Math.min(x, y, w - 1 - x, h - 1 - y) < 2 * plan.ridgeHalf) nearEdge++;
        });
      }
      expect(differing).toBe(0);
      // Both polarities found (measured 416-982 texels each), and ridges whose taps leave the frame (288-525).
      expect(Math.min(...found)).toBeGreaterThan(20);
      expect(nearEdge).toBeGreaterThan(10);
    }
  });

  it('fill: output within 2e-4 of the reference, masked pixels only', async () => {
    const mask = createImage(96, 80, (x, y) => {
      const speck = Math.hypot(x - 30.5, y - 20.5) < 3 ? 1 : 0;
      const scratch = Math.abs(y - 0.4 * x - 40) < 1 && x > 40 && x < 80 ? 1 : 0;
      const soft = Math.max(0, 1 - Math.hypot(x - 70, y - 20) / 6);
      const m = Math.max(speck, scratch, soft);
      return [m, m, m, 1];
    });
    const image = facetedStone(96, 80, 3);
    const { result } = await runGraph(single('imperfections.fill', { reach: 6 }, { image: '$source', mask: '$mask' }), { source: image, mask });
    const ref = fillRef(image, mask, 6);
    // Float32 push-pull sums and the blurred tensor (float32 Gaussian taps vs
    // float64 taps) differ by ~1e-5; the edge direction can round
    // to a different texel where the angle sits on a rounding boundary, which
    // changes a few texels by up to the local edge contrast: at most 0.5% of values.
    const d = compare(result, ref, 2e-4);
    expect(d.overFraction).toBeLessThan(0.005);
    expect(changedPixels(result, asUploaded(image))).toBeGreaterThan(50);
  });

  it('heal with manual spots: mask and output match the reference', async () => {
    const spots = [[20, 20, 5, 1], [60.5, 40, 4, 0], [metal.defects[0].x, metal.defects[0].y, 6, 0]];
    const params = { ...DEFAULTS, reach: 6, spots };
    const r = await runGraph(healGraph(params), { source: metal.raw });
    const ref = healRef(metal.raw, { ...params });
    expect(compare(r.mask, ref.mask, 1e-3).max).toBeLessThan(1e-3);
    expect(compare(r.result, ref.out, 2e-4).overFraction).toBeLessThan(0.005);
  });
});

describe('imperfections: what changes and what must not', () => {
  // Power-of-two sizes: on others, sampling a linearly filtered texture at a
  // texel centre is off by ~1e-5 texel in float32 and blends in ~1e-7 of a
  // neighbour in every pass of the engine (even an identity color.convert),
  // so bit-exactness is only defined where the engine itself is exact.
  it('zero changed pixels on defect-free fine detail: a chain, a textured metal patch, a faceted stone, a ring with glints on blown-out white', async () => {
    for (const clean of [chainOnBackdrop(256, 256, 2), texturedMetal(256, 256, 1), facetedStone(256, 256, 3), ringOnBlownWhite(256, 256, 4)]) {
      const r = await runGraph(healGraph(), { source: clean });
      expect(changedPixels(r.result, asUploaded(clean))).toBe(0);
      expect(r.mask.data.every((v, i) => i % 4 === 3 || v === 0)).toBe(true);
    }
  });

  // Known limitation (docs/passes-imperfections.md, Known limitations, and
  // docs/imperfections-log.md, "Other sizes and real photos"): facets about
  // as narrow as maxSize pass for specks and scratches. Counted 16 px clear of
  // the frame, where facets cut by it look smaller still.
  it.fails('zero changed pixels inside a mosaic of small facets (12 px cells) (known miss)', async () => {
    const clean = asUploaded(facetMosaic(256, 256, 6, 12));
    const r = await runGraph(healGraph(), { source: clean });
    let changed = 0;
    for (let p = 0; p < 256 * 256; p++) {
      const [x, y] = [p % 256, Math.floor(p / 256)];
      if (x >= 16 && y >= 16 && x < 240 && y < 240 && [0, 1, 2].some((c) => r.result.data[4 * p + c] !== clean.data[4 * p + c])) changed++;
    }
    console.log(`facet mosaic: ${changed} changed pixels inside`);
    expect(changed).toBe(0);
  });

  it('dust on a blown-out white backdrop is removed (a blown-out area is not a glint)', async () => {
    const scene = addDefects(ringOnBlownWhite(256, 256, 4), 24, { specks: 20, scratches: 0 });
    const r = await runGraph(healGraph(), { source: scene.raw });
    const levels = residuals(scene, r.result);
    const onBackdrop = levels.filter((_, i) => scene.clean.data[(Math.floor(scene.defects[i].y) * 256 + Math.floor(scene.defects[i].x)) * 4] >= 0.99);
    console.log(`blown-out white: ${onBackdrop.filter((l) => l.level < 3).length} of ${onBackdrop.length} specks on the backdrop removed, ${levels.filter((l) => l.level < 3).length} of ${levels.length} in all`);
    expect(onBackdrop.length).toBeGreaterThanOrEqual(10);
    expect(onBackdrop.every((l) => l.level < 3)).toBe(true);
  });

  it('a speck beside a long edge line of the other polarity is found (only what encloses a speck vetoes it)', async () => {
    // Linear grey metal with a long dark line (y 40) and a long bright one (y 91); a bright 2x2
    // speck 1 px below the dark line, a dark one 1 px above the bright line: both lie in the
    // coarse blocks (2 px) next to the line's.
    const speck = (x: number, y: number, top: number) => (x === 60 || x === 61) && (y === top || y === top + 1);
    const image = createImage(128, 128, (x, y) => {
      const v = x < 10 || x > 117 ? 0.25 : y === 40 ? 0.03 : y === 91 ? 0.7 : speck(x, y, 42) ? 0.6 : speck(x, y, 88) ? 0.05 : 0.25;
      return [v, v, v, 1];
    });
    const { result } = await runGraph(single('imperfections.detect', DEFAULTS), { source: image });
    const ref = detectRef(image, DEFAULTS);
    expect(compare(result, ref, 1e-3).max).toBeLessThan(1e-3);
    for (const [x, y] of [[60, 42], [61, 43], [60, 88], [61, 89]]) expect(result.data[(y * 128 + x) * 4]).toBe(1);
    // The lines themselves are long structure.
    for (const y of [40, 91]) expect(result.data[(y * 128 + 30) * 4]).toBe(0);
  });

  it('an isolated dark speck between two bright streaks is found; a dark dot on a line, however faint, is not', async () => {
    // Shaded grey metal (linear). Two long bright streaks 4 px above and below a 1 px dark speck
    // (x 48, y 32): by the extent rules alone a dark texel enclosed by bright structure is a
    // bright chain link's hole, so the speck was kept; its isolation rings (2 and 3 px) lie on
    // the smooth metal between the streaks. The same dot at x 24 sits on a faint dark line
    // running across the streaks' gap (0.53 on 0.6; opposite ring taps both below the plane),
    // and at (48, 80) on a long dark strand: neither is an isolated speck.
    const [w, h] = [96, 112];
    const image = displayGrey(w, h, (x, y) => {
      const along = x > 10 && x < 86;
      const dot = (x === 48 || x === 24) && y === 32;
      return dot || (x === 48 && y === 80) ? 0.25 : (y === 28 || y === 36) && along ? 0.9 : x === 24 && y > 28 && y < 36 ? 0.53 : y === 80 && along ? 0.45 : 0.55 + 0.002 * x;
    });
    const { result } = await runGraph(single('imperfections.detect', DEFAULTS), { source: image });
    const ref = detectRef(image, DEFAULTS);
    expect(compare(result, ref, 1e-3).max).toBeLessThan(1e-3);
    const maskAt = (x: number, y: number) => result.data[(y * w + x) * 4];
    expect(maskAt(48, 32)).toBe(1);
    expect([maskAt(24, 32), maskAt(48, 80), maskAt(30, 28), maskAt(30, 36), maskAt(30, 80)]).toEqual([0, 0, 0, 0, 0]);
  });

  it('a dark speck right beside a long faint highlight line is found; the line is kept', async () => {
    // Shaded grey metal (display values). A long 1 px highlight (0.04 above the metal) on row
    // 31 and a dark 1 px speck (0.25) just above it at (48, 30): the speck's 2 px block holds
    // the line, long bright structure, which vetoes a dark speck only with another compact
    // dark dot near (a pale dotted strand, next test); long dark structure always does. The
    // line is faint so that its two taps on each ring leave the plane fit of the other taps
    // within the floor.
    const [w, h] = [96, 64];
    const image = displayGrey(w, h, (x, y) => {
      const metal = 0.55 + 0.002 * x;
      return x === 48 && y === 30 ? 0.25 : y === 31 && x > 10 && x < 86 ? metal + 0.04 : metal;
    });
    const result = await detectMatchingReference(image);
    const maskAt = (x: number, y: number) => result.data[(y * w + x) * 4];
    expect(maskAt(48, 30)).toBe(1);
    expect([maskAt(20, 31), maskAt(76, 31), maskAt(20, 20)]).toEqual([0, 0, 0]);
  });

  it('a highlight whose light falls off around it (a bead) is kept; a bright speck of the same height on flat metal is not', async () => {
    // Dark metal (display 0.3). At (32, 32) a bead's highlight: a Gaussian of sigma 3 px rising
    // 0.55, so its light still lies above the metal at the near highlight ring (4 px) and is
    // gone at the far one (8 px). At (96, 32) a speck of dust: a flat disc of radius 1.5 px at
    // the same height, with nothing around it.
    const [w, h] = [128, 64];
    const image = displayGrey(w, h, (x, y) => {
      const bead = 0.55 * Math.exp(-((x - 32) ** 2 + (y - 32) ** 2) / (2 * 3 ** 2));
      const speck = Math.hypot(x - 96, y - 32) <= 1.5 ? 0.55 : 0;
      return 0.3 + bead + speck;
    });
    const result = await detectMatchingReference(image);
    expect(maxOver(result, 22, 42, 22, 42)).toBe(0);
    expect(result.data[(32 * w + 96) * 4]).toBe(1);
  });

  it('a bright speck on a soft bright patch is found although light falls off around it; the patch is kept', async () => {
    // A leaf out of focus (display 0.2, with +-0.02 of grain that lifts the threshold above the
    // patch's own curvature) and on it a soft bright patch (Gaussian, sigma 8 px, rising 0.25),
    // as the blurred light behind dust on the photos. On the patch's crest at (32, 32) a speck
    // of dust: a disc of radius 1.5 px rising 0.45 more. The patch's light falls off around the
    // speck, so the highlight guard took the speck for a point of light on a bead and kept it;
    // but the speck ends in a step: at squareRadius it stands above the far ring by less than
    // a fifth of its height.
    const [w, h] = [64, 64];
    const grain = rng(7);
    const noise = Array.from({ length: w * h }, () => 0.04 * (grain() - 0.5));
    const image = displayGrey(w, h, (x, y) => {
      const patch = 0.25 * Math.exp(-((x - 32) ** 2 + (y - 32) ** 2) / (2 * 8 ** 2));
      return 0.2 + noise[y * w + x] + patch + (Math.hypot(x - 32, y - 32) <= 1.5 ? 0.45 : 0);
    });
    const result = await detectMatchingReference(image);
    expect(result.data[(32 * w + 32) * 4]).toBe(1);
    // Nothing else: the patch and the grain are left alone.
    let elsewhere = 0;
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) if (Math.hypot(x - 32, y - 32) > 4) elsewhere = Math.max(elsewhere, result.data[(y * w + x) * 4]);
    expect(elsewhere).toBe(0);
  });

  it("a wire's highlight streak, whose light falls off across it, is kept; a scratch of the same height on flat skin is not", async () => {
    // Skin (display 0.35). Centred on (48, 48), along the diagonal, a wire's streak as on
    // earring_hand_01 at 0.5 MP: a soft ridge (Gaussian across, sigma 1.5 px) rising 0.22, 20 px
    // at full height, fading over 4 px at each end. Its light falls on both sides of it along
    // about half the axes, but not in 60 % of the directions, which the guard asked before.
    // From (112, 48) the same height as a scratch, 1 px wide and 18 px long, with nothing around it.
    const [w, h] = [160, 96];
    const image = displayGrey(w, h, (x, y) => {
      const along = (x - 48 + (y - 48)) / Math.SQRT2;
      const across = (x - 48 - (y - 48)) / Math.SQRT2;
      const fade = Math.exp(-((Math.max(0, Math.abs(along) - 10)) ** 2) / (2 * 4 ** 2));
      const streak = 0.22 * fade * Math.exp(-(across ** 2) / (2 * 1.5 ** 2));
      const scratch = y === 48 + Math.round((x - 112) * 0.5) && x >= 112 && x < 130 ? 0.22 : 0;
      return 0.35 + streak + scratch;
    });
    const result = await detectMatchingReference(image);
    expect(maxOver(result, 20, 76, 20, 76)).toBe(0);
    expect(result.data[(52 * w + 120) * 4]).toBe(1);
  });

  it('soft dark shading (a defocused print stroke) is kept; a sharp speck sitting in soft shading is not', async () => {
    // A shirt (display 0.45). Centred on (40, 40), a stroke of print out of focus, as on
    // bracelet_wrist_unsplash_01 at 800 px: Gaussian across (sigma 2.5 px), 0.2 deep, 10 px at
    // full depth, fading over 3 px at each end. Centred on (112, 40), a soft dimple (Gaussian,
    // sigma 3 px, 0.2 deep) whose shade falls off around it, with a sharp speck 2 px off its
    // centre: a disc of radius 1.5 px at 0.2. The speck is kept from the dimple's shade because it
    // lies deeper than it, and is no shade itself because it is sharp (the reference without
    // either rule loses it).
    const [w, h] = [160, 80];
    const image = displayGrey(w, h, (x, y) => {
      const along = Math.abs(x - 40), across = y - 40;
      const stroke = 0.2 * Math.exp(-((Math.max(0, along - 5)) ** 2) / (2 * 3 ** 2)) * Math.exp(-(across ** 2) / (2 * 2.5 ** 2));
      const dimple = 0.2 * Math.exp(-((x - 112) ** 2 + (y - 40) ** 2) / (2 * 3 ** 2));
      return Math.hypot(x - 114, y - 40) <= 1.5 ? 0.2 : 0.45 - stroke - dimple;
    });
    const result = await detectMatchingReference(image);
    expect(maxOver(result, 16, 64, 24, 56)).toBe(0);
    expect(result.data[(40 * w + 114) * 4]).toBe(1);
  });

  it('a speck that stands far above the texture joined to it is found; two alike side by side are texture', async () => {
    // A fine weave (display 0.4, 1 px lines of +0.05 every 3 px; denim, brushed metal, skin
    // creases on the photos): its lines clear the structure level and are long, so the extent
    // test joins every speck on them to long structure. A 3x3 px speck of +0.3 at (42, 42): on
    // its rings the weave has no short-feature contrast, so the speck stands out and is found (on
    // its middle row a line runs through it; the rows above and below are found, and the mask's
    // one-texel growth covers the whole speck).
    // At (122, 42) and (126, 42) two such dots side by side: each lies on the other's ring and
    // stands out from it by no more than 1x, so both stay (beads, pave, a knurl: texture).
    const [w, h] = [160, 80];
    const dot = (x: number, y: number, cx: number, cy: number) => Math.abs(x - cx) <= 1 && Math.abs(y - cy) <= 1;
    const image = displayGrey(w, h, (x, y) => {
      if (dot(x, y, 42, 42) || dot(x, y, 122, 42) || dot(x, y, 126, 42)) return 0.7;
      return y % 3 === 0 ? 0.45 : 0.4;
    });
    const result = await detectMatchingReference(image);
    for (let y = 41; y <= 43; y++) for (let x = 41; x <= 43; x++) expect(result.data[(y * w + x) * 4]).toBe(1);
    expect(maxOver(result, 100, 150, 20, 60)).toBe(0);
    expect(maxOver(result, 0, 159, 50, 79)).toBe(0);
  });

  it('the dark dots of a pale dotted strand are kept', async () => {
    // A pale strand on a white backdrop (display values, as on an NVIDIA H200's rendering of
    // the built-in sample's chain): links catch the light (0.97) and show a dark dot (0.55)
    // every 4 rows, along a steep diagonal. Each dot is isolated on its rings (the next dots
    // lie beyond 3 px), its dark piece is compact, and the links' bright structure is long:
    // the next compact dark dot within 3 coarse texels makes it part of the strand.
    const [w, h] = [96, 160];
    const image = displayGrey(w, h, (x, y) => {
      const along = y - 8;
      const onStrand = along >= 0 && along < 144 && x === 10 + Math.floor(along / 2);
      return onStrand ? (along % 4 === 0 ? 0.55 : 0.97) : 0.92;
    });
    const result = await detectMatchingReference(image);
    let healed = 0;
    for (let p = 0; p < w * h; p++) if (result.data[p * 4] > 0.5) healed++;
    expect(healed).toBe(0);
  });

  it('on an odd-sized image a speck reads the extent of its own block, not the next one', async () => {
    // 129 px wide: the 2 px blocks of the extent level end in a 1 px one. A dark 1x2 speck at
    // x 121 (block 60) beside a long bright line at x 122 (block 61). Mapping texels to blocks
    // by the size ratio (65 / 129) put x 121 in block 61, the line's, which vetoed the speck.
    const image = createImage(129, 128, (x, y) => {
      const v = x === 122 && y >= 10 && y <= 117 ? 0.7 : x === 121 && (y === 60 || y === 61) ? 0.03 : 0.25;
      return [v, v, v, 1];
    });
    const result = await detectMatchingReference(image);
    for (const y of [60, 61]) expect(result.data[(y * 129 + 121) * 4]).toBe(1);
    expect(result.data[(30 * 129 + 122) * 4]).toBe(0);
  });

  it('a straight scratch that runs into a brighter facet is found; a facet corner and a short prong are kept', async () => {
    // Display values: a dark facet (0.3) left of a bright one (0.75) from x = 40. On the dark
    // facet, a bright 1 px scratch (0.6, x 28-39, y 20) ends on the bright facet; a facet corner
    // (a wedge widening from x 32 to 7 px at the facet) and a 3 px prong 5 px long are part of it.
    const level = (x: number, y: number) => {
      if (x >= 40) return 0.75;
      if (y === 20 && x >= 28) return 0.6;
      if (x >= 32 && Math.abs(y - 44) <= ((x - 32) / 8) * 4) return 0.75;
      if (x >= 35 && Math.abs(y - 56) <= 1) return 0.75;
      return 0.3;
    };
    const image = createImage(64, 64, (x, y) => {
      const v = srgbToLinear(level(x, y));
      return [v, v, v, 1];
    });
    const result = await detectMatchingReference(image);
    const mask = (x: number, y: number) => result.data[(y * 64 + x) * 4];
    // Without the ridge test the reconstruction ran 6 texels up the scratch from the facet (x 34-39).
    for (let x = 28; x <= 39; x++) expect(mask(x, 20)).toBeGreaterThan(0.5);
    for (let y = 36; y < 64; y++) for (let x = 0; x < 64; x++) expect(mask(x, y)).toBe(0);
  });

  it('fill changes masked pixels only, bit-exact elsewhere', async () => {
    const image = asUploaded(texturedMetal(64, 64, 4));
    const mask = createImage(64, 64, (x, y) => {
      const m = (x * 7 + y * 13) % 11 === 0 ? 1 : 0;
      return [m, m, m, 1];
    });
    const { result } = await runGraph(single('imperfections.fill', {}, { image: '$source', mask: '$mask' }), { source: image, mask });
    let outsideChanged = 0;
    let insideChanged = 0;
    for (let i = 0; i < image.data.length; i += 4) {
      const changed = [0, 1, 2, 3].some((c) => result.data[i + c] !== image.data[i + c]);
      if (mask.data[i] === 0 && changed) outsideChanged++;
      if (mask.data[i] === 1 && changed) insideChanged++;
    }
    expect(outsideChanged).toBe(0);
    expect(insideChanged).toBeGreaterThan(0);
  });

  it('fill keeps a hole next to an edge on its own side (the texture stage does not paint the far side in)', async () => {
    // Bright skin-like left, a 2 px ramp, a dark grainy right; a 4x4 hole on
    // the dark side beside the ramp, where a mean over valid texels leans to
    // the bright side because the hole takes out the dark ones.
    const random = rng(7);
    const grain = Array.from({ length: 64 * 48 }, () => 1 + 0.3 * (random() - 0.5));
    const clean = asUploaded(
      createImage(64, 48, (x, y) => {
        const t = Math.min(1, Math.max(0, (x - 29.5) / 2));
        const v = (0.45 * (1 - t) + 0.006 * t) * grain[y * 64 + x];
        return [v, 0.8 * v, 0.7 * v, 1];
      }),
    );
    const hole = (x: number, y: number) => x >= 32 && x <= 35 && y >= 20 && y <= 23;
    const mask = createImage(64, 48, (x, y) => (hole(x, y) ? [1, 1, 1, 1] : [0, 0, 0, 1]));
    const specked = { ...clean, data: clean.data.map((v, i) => (i % 4 !== 3 && hole(Math.floor(i / 4) % 64, Math.floor(i / 256)) ? 0.5 : v)) };
    const { result } = await runGraph(single('imperfections.fill', {}, { image: '$source', mask: '$mask' }), { source: specked, mask });
    const [a, c] = [display(result), display(clean)];
    let worst = 0;
    for (let i = 0; i < a.data.length; i += 4) if (mask.data[i] === 1) worst = Math.max(worst, ...[0, 1, 2].map((k) => 255 * Math.abs(a.data[i + k] - c.data[i + k])));
    console.log(`hole beside an edge: largest error ${worst.toFixed(1)}/255 (display)`);
    expect(worst).toBeLessThan(8);
    expect(compare(result, fillRef(specked, mask, 8), 2e-4).overFraction).toBeLessThan(0.005);
  });

  it('fill continues a periodic weave through specks (texture stage) and changes nothing else', async () => {
    // A woven backdrop: threads 6 px apart each way, a fine over-under checker
    // and a slow shading across the frame (low frequencies the texture must ride on).
    const weave = (x: number, y: number) =>
      0.35 + 0.06 * Math.sin((2 * Math.PI * x) / 6) * Math.sin((2 * Math.PI * y) / 6) + 0.03 * ((x + y) % 2) + 0.05 * Math.cos((2 * Math.PI * (x - 0.5 * y)) / 90);
    const clean = asUploaded(createImage(128, 128, (x, y) => [weave(x, y), 0.9 * weave(x, y), 0.8 * weave(x, y), 1]));
    const centres = [[20, 24], [57, 31], [96, 18], [30, 70], [70, 66], [105, 80], [18, 108], [64, 104], [110, 112]];
    const mask = createImage(128, 128, (x, y) => {
      const m = centres.some(([cx, cy], k) => Math.hypot(x - cx, y - cy) <= 1.5 + (k % 3)) ? 1 : 0;
      return [m, m, m, 1];
    });
    const specked = { ...clean, data: clean.data.map((v, i) => (i % 4 !== 3 && mask.data[i - (i % 4)] === 1 ? 0.05 : v)) };
    const fill = single('imperfections.fill', {}, { image: '$source', mask: '$mask' });
    const { result } = await runGraph(fill, { source: specked, mask });
    const inside = (m: number) => m === 1;
    const ours = psnr(display(result), display(clean), mask, inside);
    const smoothOnly = psnr(display(smoothFillRef(specked, mask, 8)), display(clean), mask, inside);
    console.log(`periodic weave: PSNR inside ${ours.toFixed(2)} dB with the texture stage, ${smoothOnly.toFixed(2)} dB smooth/edge fill alone`);
    expect(ours - smoothOnly).toBeGreaterThanOrEqual(6);
    // The GPU texture stage against its float64 reference, here where it copies texture.
    expect(compare(result, fillRef(specked, mask, 8), 2e-4).overFraction).toBeLessThan(0.005);
    let outsideChanged = 0;
    for (let i = 0; i < result.data.length; i += 4)
      if (mask.data[i] === 0 && [0, 1, 2, 3].some((c) => result.data[i + c] !== specked.data[i + c])) outsideChanged++;
    expect(outsideChanged).toBe(0);
    const empty = createImage(128, 128, () => [0, 0, 0, 1]);
    const untouched = await runGraph(fill, { source: clean, mask: empty });
    expect(changedPixels(untouched.result, clean)).toBe(0);
  });

  it('manual spots: a heal spot repairs a blob wider than maxSize, a protect spot vetoes a detected speck', async () => {
    const clean = texturedMetal(128, 128, 5);
    const scene = addDefects(clean, 11, { specks: 1, scratches: 0, speckSize: [4, 4], margin: 30 });
    const [speck] = scene.defects;
    // A 14 px blob: too wide for maxSize 6, so only a spot removes it.
    const raw = { ...scene.raw, data: scene.raw.data.slice() };
    for (let y = 90; y < 104; y++) for (let x = 20; x < 34; x++) if (Math.hypot(x + 0.5 - 27, y + 0.5 - 97) < 7) raw.data.fill(0.02, (y * 128 + x) * 4, (y * 128 + x) * 4 + 3);
    const auto = await runGraph(healGraph(), { source: raw });
    expect(auto.result.data[(97 * 128 + 27) * 4]).toBeCloseTo(0.02, 6);
    const withSpots = await runGraph(healGraph({ spots: [[27, 97, 8, 1], [speck.x, speck.y, 5, 0]] }), { source: raw });
    const at = (img: CpuImage, x: number, y: number) => img.data[(Math.floor(y) * 128 + Math.floor(x)) * 4];
    expect(Math.abs(at(withSpots.result, 27, 97) - at(clean, 27, 97))).toBeLessThan(0.03);
    expect(at(auto.mask, speck.x, speck.y)).toBeGreaterThan(0.5);
    expect(at(withSpots.result, speck.x, speck.y)).toBe(Math.fround(at(raw, speck.x, speck.y)));
  });

  it('spots scale with the preview like every "px" parameter', async () => {
    // A flat image has no automatic detections, so the mask is the spot alone.
    const flat = createImage(64, 64, () => [0.3, 0.3, 0.3, 1]);
    const half = applySpotsRef(createImage(32, 32, () => [0, 0, 0, 1]), [[10, 10, 3, 1]]);
    const r = await runGraph(single('imperfections.heal', { spots: [[20, 20, 6, 1]] }, { image: '$source' }, { mask: 'n:mask' }), { source: flat }, { scale: 0.5 });
    expect(r.mask.width).toBe(32);
    expect(compare(r.mask, half, 1e-6).max).toBeLessThan(1e-6);
  });

  it('a maxSize under 3 (a preview scales 6 down to 0.75-3) leaves defect-free texture alone and still finds small specks', async () => {
    // At a 3x3 square, one isolation ring and 4 px activity blocks, grain and facets were specks:
    // 18 texels of this metal and 63 of this stone were masked at maxSize 1-2 before the floor.
    const small = { ...DEFAULTS, maxSize: 1.5 };
    for (const clean of [texturedMetal(128, 128, 1), facetedStone(128, 128, 3)]) {
      const { result } = await runGraph(single('imperfections.detect', small), { source: clean });
      expect(result.data.filter((v, i) => i % 4 === 0 && v > 0).length).toBe(0);
      expect(compare(result, detectRef(clean, small), 1e-3).max).toBeLessThan(1e-3);
    }
    const scene = addDefects(texturedMetal(128, 128, 1), 7, { specks: 4, scratches: 0, speckSize: [1, 2], margin: 12 });
    const { result } = await runGraph(single('imperfections.detect', small), { source: scene.raw });
    for (const speck of scene.defects) expect(result.data[(Math.floor(speck.y) * 128 + Math.floor(speck.x)) * 4]).toBeGreaterThan(0.5);
  });

  it('rejects bad input with clear errors', async () => {
    await expect(runGraph(healGraph({ spots: [[5, 5, -1, 1]] }), { source: texturedMetal(32, 32, 1) })).rejects.toThrow(/negative radius/);
    await expect(runGraph(healGraph({ spots: [[5, 5, 2, 3]] }), { source: texturedMetal(32, 32, 1) })).rejects.toThrow(/mode 3/);
    await expect(
      runGraph(single('imperfections.fill', {}, { image: '$source', mask: '$mask' }), { source: texturedMetal(32, 32, 1), mask: texturedMetal(16, 16, 1) }),
    ).rejects.toThrow(/mask is 16x16 but the image is 32x32/);
    await expect(runGraph(healGraph({ maxSize: 0 }), { source: texturedMetal(32, 32, 1) })).rejects.toThrow(/out of range/);
  });

  it('the preset reads $source and outputs result and mask', async () => {
    const preset = JSON.parse(readFileSync(new URL('../src/presets/imperfections.json', import.meta.url), 'utf8')) as GraphSpec;
    const e = await engine();
    e.validate(preset);
    expect(Object.keys(preset.outputs).sort()).toEqual(['mask', 'result']);
    const r = await runGraph(preset, { source: texturedMetal(48, 48, 1) });
    expect(r.result.width).toBe(48);
  });
});

describe('imperfections: removal targets on synthetic scenes (issue 5)', () => {
  // Three 256x256 scenes, 14 specks (1-6 px) and 5 scratches (8-30 px) each.
  const scenes = {
    'textured metal': addDefects(texturedMetal(256, 256, 1), 21, { specks: 14, scratches: 5 }),
    'chain on white': addDefects(chainOnBackdrop(256, 256, 2), 22, { specks: 14, scratches: 5 }),
    'faceted stone': addDefects(facetedStone(256, 256, 3), 23, { specks: 14, scratches: 5 }),
  };
  type Name = keyof typeof scenes;
  const inside = (m: number) => m > 0;
  const results = new Map<Name, Promise<CpuImage>>();
  const healed = (name: Name) => {
    if (!results.has(name)) results.set(name, runGraph(healGraph(), { source: scenes[name].raw }).then((r) => r.result));
    return results.get(name)!;
  };
  const figures = async (name: Name) => {
    const scene = scenes[name];
    const clean = display(scene.clean);
    const result = await healed(name);
    const ours = psnr(display(result), clean, scene.mask, inside);
    const raw = psnr(display(scene.raw), clean, scene.mask, inside);
    // Tuned on the very score it is compared by (oracle access to the defect mask): its best case.
    const baseline = await tuneDustAndScratches(display(scene.raw), (out) => psnr(out, clean, scene.mask, inside));
    const outside = psnr(display(result), clean, scene.mask, (m) => m === 0);
    console.log(
      `${name}: PSNR inside ${ours.toFixed(2)} dB (raw ${raw.toFixed(2)}, Dust & Scratches r=${baseline.params.radius} t=${baseline.params.threshold} ${baseline.score.toFixed(2)}), outside ${outside.toFixed(2)} dB`,
    );
    return { ours, raw, baseline: baseline.score, outside };
  };

  const removalRate = async (kind: string) => {
    const levels: { kind: string; level: number }[] = [];
    for (const name of Object.keys(scenes) as Name[]) levels.push(...residuals(scenes[name], await healed(name)));
    const ofKind = levels.filter((l) => l.kind === kind);
    const rate = ofKind.filter((l) => l.level < 3).length / ofKind.length;
    console.log(`${kind === 'speck' ? 'specks' : 'scratches'} removed (residual < 3/255 at centre): ${(100 * rate).toFixed(1)}% of ${ofKind.length}`);
    return rate;
  };

  it('removes >= 95% of specks (residual < 3/255 at the centre)', async () => {
    expect(await removalRate('speck')).toBeGreaterThanOrEqual(0.95);
  });

  // KNOWN MISS (issue 5 target), measured 86.7% (13 of 15): a scratch next to
  // the chain is kept with it, and one on the stone is filled with 3.4/255
  // left at its centre (the one touching a brighter facet, kept as that
  // facet's corner until the ridge test, is now found). When this starts
  // passing, turn it into a plain test.
  it.fails('removes >= 90% of scratches (residual < 3/255 at the centre) (known miss)', async () => {
    expect(await removalRate('scratch')).toBeGreaterThanOrEqual(0.9);
  });

  for (const name of ['textured metal', 'chain on white', 'faceted stone'] as const) {
    it(`${name}: PSNR inside >= raw + 10 dB and >= tuned Dust & Scratches + 3 dB; outside >= 45 dB`, async () => {
      const f = await figures(name);
      expect(f.ours - f.raw).toBeGreaterThanOrEqual(10);
      expect(f.ours - f.baseline).toBeGreaterThanOrEqual(3);
      expect(f.outside).toBeGreaterThanOrEqual(45);
    });
  }
});

describe('imperfections: a generated shot with sensor noise (issue 5)', () => {
  // Dust and scratches on a generated set (ring and pendant on a chain) with
  // the generator's sensor noise, scored as the quality benchmark does
  // (bench/lib/quality-scores.ts): removal = visible defects (>= 3/255 at the
  // centre) left under 3/255; inside = defect cores (mask > 0.5); outside =
  // 2 px clear of anything a defect touches. Guards the noise-relative
  // threshold (spread of the residual) and the extent test's hysteresis:
  // before them this shot's specks were mostly missed (3% removed on the
  // benchmark's 512x384 shots) and chain strands were cut as scratches.
  it('removes a good part of the dust and changes little outside the defects', async () => {
    const shot = await generateShot(await engine(), {
      seed: 11, subject: 'set', background: 'white', width: 384, height: 288,
      defects: { dust: true, scratches: true, smudges: false, lighting: false, glare: false, noise: true, shadow: false },
    });
    const r = await runGraph(healGraph(), { source: shot.raw });
    const [raw, result, truth] = [shot.raw, r.result, shot.clean].map(toDisplay);
    const all = unionMasks(shot.masks.dust, shot.masks.scratches);
    const inside = thresholdMask(all, 0.5);
    const outside = invertMask(dilateMask(all, 2, 0.01));
    const specks = defectRemoval(raw, result, truth, shot.masks.dust);
    const gainIn = maskedPsnr(result, truth, inside) - maskedPsnr(raw, truth, inside);
    const lossOut = maskedPsnr(raw, truth, outside) - maskedPsnr(result, truth, outside);
    console.log(`generated set s11 384x288: specks removed ${specks.removed}/${specks.visible}, PSNR gain inside ${gainIn.toFixed(2)} dB, loss outside ${lossOut.toFixed(3)} dB vs none`);
    // Measured: 13 of 34 specks removed (38%), inside +1.20 dB over doing
    // nothing, outside unchanged (40.86 dB both: the clean truth has no noise,
    // so noise bounds it). Thresholds a little below, as regression guards; the
    // issue's 95% target is far off on these shots (specks on the chain and on
    // bright metal are kept as structure). Before the generator drew specks
    // meant for the chain from its pixels when rejection sampling missed it
    // (defects.ts, pickPixel), such specks landed anywhere in the frame and
    // the shot scored 14 of 34, +1.27 dB, with the guard at 40%.
    expect(specks.removed / specks.visible).toBeGreaterThanOrEqual(0.35);
    expect(gainIn).toBeGreaterThanOrEqual(1.0);
    // Outside: a missed strand cut as a scratch costs ~1 dB here; allow rounding only.
    expect(lossOut).toBeLessThanOrEqual(0.05);
  });

  // The built-in sample (seed 1, 1024x768, every default defect) through the
  // catalogue's first two nodes: its chain is faint where it nears the
  // pendant, the links there fall below the structure threshold in between,
  // and each run of links passed for a scratch; where the chain leaves the
  // frame it looked short too. Measured: 22.2% of the defect-free chain
  // pixels healed away before, 5.5% once elongated pieces bridge one-texel
  // gaps (extent_grow.frag), 1.5% once features on the frame count as long
  // (one link-sized piece next to the pendant), 0% with the structure traced
  // at 0.4 (not 0.6) of the defect threshold.

  it('keeps the chain and the stone of the built-in sample whole (catalogue light -> heal)', async () => {
    const shot = await generateShot(await engine(), { seed: 1, subject: 'set', width: 1024, height: 768 });
    const catalogue = JSON.parse(readFileSync(new URL('../src/presets/catalogue.json', import.meta.url), 'utf8')) as GraphSpec;
    const graph: GraphSpec = {
      version: 1,
      referenceSize: catalogue.referenceSize,
      nodes: catalogue.nodes.filter((n) => n.id === 'light' || n.id === 'heal'),
      outputs: { result: 'heal', mask: 'heal:mask' },
    };
    const r = await runGraph(graph, { source: shot.raw });
    // Chain and stone pixels clear of the dust and scratches drawn on them (those should be healed).
    const defects = dilateMask(unionMasks(shot.masks.dust, shot.masks.scratches), 2, 0.01);
    const healedShare = (structure: typeof defects, name: string) => {
      let total = 0, healed = 0;
      for (let p = 0; p < shot.width * shot.height; p++) {
        if (structure.data[4 * p] <= 0.5 || defects.data[4 * p] > 0) continue;
        total++;
        if (r.mask.data[4 * p] > 0.5) healed++;
      }
      console.log(`sample ${name}: ${healed} of ${total} defect-free pixels healed (${((100 * healed) / total).toFixed(2)}%)`);
      return healed / total;
    };
    // 0.60 % and 0 % now. A rule that healed three dots of a dotted strand and a facet of the
    // stone (docs/imperfections-log.md, "A speck between lines") reached 1.67 % and 0.42 %.
    const [chain, stone] = [healedShare(shot.masks.thin, 'chain'), healedShare(shot.masks.gem, 'stone')];
    expect(chain).toBeLessThan(0.01);
    expect(stone).toBeLessThan(0.001);
  });
});
