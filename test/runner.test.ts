import { describe, expect, it } from 'vitest';
import { createImage, difference, rng, type CpuImage } from '../src/cpu/image.js';
import type { GraphSpec } from '../src/graph/types.js';
import type { GpuImage } from '../src/gpu/texture-pool.js';
import { engine, runGraph, toGpu, WORKING } from './helpers/gpu.js';
import { ShaderCompileError, ShaderLibrary } from '../src/gpu/shader-library.js';
import { keyAlphaGraph } from './helpers/test-graphs.js';
import { ringShot } from './helpers/image-files.js';

const maxAbs = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
};
const noise = (w: number, h: number, seed = 1) => {
  const r = rng(seed);
  return createImage(w, h, () => [r(), r(), r(), 1]);
};

/** A chain of n single-input passes alternating blur and colour conversion. */
function chain(n: number): GraphSpec {
  const nodes = [];
  for (let i = 0; i < n; i++) {
    const input = i === 0 ? '$source' : `n${i - 1}`;
    nodes.push(
      i % 2 === 0
        ? { id: `n${i}`, pass: 'blur.gaussian', params: { sigma: 1 + i * 0.1 }, inputs: { image: input } }
        : { id: `n${i}`, pass: 'color.convert', params: { exposure: 0.1 }, inputs: { image: input } },
    );
  }
  return { version: 1, nodes, outputs: { result: `n${n - 1}` } };
}

