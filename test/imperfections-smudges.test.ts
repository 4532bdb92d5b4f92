import { describe, expect, it } from 'vitest';
import { createImage, type CpuImage } from '../src/cpu/image.js';
import { linearToSrgb } from '../src/cpu/reference.js';
import { smudgesRef } from '../src/cpu/smudge-ref.js';
import type { GraphSpec } from '../src/graph/types.js';
import { runGraph } from './helpers/gpu.js';
import { chainOnBackdrop, facetedStone, texturedMetal } from './helpers/imperfections-scenes.js';

const DEFAULTS = { sensitivity: 0.5, size: 5 };

const graph = (params: object = DEFAULTS): GraphSpec => ({
  version: 1,
  nodes: [{ id: 'n', pass: 'imperfections.smudges', params: params as never, inputs: { image: '$source' } }],
  outputs: { result: 'n', mask: 'n:mask' },
});

interface Smudge {
  x: number;
  y: number;
  rx: number;
  ry: number;
  angle: number;
  strength: number;
}

/**
 * A smooth scene: polished gold plate (linear shading and a soft highlight)
 * on the left, a pale backdrop with a gentle gradient on the right, a sharp
 * boundary between them. Linear light, opaque.
 */
function smoothScene(w: number, h: number): CpuImage {
  return createImage(w, h, (x, y) => {
    const u = x / w, v = y / h;
    if (u < 0.55) {
      const shade = 0.35 + 0.25 * v + 0.2 * Math.exp(-((u - 0.25) ** 2 + (v - 0.35) ** 2) / 0.08);
      return [0.95 * shade, 0.7 * shade, 0.3 * shade, 1];
    }
    const g = 0.72 - 0.08 * v;
    return [g, g, 0.97 * g, 1];
  });
}

/** The generator's smudge model (shaders/generator/defect_smudges.frag without its value noise): colour pulled towards a lifted grey, with ring ridges. */
function addSmudges(clean: CpuImage, smudges: Smudge[]): { raw: CpuImage; weight: Float64Array } {
  const raw = { width: clean.width, height: clean.height, data: clean.data.slice() };
  const weight = new Float64Array(clean.width * clean.height);
  for (let y = 0; y < clean.height; y++)
    for (let x = 0; x < clean.width; x++) {
      const i = (y * clean.width + x) * 4;
      for (const s of smudges) {
        const dx = x + 0.5 - s.x, dy = y + 0.5 - s.y;
        const ca = Math.cos(s.angle), sa = Math.sin(s.angle);
        const q = Math.hypot((ca * dx + sa * dy) / s.rx, (-sa * dx + ca * dy) / s.ry);
        if (q >= 1) continue;
        const w = (1 - q * q) ** 2 * (0.75 + 0.25 * Math.sin(q * 40)) * s.strength;
        const c = [raw.data[i], raw.data[i + 1], raw.data[i + 2]];
        const lum = 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
        for (let k = 0; k < 3; k++) raw.data[i + k] = c[k] + w * ((c[k] + 0.6 * (lum - c[k])) * 0.85 + 0.05 - c[k]);
        weight[y * clean.width + x] = Math.max(weight[y * clean.width + x], w / s.strength);
      }
    }
  return { raw, weight };
}

/** PSNR (dB, display RGB) and the count of changed pixels (> 0.5/255 in display) over pixels where `select(i)` holds. */
function score(result: CpuImage, truth: CpuImage, raw: CpuImage, select: (p: number) => boolean) {
  let se = 0, n = 0, changed = 0;
  for (let p = 0; p < truth.width * truth.height; p++) {
    if (!select(p)) continue;
    let diff = 0;
    for (let c = 0; c < 3; c++) {
      const r = linearToSrgb(result.data[4 * p + c]);
      se += (r - linearToSrgb(truth.data[4 * p + c])) ** 2;
      diff = Math.max(diff, Math.abs(r - linearToSrgb(raw.data[4 * p + c])));
      n++;
    }
    if (diff > 0.5 / 255) changed++;
  }
  return { psnr: 10 * Math.log10(n / Math.max(se, 1e-30)), changed };
}

/** Pixels where any channel differs at all between two images. */
function changedPixels(a: CpuImage, b: CpuImage): number {
  let n = 0;
  for (let i = 0; i < a.data.length; i += 4) if ([0, 1, 2, 3].some((c) => a.data[i + c] !== b.data[i + c])) n++;
  return n;
}

