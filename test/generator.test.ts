import { describe, expect, it } from 'vitest';
import { createImage, difference, type CpuImage } from '../src/cpu/image.js';
import { addDefects, DEFAULT_DEFECTS, generateShot, IMAGE_DEFECTS } from '../src/generator/index.js';
import { DEFECT_KINDS, type DefectKind, type ShotOptions } from '../src/generator/types.js';
import { planDefects } from '../src/generator/defects.js';
import { engine } from './helpers/gpu.js';

const W = 256;
const H = 192;
const NONE = Object.fromEntries(DEFECT_KINDS.map((k) => [k, false])) as Record<DefectKind, boolean>;
const only = (kind: DefectKind) => ({ ...NONE, [kind]: true });

// Shaders fetch their inputs bilinearly at interpolated texel centres, which
// blends in a trace of a neighbour (seen: 7.6e-6): "untouched" means equal
// within one step of a 16-bit file, 1/65535.
const UNTOUCHED = 1 / 65535;

const shot = async (o: Partial<ShotOptions> = {}) => generateShot(await engine(), { seed: 7, width: W, height: H, ...o });

/** Largest per-channel RGB difference at pixel i. */
function pixelDiff(a: CpuImage, b: CpuImage, i: number): number {
  return Math.max(...[0, 1, 2].map((c) => Math.abs(a.data[4 * i + c] - b.data[4 * i + c])));
}
const count = (img: CpuImage, pred: (v: number) => boolean) => {
  let n = 0;
  for (let i = 0; i < img.width * img.height; i++) if (pred(img.data[4 * i])) n++;
  return n;
};