describe('graph runner', () => {
  it('a 10-pass chain never holds more than 3 full-resolution textures (retain: none)', async () => {
    const e = await engine();
    const runner = e.runner(chain(10), 'none');
    runner.setExternal('source', toGpu(e, noise(96, 64)));
    e.renderer.pool.resetPeak();
    runner.run();
    const stats = e.renderer.pool.snapshot();
    console.log(`10-pass chain: peak live full-resolution textures = ${stats.peakLiveFullSize}, peak live overall = ${stats.peakLive}`);
    expect(stats.peakLiveFullSize).toBeLessThanOrEqual(3);
    runner.dispose();
  });

  it('after changing the last node only that node draws again', async () => {
    const e = await engine();
    const runner = e.runner(chain(10), 'all');
    runner.setExternal('source', toGpu(e, noise(64, 48)));
    runner.run();
    expect(runner.lastRun.nodesRun).toHaveLength(10);
    const fullDraws = runner.lastRun.draws;

    runner.setParam('n9', 'exposure', 0.3);
    runner.run();
    expect(runner.lastRun.nodesRun).toEqual(['n9']);
    expect(runner.lastRun.draws).toBe(1); // color.convert is one draw

    runner.setParam('n4', 'sigma', 2.5);
    runner.run();
    expect(runner.lastRun.nodesRun).toEqual(['n4', 'n5', 'n6', 'n7', 'n8', 'n9']);
    expect(runner.lastRun.draws).toBeLessThan(fullDraws);

    runner.run();
    expect(runner.lastRun.draws).toBe(0); // nothing changed, nothing drawn
    runner.dispose();
  });

  it('incremental and from-scratch renders agree', async () => {
    const e = await engine();
    const src = noise(40, 30, 7);
    const g = chain(6);
    const runner = e.runner(g, 'all');
    runner.setExternal('source', toGpu(e, src));
    runner.run();
    runner.setParam('n2', 'sigma', 3);
    const incremental = e.download(runner.run().get('result')!, undefined, 'float32');
    runner.dispose();
    g.nodes[2].params = { sigma: 3 };
    const scratch = e.runner(g, 'none');
    scratch.setExternal('source', toGpu(e, src));
    const again = e.download(scratch.run().get('result')!, undefined, 'float32');
    scratch.dispose();
    expect(difference(incremental, again).max).toBe(0);
  });

  it('a preview at 1/4 scale matches the full render downsized (px parameters scale)', async () => {
    const e = await engine();
    // Smooth content, so the comparison measures the blur radius, not aliasing.
    const src = createImage(256, 192, (x, y) => {
      const v = x > 128 ? 0.9 : 0.1;
      return [v, (y > 96 ? 0.8 : 0.2), 0.5, 1];
    });
    const g: GraphSpec = { version: 1, nodes: [{ id: 'b', pass: 'blur.gaussian', params: { sigma: 12 }, inputs: { image: '$source' } }], outputs: { result: 'b' } };
    const full = await runGraph(g, { source: src });
    const preview = await runGraph(g, { source: src }, { scale: 0.25 });
    expect(preview.result.width).toBe(64);
    // Downsize the full render with the same 4x4 box the preview's source went through (approximately).
    const small = createImage(64, 48, (x, y) => {
      const s = [0, 0, 0, 0];
      for (let dy = 0; dy < 4; dy++)
        for (let dx = 0; dx < 4; dx++)
          for (let c = 0; c < 4; c++) s[c] += full.result.data[((y * 4 + dy) * 256 + x * 4 + dx) * 4 + c] / 16;
      return s as [number, number, number, number];
    });
    const d = difference(preview.result, small, [0, 1, 2]);
    // Without scaling sigma the preview edge would be 4x wider: errors near 0.3.
    expect(d.max).toBeLessThan(0.03);
  });

  it('referenceSize makes px parameters relative to the photo size', async () => {
    const src = noise(128, 96, 3);
    const blur = (sigma: number, referenceSize?: number): GraphSpec => ({
      version: 1,
      referenceSize,
      nodes: [{ id: 'b', pass: 'blur.gaussian', params: { sigma }, inputs: { image: '$source' } }],
      outputs: { result: 'b' },
    });
    // sigma 1.5 on a 64 px reference is sigma 3 on this 128 px photo.
    const relative = await runGraph(blur(1.5, 64), { source: src });
    const absolute = await runGraph(blur(3), { source: src });
    const other = await runGraph(blur(1.5), { source: src });
    expect(difference(relative.result, absolute.result).max).toBe(0);
    expect(difference(relative.result, other.result).max).toBeGreaterThan(0.01);
  });

  it('bypassed nodes pass their input through', async () => {
    const src = noise(20, 10);
    const g = chain(2);
    g.nodes[1].enabled = false;
    const bypassed = await runGraph(g, { source: src });
    const only = await runGraph({ ...chain(1) }, { source: src });
    expect(difference(bypassed.result, only.result).max).toBe(0);
  });

  /** Renders `graph` from `scene`; returns the draw count and output `read` downloaded. */
  async function renderCounting(graph: GraphSpec, retain: 'none' | 'all', scene: ReturnType<typeof createImage>, read: string) {
    const e = await engine();
    const runner = e.runner(graph, retain);
    try {
      runner.setExternal('source', toGpu(e, scene));
      const px = e.download(runner.run().get(read)!, WORKING, 'float32');
      return { draws: runner.lastRun.draws, image: { width: px.width, height: px.height, data: Float64Array.from(px.data) } };
    } finally {
      runner.dispose();
    }
  }
  // A dark ring on a light backdrop, so a key has a piece, a band and a backdrop.
  const ringScene = () =>
    createImage(64, 48, (x, y) => {
      const r = Math.hypot(x - 32, y - 24);
      return r > 10 && r < 15 ? [0.1, 0.08, 0.05, 1] : [0.8, 0.8, 0.78, 1];
    });

  it('a pass skips outputs nobody reads: the keyer without its matte, colour and shadow draws less and gives the same trimap', async () => {
    const scene = ringScene();
    const key = (outputs: Record<string, string>): GraphSpec => ({ version: 1, nodes: [{ id: 'key', pass: 'background.key', inputs: { image: '$source' } }], outputs });
    const trimapOnly = await renderCounting(key({ trimap: 'key:trimap' }), 'none', scene, 'trimap');
    const every = await renderCounting(key({ trimap: 'key:trimap', alpha: 'key:alpha', foreground: 'key:foreground', shadow: 'key:shadow' }), 'none', scene, 'trimap');
    // The preview's cache (retain "all") skips them too: a view asks for them when it shows them.
    const cached = await renderCounting(key({ trimap: 'key:trimap' }), 'all', scene, 'trimap');
    console.log(`background.key draws: trimap only ${trimapOnly.draws}, every output ${every.draws}, trimap only with retain all ${cached.draws}`);
    expect(trimapOnly.draws).toBeLessThan(every.draws);
    expect(cached.draws).toBe(trimapOnly.draws);
    expect(difference(trimapOnly.image, every.image).max).toBe(0);
    expect(trimapOnly.image.data.some((v, i) => i % 4 === 0 && v === 1)).toBe(true);
  });

  it('the preview cache draws a skipped output when a view first asks for it, then keeps it', async () => {
    const e = await engine();
    const graph: GraphSpec = {
      version: 1,
      nodes: [
        { id: 'key', pass: 'background.key', inputs: { image: '$source' } },
        { id: 'tone', pass: 'color.convert', params: { exposure: 0.2 }, inputs: { image: 'key:trimap' } },
      ],
      outputs: { result: 'tone', alpha: 'key:alpha' },
    };
    const runner = e.runner(graph, 'all');
    try {
      runner.setExternal('source', toGpu(e, ringScene()));
      runner.run({ outputs: ['result'] });
      const firstDraws = runner.lastRun.draws;
      const alpha = e.download(runner.run({ outputs: ['alpha'] }).get('alpha')!, WORKING, 'float32');
      // Only the keyer runs again, for its matte; the downstream node is reused.
      expect(runner.lastRun.nodesRun).toEqual(['key']);
      expect(runner.lastRun.nodesReused).toEqual([]);
      const alphaDraws = runner.lastRun.draws;
      runner.run({ outputs: ['result'] });
      expect(runner.lastRun.draws).toBe(0);
      runner.run({ outputs: ['alpha'] });
      expect(runner.lastRun.draws).toBe(0);
      console.log(`preview cache: trimap path ${firstDraws} draws, first alpha view ${alphaDraws}, flipping back and forth 0`);
      const fresh = await renderCounting(graph, 'none', ringScene(), 'alpha');
      expect(difference(alpha, fresh.image).max).toBe(0);
    } finally {
      runner.dispose();
    }
  });

  it('notes come from the nodes of the latest run, stay with a cached node and go when it runs without one', async () => {
    const e = await engine();
    const shot = ringShot(true);
    const graph: GraphSpec = { ...keyAlphaGraph(), nodes: [...keyAlphaGraph().nodes, { id: 'tone', pass: 'color.convert', params: { exposure: 0.2 }, inputs: { image: '$source' } }], outputs: { result: 'key:alpha', tone: 'tone' } };
    const runner = e.runner(graph, 'all');
    const read = (img: GpuImage) => e.download(img, WORKING, 'float32').data;
    try {
      runner.setExternal('source', e.upload(shot));
      runner.run({ outputs: ['result'] });
      expect(runner.notes(read)).toEqual([expect.stringMatching(/^node "key": .*kept the whole frame/)]);
      runner.run({ outputs: ['result'] });
      expect(runner.lastRun.nodesReused).toEqual(['key']);
      expect(runner.notes(read)).toHaveLength(1);
      // A run that does not reach the keyer reports nothing of it.
      runner.run({ outputs: ['tone'] });
      expect(runner.notes(read)).toEqual([]);
      runner.setParam('key', 'maxEdgeCover', 1);
      runner.run({ outputs: ['result'] });
      expect(runner.lastRun.nodesRun).toEqual(['key']);
      expect(runner.notes(read)).toEqual([]);
    } finally {
      runner.dispose();
    }
  });

  it('glare.flatten draws its inspection outputs only when read, with the same result', async () => {
    const scene = ringScene();
    const glare = (outputs: Record<string, string>): GraphSpec => ({ version: 1, nodes: [{ id: 'glare', pass: 'glare.flatten', params: { veil: 0.4 }, inputs: { image: '$source' } }], outputs });
    const resultOnly = await renderCounting(glare({ result: 'glare' }), 'none', scene, 'result');
    const every = await renderCounting(glare({ result: 'glare', mask: 'glare:mask', base: 'glare:base', sparkle: 'glare:sparkle', veil: 'glare:veil' }), 'none', scene, 'result');
    console.log(`glare.flatten draws: result only ${resultOnly.draws}, every output ${every.draws}`);
    expect(every.draws - resultOnly.draws).toBe(4); // three apply draws and the veil difference
    expect(difference(resultOnly.image, every.image).max).toBe(0);
  });

  it('an optional external left out leaves its input unconnected; given later, the node that reads it runs again', async () => {
    const e = await engine();
    const graph = (mask?: string): GraphSpec => ({
      version: 1,
      nodes: [
        { id: 'blur', pass: 'blur.gaussian', params: { sigma: 1.5 }, inputs: { image: '$source' } },
        { id: 'sharpen', pass: 'detail.sharpen', params: { amount: 2, threshold: 0 }, inputs: { image: 'blur', ...(mask ? { mask } : {}) } },
      ],
      outputs: { result: 'sharpen', blurred: 'blur' },
    });
    const scene = noise(64, 48, 7);
    const render = (g: GraphSpec, mask?: CpuImage) => {
      const runner = e.runner(g, 'none');
      runner.setExternal('source', toGpu(e, scene));
      if (mask) runner.setExternal('mask', toGpu(e, mask));
      const out = runner.run();
      const px = { result: e.download(out.get('result')!, WORKING, 'float32'), blurred: e.download(out.get('blurred')!, WORKING, 'float32') };
      runner.dispose();
      return px;
    };
    const unmasked = render(graph());
    const absent = render(graph('$mask?'));
    expect(maxAbs(absent.result.data, unmasked.result.data)).toBe(0);
    // A mask of 0 everywhere: no sharpening, so the result is the blurred image.
    const nowhere = render(graph('$mask?'), createImage(64, 48));
    expect(maxAbs(nowhere.result.data, nowhere.blurred.data)).toBeLessThan(1e-6);
    expect(maxAbs(unmasked.result.data, unmasked.blurred.data)).toBeGreaterThan(0.01);

    // Two readers of one optional external in batch mode (which hands the external to its first reader): both get it.
    const twice: GraphSpec = {
      version: 1,
      nodes: [
        { id: 'first', pass: 'detail.sharpen', params: { amount: 2, threshold: 0 }, inputs: { image: '$source', mask: '$mask?' } },
        { id: 'second', pass: 'detail.sharpen', params: { amount: 2, threshold: 0 }, inputs: { image: 'first', mask: '$mask?' } },
      ],
      outputs: { result: 'second' },
    };
    const batch = e.runner(twice, 'none');
    batch.setExternal('source', toGpu(e, scene));
    batch.setExternal('mask', toGpu(e, createImage(64, 48)));
    const sourceOnGpu = toGpu(e, scene);
    const source = e.download(sourceOnGpu, WORKING, 'float32');
    sourceOnGpu.release();
    // A mask of 0 in both: neither sharpens, so the result is the source up to float rounding through two draws
    // (4e-6; with the mask lost at the second reader it is sharpened, 0.43 off).
    expect(maxAbs(e.download(batch.run().get('result')!, WORKING, 'float32').data, source.data)).toBeLessThan(1e-4);
    batch.dispose();

    const live = e.runner(graph('$mask?'), 'all');
    live.setExternal('source', toGpu(e, scene));
    live.run();
    expect(live.lastRun.nodesRun).toEqual(['blur', 'sharpen']);
    live.run();
    expect(live.lastRun.nodesRun).toEqual([]);
    live.setExternal('mask', toGpu(e, createImage(64, 48)));
    const masked = e.download(live.run().get('result')!, WORKING, 'float32');
    expect(live.lastRun.nodesRun).toEqual(['sharpen']);
    expect(maxAbs(masked.data, nowhere.result.data)).toBe(0);
    live.removeExternal('mask');
    const unmaskedAgain = e.download(live.run().get('result')!, WORKING, 'float32');
    expect(live.lastRun.nodesRun).toEqual(['sharpen']);
    expect(maxAbs(unmaskedAgain.data, unmasked.result.data)).toBe(0);
    live.dispose();
  });

  it('a missing external image is a clear error', async () => {
    const e = await engine();
    const runner = e.runner(chain(2), 'none');
    expect(() => runner.run()).toThrow(/external image "\$source"/);
  });

  it('a broken shader edit reports file and line and keeps the last good shader', async () => {
    const e = await engine();
    const name = 'core/resample';
    const good = e.shaders.text(name);
    // The line sits below an #include, so the reported line must be the file's, not the expanded source's.
    const broken = good.replace('u_output_size);', 'u_output_size) * undefinedThing;');
    expect(broken).not.toBe(good);
    let err: unknown;
    try {
      e.editShader(name, broken);
    } catch (x) {
      err = x;
    }
    expect(err).toBeInstanceOf(ShaderCompileError);
    const line = broken.split('\n').findIndex((l) => l.includes('undefinedThing')) + 1;
    expect((err as ShaderCompileError).file).toBe('shaders/core/resample.frag');
    expect((err as ShaderCompileError).line).toBe(line);
    expect((err as Error).message).toContain('undefinedThing');
    expect(e.shaders.text(name)).toBe(good);
  });

  it('a working shader edit re-renders the nodes that use it', async () => {
    const e = await engine();
    const runner = e.runner(chain(3), 'all');
    runner.setExternal('source', toGpu(e, noise(16, 16)));
    runner.run();
    const name = 'core/color_convert';
    const original = e.shaders.text(name);
    e.editShader(name, original.replace('gl_FragColor = c;', 'gl_FragColor = c * 0.5;'));
    try {
      runner.run();
      expect(runner.lastRun.nodesRun).toEqual(['n1', 'n2']);
    } finally {
      e.editShader(name, original);
      runner.dispose();
    }
  });
});

