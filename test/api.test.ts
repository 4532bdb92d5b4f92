import { describe, it, expect, beforeAll } from 'vitest';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { createLoupe, parseOverride, DEFAULT_PRESET, type Loupe } from '../src/api/loupe.js';
import { GraphError, OptionError, UnknownPresetError } from '../src/api/errors.js';
import { decodeImage } from '../src/node/image-io.js';
import { linearToSrgb, srgbToLinear } from '../src/cpu/reference.js';
import { blurGraph, exposureGraph, keyAlphaGraph, softenGraph, writeTestPresets } from './helpers/test-graphs.js';
import { imageFile, rampPixels, ringShot } from './helpers/image-files.js';

let loupe: Loupe;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'loupe-api-'));
  loupe = await createLoupe({ presetsDir: writeTestPresets(join(dir, 'presets')) });
});

/** RGBA raw image from the ramp fixture (opaque). */
function rawRamp(width: number, height: number) {
  const rgb = rampPixels(width, height, 3);
  const data = new Uint8Array(width * height * 4);
  for (let i = 0; i < width * height; i++) data.set([rgb[i * 3], rgb[i * 3 + 1], rgb[i * 3 + 2], 255], i * 4);
  return { width, height, data };
}

describe('presets', () => {
  it('lists every preset file, valid or not, with the reason it is unusable', () => {
    const list = loupe.presets();
    const byName = Object.fromEntries(list.map((p) => [p.name, p]));
    expect(byName.blur).toMatchObject({ valid: true, description: 'Gaussian blur (test)' });
    expect(byName.nopass.valid).toBe(false);
    expect(byName.nopass.problem).toMatch(/node "x" pass: unknown pass type "no.such.pass"/);
    const broken = list.find((p) => p.name.endsWith('broken.json'))!;
    expect(broken.valid).toBe(false);
    expect(broken.problem).toMatch(/not valid JSON/);
  });

  it('names the available presets when one is unknown', () => {
    const err = (() => {
      try {
        loupe.preset('nope');
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(UnknownPresetError);
    expect((err as Error).message).toMatch(/unknown preset "nope" \(available: .*blur.*exposure/);
  });

  it('ships the default "catalogue" preset, and it validates', async () => {
    const builtin = await createLoupe();
    expect(DEFAULT_PRESET).toBe('catalogue');
    expect(builtin.hasPreset(DEFAULT_PRESET)).toBe(true);
    const graph = await builtin.graph({ preset: DEFAULT_PRESET });
    expect(graph.outputs.result).toBeDefined();
  });
});

describe('graphs and overrides', () => {
  it('parses --set values as JSON or bare words', () => {
    expect(parseOverride('blur.sigma=2.5')).toEqual({ node: 'blur', param: 'sigma', value: 2.5 });
    expect(parseOverride('mix.mode=add')).toEqual({ node: 'mix', param: 'mode', value: 'add' });
    expect(parseOverride('spots.list=[[1,2,3]]')).toEqual({ node: 'spots', param: 'list', value: [[1, 2, 3]] });
    expect(() => parseOverride('sigma=2')).toThrow(OptionError);
  });

  it('applies overrides and reports the file, node and parameter of a bad one', async () => {
    const g = await loupe.graph({ preset: 'blur' }, [parseOverride('blur.sigma=3')]);
    expect(g.nodes[0].params).toEqual({ sigma: 3 });
    const bad = await loupe.graph({ preset: 'blur' }, [parseOverride('blur.sigma=9999')]).catch((e) => e);
    expect(bad).toBeInstanceOf(GraphError);
    expect([bad.node, bad.param]).toEqual(['blur', 'params.sigma']);
    expect(bad.file).toMatch(/blur\.json$/);
    expect(bad.message).toMatch(/node "blur" params\.sigma: 9999 is out of range \[0, 500\] px/);
    const missing = await loupe.graph({ preset: 'blur' }, [parseOverride('sharpen.amount=1')]).catch((e) => e);
    expect(missing).toBeInstanceOf(GraphError);
    expect(missing.node).toBe('sharpen');
    expect(missing.message).toMatch(/no such node in this graph \(nodes: blur\)/);
  });

  it('reports a graph file that is not JSON', async () => {
    const file = join(dir, 'bad.json');
    await writeFile(file, '{ nodes: ');
    const err = await loupe.graph({ graphFile: file }).catch((e) => e);
    expect(err).toBeInstanceOf(GraphError);
    expect(err.file).toBe(file);
    expect(err.message).toMatch(/not valid JSON/);
  });
});

describe('rendering', () => {
  it('renders raw pixels: +1 EV doubles linear light (float64 sRGB reference)', () => {
    const src = rawRamp(32, 24);
    const graph = loupe.prepareGraph(exposureGraph(1));
    const { image } = loupe.render(graph, src);
    expect(image.data).toBeInstanceOf(Uint8Array);
    let worst = 0;
    for (let i = 0; i < src.data.length; i++) {
      const expected = i % 4 === 3 ? 255 : Math.round(linearToSrgb(Math.min(1, srgbToLinear(src.data[i] / 255) * 2)) * 255);
      worst = Math.max(worst, Math.abs(image.data[i] - expected));
    }
    // One level: float32 shader maths may land on the other side of a rounding boundary.
    expect(worst).toBeLessThanOrEqual(1);
  });

  it('renders every built-in preset on thumbnails down to one pixel', async () => {
    // Lengths scale with the image under a preset's referenceSize: on a 24 px
    // image the catalogue's 8 px fill reach is 0.19 px, which once rounded every
    // texture shift to zero and failed the heal.
    const builtin = await createLoupe();
    const names = builtin.presets().filter((p) => p.valid).map((p) => p.name);
    expect(names).toContain(DEFAULT_PRESET);
    for (const name of names) {
      const graph = await builtin.graph({ preset: name });
      for (const [w, h] of [[1, 1], [5, 3], [24, 24]]) {
        const { image } = builtin.render(graph, rawRamp(w, h), { sampleType: 'float32' });
        expect([name, image.width, image.height]).toEqual([name, w, h]);
        expect(image.data.every(Number.isFinite), `${name} at ${w}x${h}`).toBe(true);
      }
    }
  });

  it('returns float pixels on request', () => {
    const src = rawRamp(8, 8);
    const { image } = loupe.render(loupe.prepareGraph(exposureGraph(0)), src, { sampleType: 'float32' });
    expect(image.data).toBeInstanceOf(Float32Array);
    // Identity graph: float output equals the 8-bit input / 255 up to float32 sRGB maths (1e-4 << 1/255).
    for (let i = 0; i < src.data.length; i++) expect(Math.abs(image.data[i] - src.data[i] / 255)).toBeLessThan(1e-4);
  });

  it('keeps 16-bit sources at 16 bits through the GPU', async () => {
    const file = await imageFile(24, 16, 'png', { bits: 16, seed: 9 });
    const result = await loupe.retouch(file, { graph: exposureGraph(0) });
    expect(result.bitDepth).toBe(16);
    expect((await sharp(result.buffer).metadata()).depth).toBe('ushort');
    const [inPx, outPx] = await Promise.all([decodeImage(file), decodeImage(result.buffer)]);
    let worst = 0;
    for (let i = 0; i < inPx.pixels.data.length; i++) worst = Math.max(worst, Math.abs(inPx.pixels.data[i] - outPx.pixels.data[i]));
    // An identity graph in float32: within 16/65535, a sixteenth of one 8-bit step (257); an 8-bit detour would err up to 128.
    expect(worst).toBeLessThanOrEqual(16);
  });

  it('retouches a path or a Buffer into the requested format, with timings', async () => {
    const file = join(dir, 'in.png');
    await writeFile(file, await imageFile(40, 30, 'png'));
    for (const input of [file, await imageFile(40, 30, 'png')]) {
      const r = await loupe.retouch(input, { graph: { preset: 'blur' }, format: 'webp', quality: 90 });
      expect(r.format).toBe('webp');
      const meta = await sharp(r.buffer).metadata();
      expect([meta.format, meta.width, meta.height]).toEqual(['webp', 40, 30]);
      expect(r.timings.renderMs).toBeGreaterThan(0);
    }
  });

  it('keeps the alpha channel of a transparent PNG', async () => {
    const file = await imageFile(20, 12, 'png', { alpha: true });
    const r = await loupe.retouch(file, { graph: exposureGraph(0) });
    const [inPx, outPx] = await Promise.all([decodeImage(file), decodeImage(r.buffer)]);
    expect(outPx.hasAlpha).toBe(true);
    for (let i = 3; i < inPx.pixels.data.length; i += 4) expect(outPx.pixels.data[i]).toBe(inPx.pixels.data[i]);
  });

  it('dumps an intermediate node output, equal to running that node alone', () => {
    const src = rawRamp(32, 24);
    const r = loupe.render(loupe.prepareGraph(softenGraph()), src, { dump: ['blur', 'blur:out'] });
    const alone = loupe.render(loupe.prepareGraph(blurGraph(2)), src).image;
    expect([...r.dumps.blur.data]).toEqual([...alone.data]);
    expect([...r.dumps['blur:out'].data]).toEqual([...alone.data]);
    // and the main result is something else (the half mix)
    expect([...r.image.data]).not.toEqual([...alone.data]);
  });

  it('reports what a pass decided about the image as a note: a key that kept the whole frame', () => {
    const graph = loupe.prepareGraph(keyAlphaGraph());
    const lifestyle = loupe.render(graph, ringShot(true));
    expect(lifestyle.notes).toHaveLength(1);
    expect(lifestyle.notes[0]).toMatch(/^node "key": the piece covers \d+ % of the frame's edge .*kept the whole frame/);
    expect(lifestyle.image.data.every((v) => v === 255)).toBe(true);
    const product = loupe.render(graph, ringShot(false));
    expect(product.notes).toEqual([]);
    expect(product.image.data.some((v, i) => i % 4 === 0 && v === 0)).toBe(true);
  });

  it('reports the islands the key took out of the matte as a note', () => {
    // The ring shot with two dark specks far from the ring: two islands (islandSize 12 px at this size).
    const shot = ringShot(false);
    for (const [x, y] of [[15, 110], [110, 112]])
      for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) shot.data.set([30, 30, 30, 255], ((y + dy) * 128 + x + dx) * 4);
    const spec = keyAlphaGraph();
    const withSize = (islandSize: number) => loupe.prepareGraph({ ...spec, nodes: [{ ...spec.nodes[0], params: { ...spec.nodes[0].params, islandSize } }] });
    const alphaAt = (r: { image: { data: ArrayLike<number> } }, x: number, y: number) => r.image.data[(y * 128 + x) * 4];
    const cleaned = loupe.render(withSize(12), shot);
    expect(cleaned.notes).toEqual([expect.stringMatching(/^node "key": took 2 small islands out of the matte .*set islandSize to 0 to keep them$/)]);
    expect([alphaAt(cleaned, 15, 110), alphaAt(cleaned, 110, 112)]).toEqual([0, 0]);
    const kept = loupe.render(withSize(0), shot);
    expect(kept.notes).toEqual([]);
    expect(alphaAt(kept, 15, 110)).toBeGreaterThan(200);
  });

  it('takes hints (green = backdrop, red = piece) to the key, resized from another size of the same shape; refuses them where they cannot apply', async () => {
    // Two readers of the hints, as in the presets (light, then key).
    const graph = loupe.prepareGraph({
      ...keyAlphaGraph(),
      nodes: [
        { id: 'light', pass: 'light.flatten', params: { illuminationSigma: 16 }, inputs: { image: '$source', hints: '$hints?' } },
        { ...keyAlphaGraph().nodes[0], inputs: { image: 'light', hints: '$hints?' } },
      ],
    });
    const shot = ringShot(true); // a ring above a sleeve that fills the lower 45 % of the frame
    /** Green over the sleeve, red on a patch of the plain backdrop at (8..16, 8..16) of a 128 px frame. */
    const strokes = (w: number) => {
      const data = new Uint8Array(w * w * 4);
      for (let y = 0; y < w; y++)
        for (let x = 0; x < w; x++) {
          if (y >= 0.53 * w) data.set([0, 255, 0, 255], (y * w + x) * 4);
          else if (x >= w / 16 && x < w / 8 && y >= w / 16 && y < w / 8) data.set([255, 0, 0, 255], (y * w + x) * 4);
        }
      return { width: w, height: w, data };
    };
    const alphaAt = (r: { image: { width: number; data: ArrayLike<number> } }, x: number, y: number) => r.image.data[(y * r.image.width + x) * 4];
    const none = loupe.render(graph, shot);
    expect(none.notes[0]).toMatch(/kept the whole frame/);
    expect(alphaAt(none, 64, 110)).toBe(255);
    for (const size of [128, 64]) {
      const hinted = loupe.render(graph, shot, { hints: strokes(size) });
      expect(hinted.notes, `${size} px hints`).toEqual([]); // hints settle what is piece: no whole-frame check
      expect(alphaAt(hinted, 64, 110), `${size} px hints: sleeve`).toBe(0);
      expect(alphaAt(hinted, 12, 12), `${size} px hints: red patch`).toBe(255);
      expect(alphaAt(hinted, 64 + 13, 32), `${size} px hints: ring`).toBe(255);
      // The sleeve painted green must not become the clean backdrop the key compares against (the grey above it would then be keyed).
      expect(alphaAt(hinted, 40, 60), `${size} px hints: backdrop`).toBe(0);
    }
    // The same through retouch() with encoded files.
    const png = (px: { width: number; height: number; data: Uint8Array }) => sharp(Buffer.from(px.data), { raw: { width: px.width, height: px.height, channels: 4 } }).png().toBuffer();
    const file = await loupe.retouch(await png(shot), { graph, hints: await png(strokes(128)) });
    const decoded = await decodeImage(file.buffer);
    expect(decoded.pixels.data[(110 * 128 + 64) * 4]).toBe(0);

    const wrongShape = { width: 128, height: 100, data: new Uint8Array(128 * 100 * 4) };
    expect(() => loupe.render(graph, shot, { hints: wrongShape })).toThrow(/the hints are 128x100 and the image 128x128/);
    expect(() => loupe.render(loupe.prepareGraph(blurGraph()), shot, { hints: strokes(128) })).toThrow(OptionError);
    expect(() => loupe.render(loupe.prepareGraph(blurGraph()), shot, { hints: strokes(128) })).toThrow(/reads no "\$hints"/);
    await expect(loupe.retouch(await png(shot), { graph, hints: Buffer.from('not an image') })).rejects.toThrow(/cannot read the hints/);
  });

  it('names the node and output of a bad dump', () => {
    const err = (() => {
      try {
        loupe.render(loupe.prepareGraph(softenGraph()), rawRamp(4, 4), { dump: ['blur:high'] });
      } catch (e) {
        return e as GraphError;
      }
    })()!;
    expect(err).toBeInstanceOf(GraphError);
    expect(err.message).toMatch(/node "blur" \(blur\.gaussian\) has no output "high" \(outputs: out\)/);
  });

  it('refuses an image over the pixel limit', async () => {
    const small = await createLoupe({ presetsDir: join(dir, 'presets'), maxPixels: 100 });
    const err = await small.retouch(await imageFile(20, 12, 'png'), { graph: blurGraph() }).catch((e) => e);
    expect(err.code).toBe('IMAGE_TOO_LARGE');
    expect(() => small.render(small.prepareGraph(blurGraph()), rawRamp(20, 12))).toThrow(/20x12.*over the limit/);
  });
});