describe('raw-shot generator', () => {
  it('is deterministic in the seed', async () => {
    const a = await shot();
    const b = await shot();
    const c = await shot({ seed: 8 });
    // Same seed: same pixels within 1/255 (the bound; the GPU path is in fact bit-identical).
    for (const layer of ['raw', 'clean', 'alpha', 'backdrop'] as const) expect(difference(a[layer], b[layer]).max).toBeLessThanOrEqual(1 / 255);
    for (const kind of DEFECT_KINDS) expect(difference(a.masks[kind], b.masks[kind]).max).toBeLessThanOrEqual(1 / 255);
    // Another seed moves the pieces, the chain and every defect.
    expect(difference(a.raw, c.raw, [0, 1, 2]).mean).toBeGreaterThan(0.01);
    expect(difference(a.alpha, c.alpha, [0]).mean).toBeGreaterThan(0.005);
  });

  it('uses the documented defaults: every defect but the contact shadow', async () => {
    const s = await shot();
    expect(s.options.defects).toEqual(DEFAULT_DEFECTS);
    expect(s.options.subject).toBe('set');
    expect(s.options.background).toBe('white');
    for (const kind of DEFECT_KINDS) expect(count(s.masks[kind], (v) => v > 0) > 0).toBe(kind !== 'shadow');
  });

  for (const kind of IMAGE_DEFECTS) {
    it(`${kind}: alone, it changes the raw image exactly where its mask is non-zero`, async () => {
      const s = await shot({ defects: only(kind) });
      let untouchedMax = 0;
      let strong = 0;
      let strongChanged = 0;
      for (let i = 0; i < W * H; i++) {
        const m = s.masks[kind].data[4 * i];
        const d = pixelDiff(s.raw, s.clean, i);
        if (m === 0) untouchedMax = Math.max(untouchedMax, d);
        if (m >= 0.5) {
          strong++;
          if (d > 1e-3) strongChanged++;
        }
      }
      // Outside the mask the raw image is the clean one.
      expect(untouchedMax).toBeLessThan(UNTOUCHED);
      expect(strong).toBeGreaterThan(0);
      // Where the mask is at least half on, the pixel changed; a few may already sit at the clip level.
      expect(strongChanged / strong).toBeGreaterThan(0.8);
      for (const other of DEFECT_KINDS) if (other !== kind) expect(count(s.masks[other], (v) => v !== 0)).toBe(0);
    });
  }

  it('dust specks are visible where the dust mask is full, on the piece and on the backdrop', async () => {
    const s = await shot({ defects: only('dust') });
    let full = 0;
    let visible = 0;
    let onPiece = 0;
    let onBackdrop = 0;
    for (let i = 0; i < W * H; i++) {
      if (s.masks.dust.data[4 * i] < 0.99) continue;
      full++;
      // "Noticeably": more than 0.05 in linear light in some channel (about 13/255 on a white backdrop in sRGB).
      if (pixelDiff(s.raw, s.clean, i) > 0.05) visible++;
      if (s.alpha.data[4 * i] > 0.5) onPiece++;
      if (s.alpha.data[4 * i] < 0.02) onBackdrop++;
    }
    expect(full).toBeGreaterThan(20);
    expect(visible / full).toBeGreaterThan(0.9);
    expect(onPiece).toBeGreaterThan(0);
    expect(onBackdrop).toBeGreaterThan(0);
  });

  // Glare hotspots go on the piece's bright metal; a chain alone has no pixel
  // that passes the metal test, and its hotspots used to land anywhere (on
  // the backdrop, in mid-air).
  it('puts the glare hotspots of a chain-only shot on the chain', async () => {
    for (const seed of [7, 24]) {
      const s = await shot({ seed, subject: 'chain', background: 'coloured', defects: only('glare') });
      const channel = (img: CpuImage) => Float32Array.from({ length: W * H }, (_, i) => img.data[4 * i]);
      const luminance = Float32Array.from({ length: W * H }, (_, i) => 0.2126 * s.clean.data[4 * i] + 0.7152 * s.clean.data[4 * i + 1] + 0.0722 * s.clean.data[4 * i + 2]);
      const plan = planDefects(seed, { width: W, height: H, luminance, alpha: channel(s.alpha), thin: channel(s.masks.thin), gem: channel(s.masks.gem) });
      const xs = plan.glare.u_hotX as number[];
      const ys = plan.glare.u_hotY as number[];
      expect(xs.length).toBe(3);
      for (let k = 0; k < xs.length; k++) expect(s.masks.thin.data[4 * (Math.floor(ys[k]) * W + Math.floor(xs[k]))], `seed ${seed} hotspot ${k}`).toBeGreaterThan(0.4);
    }
  });

  it('switching a defect off empties its mask and leaves the other defects where they were', async () => {
    const all = await shot();
    const noDust = await shot({ defects: { dust: false } });
    expect(count(noDust.masks.dust, (v) => v !== 0)).toBe(0);
    // Placement masks do not depend on the image, so they are unchanged.
    for (const kind of ['scratches', 'smudges', 'lighting', 'noise'] as const) expect(difference(all.masks[kind], noDust.masks[kind]).max).toBeLessThan(UNTOUCHED);
    expect(difference(all.clean, noDust.clean).max).toBeLessThan(UNTOUCHED);
  });

  it('the contact shadow is in clean and raw alike, exactly where its mask says', async () => {
    const off = await shot({ defects: NONE });
    const on = await shot({ defects: only('shadow') });
    expect(difference(on.raw, on.clean).max).toBeLessThan(UNTOUCHED);
    let outsideMax = 0;
    let darkened = 0;
    for (let i = 0; i < W * H; i++) {
      const d = pixelDiff(on.clean, off.clean, i);
      if (on.masks.shadow.data[4 * i] === 0) outsideMax = Math.max(outsideMax, d);
      else if (on.clean.data[4 * i] < off.clean.data[4 * i] - 0.02) darkened++;
    }
    expect(outsideMax).toBeLessThan(UNTOUCHED);
    expect(darkened).toBeGreaterThan(50);
  });

  it('alpha is a soft matte in [0, 1] and the clean image is its exact composite', async () => {
    const s = await shot({ defects: NONE });
    let min = Infinity;
    let max = -Infinity;
    let soft = 0;
    let opaque = 0;
    for (let i = 0; i < W * H; i++) {
      const a = s.alpha.data[4 * i];
      min = Math.min(min, a);
      max = Math.max(max, a);
      if (a > 0.05 && a < 0.95) soft++;
      if (a >= 0.999) opaque++;
    }
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThanOrEqual(1);
    expect(opaque).toBeGreaterThan(500);
    // Anti-aliased edges, chain strands and the see-through diamond give many partial values.
    expect(soft).toBeGreaterThan(200);
    // A transparent gem: pixels fully inside a gem with alpha well below 1.
    let seeThrough = 0;
    for (let i = 0; i < W * H; i++) if (s.masks.gem.data[4 * i] >= 0.999 && s.alpha.data[4 * i] < 0.9) seeThrough++;
    expect(seeThrough).toBeGreaterThan(5);
    // Where the piece is absent, clean is the backdrop.
    for (let i = 0; i < W * H; i++) if (s.alpha.data[4 * i] === 0 && s.masks.glints.data[4 * i] === 0) expect(pixelDiff(s.clean, s.backdrop, i)).toBeLessThan(UNTOUCHED);
  });

  it('the chain mask holds strands 1-3 px wide', async () => {
    const s = await shot({ subject: 'chain', defects: NONE });
    const thin = s.masks.thin;
    const at = (x: number, y: number) => (x >= 0 && y >= 0 && x < W && y < H ? thin.data[4 * (y * W + x)] : 0);
    // Width across a strand from its coverage: a row run sums to w/|sin|, a
    // column run to w/|cos|, and rowSum*colSum/hypot(rowSum, colSum) = w for
    // a straight strand at any angle.
    const widths: number[] = [];
    for (let y = 2; y < H - 2; y++) {
      for (let x = 2; x < W - 2; x++) {
        if (at(x, y) < 0.5) continue;
        let row = at(x, y);
        for (let k = x - 1; at(k, y) > 0; k--) row += at(k, y);
        for (let k = x + 1; at(k, y) > 0; k++) row += at(k, y);
        let col = at(x, y);
        for (let k = y - 1; at(x, k) > 0; k--) col += at(x, k);
        for (let k = y + 1; at(x, k) > 0; k++) col += at(x, k);
        widths.push((row * col) / Math.hypot(row, col));
      }
    }
    widths.sort((a, b) => a - b);
    const pct = (p: number) => widths[Math.floor(p * (widths.length - 1))];
    expect(widths.length).toBeGreaterThan(100);
    // Runs that merge with a neighbouring bend overestimate a little: judge the 10th-90th percentiles.
    expect(pct(0.1)).toBeGreaterThanOrEqual(1);
    expect(pct(0.9)).toBeLessThanOrEqual(3);
  });

  it('renders every subject and background, with gems and glints where there are stones', async () => {
    for (const subject of ['ring', 'pendant', 'chain', 'set'] as const) {
      const s = await shot({ subject, defects: NONE });
      expect(count(s.alpha, (v) => v > 0.5)).toBeGreaterThan(100);
      const stones = subject !== 'chain';
      expect(count(s.masks.gem, (v) => v > 0.5) > 0).toBe(stones);
      expect(count(s.masks.thin, (v) => v > 0.5) > 0).toBe(subject !== 'ring');
      if (stones) expect(count(s.masks.glints, (v) => v > 0.5)).toBeGreaterThan(0);
    }
    const backdrops = [];
    for (const background of ['white', 'coloured', 'textured', 'cluttered'] as const) backdrops.push((await shot({ background, defects: NONE })).backdrop);
    for (let i = 1; i < backdrops.length; i++) expect(difference(backdrops[0], backdrops[i], [0, 1, 2]).mean).toBeGreaterThan(0.05);
  });

  it('returns every GPU image it drew to the pool', async () => {
    const e = await engine();
    const before = e.renderer.pool.snapshot().live;
    await shot({ defects: { shadow: true } });
    await addDefects(e, (await shot({ defects: NONE })).clean, { seed: 2 });
    expect(e.renderer.pool.snapshot().live).toBe(before);
  });

  it('refuses bad options with a clear error', async () => {
    const e = await engine();
    await expect(generateShot(e, { seed: 1, subject: 'tiara' as never })).rejects.toThrow(/unknown subject "tiara"/);
    await expect(generateShot(e, { seed: 1.5 })).rejects.toThrow(/seed must be an integer/);
    await expect(generateShot(e, { seed: 1, defects: { fog: true } as never })).rejects.toThrow(/unknown defect "fog"/);
    await expect(generateShot(e, { seed: 1, width: 0, height: 10 })).rejects.toThrow(/not a positive integer size/);
  });
});