describe('shader library', () => {
  it('expands each chunk once per shader, so a chunk can include the chunks it uses', () => {
    const library = new ShaderLibrary({
      'chunks/a.glsl': 'float a() { return 1.0; }',
      'chunks/b.glsl': '#include "chunks/a"\nfloat b() { return a(); }',
      'x.frag': '#include "chunks/b"\n#include "chunks/a"\nvoid main() { gl_FragColor = vec4(b()); }',
    });
    const { source, lineMap } = library.resolve('x');
    expect(source.split('float a()').length - 1).toBe(1);
    // a's definition comes before b's, which uses it, and is mapped to its own file.
    const lines = source.split('\n');
    const aLine = lines.indexOf('float a() { return 1.0; }');
    expect(aLine).toBeLessThan(lines.indexOf('float b() { return a(); }'));
    expect(lineMap[aLine]).toEqual({ file: 'shaders/chunks/a.glsl', line: 1 });
  });

  it('still reports an include cycle', () => {
    const library = new ShaderLibrary({ 'chunks/a.glsl': '#include "chunks/b"', 'chunks/b.glsl': '#include "chunks/a"', 'x.frag': '#include "chunks/a"' });
    expect(() => library.resolve('x')).toThrow(/include cycle: x.frag -> chunks\/a.glsl -> chunks\/b.glsl -> chunks\/a.glsl/);
  });
});