const asUploaded = (img: CpuImage): CpuImage => ({ width: img.width, height: img.height, data: img.data.map(Math.fround) });

describe('imperfections.smudges', () => {
  it('GPU matches the float64 reference (small image: every blur direct)', async () => {
    // 96x80 at size 5%: surround sigma 4 texels, the largest the GPU blurs at full resolution.
    const { raw } = addSmudges(smoothScene(96, 80), [
      { x: 25, y: 45, rx: 6, ry: 4.5, angle: 0.4, strength: 0.5 },
      { x: 75, y: 30, rx: 5, ry: 4, angle: 1.2, strength: 0.5 },
    ]);
    const gpu = await runGraph(graph(), { source: raw });
    const ref = smudgesRef(raw, DEFAULTS);
    let maskMax = 0, outMax = 0, masked = 0;
    for (let i = 0; i < raw.data.length; i += 4) {
      maskMax = Math.max(maskMax, Math.abs(gpu.mask.data[i] - ref.mask.data[i]));
      if (ref.mask.data[i] > 0.5) masked++;
      for (let c = 0; c < 4; c++) outMax = Math.max(outMax, Math.abs(gpu.result.data[i + c] - ref.out.data[i + c]));
    }
    // The reference must find the blotches, or the comparison proves little.
    expect(masked).toBeGreaterThan(20);
    // float32 vs float64 through smoothsteps of slope up to 3/(1/255) ~ 800: 1e-7 inputs give ~1e-4.
    expect(maskMax).toBeLessThan(2e-3);
    expect(outMax).toBeLessThan(2e-5);
  });

  it('removes smudges on smooth metal and backdrop and changes nothing else', async () => {
    const clean = smoothScene(256, 256);
    const smudges = [
      // Two on the plate (off its highlight, whose curvature is shading the guard keeps), two on the backdrop.
      { x: 50, y: 200, rx: 14, ry: 10, angle: 0.5, strength: 0.45 },
      { x: 95, y: 235, rx: 9, ry: 8, angle: 2, strength: 0.35 },
      { x: 200, y: 80, rx: 16, ry: 11, angle: 1.1, strength: 0.4 },
      { x: 205, y: 190, rx: 12, ry: 8, angle: 0.2, strength: 0.35 },
    ];
    const { raw, weight } = addSmudges(clean, smudges);
    const { result, mask } = await runGraph(graph(), { source: raw });
    const core = (p: number) => weight[p] > 0.3;
    // Outside: beyond every smudge's extent plus the blotch estimate's spread (2 lowSigma ~ 6 px).
    const outside = (p: number) => {
      const x = (p % 256) + 0.5, y = Math.floor(p / 256) + 0.5;
      return smudges.every((s) => Math.hypot(x - s.x, y - s.y) > Math.max(s.rx, s.ry) + 6);
    };
    const before = score(raw, clean, raw, core);
    const after = score(result, clean, raw, core);
    const out = score(result, clean, raw, outside);
    const centres = smudges.map((s) => mask.data[(Math.floor(s.y) * 256 + Math.floor(s.x)) * 4]);
    const detected = centres.filter((m) => m > 0.5).length;
    console.log(`smudges: inside ${before.psnr.toFixed(2)} -> ${after.psnr.toFixed(2)} dB, mask at the centres ${centres.map((m) => m.toFixed(2)).join(' ')}, changed outside ${out.changed}`);
    expect(detected).toBe(smudges.length);
    expect(after.psnr).toBeGreaterThan(before.psnr + 6);
    expect(out.changed).toBe(0);
  });

  it('changes no pixel on defect-free scenes (smooth, chain, textured metal, faceted stone)', async () => {
    for (const [name, clean] of [
      ['smooth', smoothScene(256, 256)],
      ['chain', chainOnBackdrop(256, 256, 2)],
      ['textured metal', texturedMetal(256, 256, 1)],
      ['faceted stone', facetedStone(256, 256, 3)],
    ] as const) {
      const source = asUploaded(clean);
      const { result } = await runGraph(graph(), { source });
      expect(changedPixels(result, source), name).toBe(0);
    }
  });
});