describe('addDefects on an arbitrary clean image', () => {
  // A photo stand-in: smooth gradients with a dark and a bright region.
  const photo = createImage(W, H, (x, y) => {
    const v = 0.15 + 0.7 * (x / W);
    return [v, 0.9 * v * (y / H) + 0.05, 0.5, 1];
  });

  it('is deterministic and each defect changes only its masked pixels', async () => {
    const e = await engine();
    const a = await addDefects(e, photo, { seed: 3 });
    const b = await addDefects(e, photo, { seed: 3 });
    expect(difference(a.raw, b.raw).max).toBeLessThanOrEqual(1 / 255);
    expect(difference(a.raw, photo, [0, 1, 2]).mean).toBeGreaterThan(0.005);
    for (const kind of IMAGE_DEFECTS) {
      const one = await addDefects(e, photo, { seed: 3, defects: only(kind) });
      let outsideMax = 0;
      let inside = 0;
      for (let i = 0; i < W * H; i++) {
        // Untouched pixels equal the input up to float32 storage and texel-centre sampling.
        if (one.masks[kind].data[4 * i] === 0) outsideMax = Math.max(outsideMax, pixelDiff(one.raw, photo, i));
        else inside++;
      }
      expect(outsideMax).toBeLessThan(UNTOUCHED);
      expect(inside).toBeGreaterThan(0);
      expect(count(one.masks.shadow, (v) => v !== 0)).toBe(0);
    }
  });

  it('refuses a contact shadow, which needs the scene geometry', async () => {
    await expect(addDefects(await engine(), photo, { seed: 1, defects: { shadow: true } })).rejects.toThrow(/contact shadow/);
  });
});
