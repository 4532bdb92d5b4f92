import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'puppeteer';
import { getHeadlessEngine } from '../../src/node/headless.js';
import { createDefaultRegistry } from '../../src/passes/index.js';
import type { PassDefinition } from '../../src/passes/types.js';
import type { GraphSpec } from '../../src/graph/types.js';
import type { PixelEncoding } from '../../src/engine/engine.js';
import { startDemoServer, type DemoServer } from './helpers/demo-server.js';
import { decodeBase64, encodeBase64, launchChromium, openDemo } from './helpers/chromium.js';
import { barsOnBlownWhite, discWithSpecks, parityImage, wireOnBlack } from './helpers/images.js';
import glarePreset from '../../src/presets/glare.json' with { type: 'json' };
import { KEEP_FRAME, keepFrameEdgeWidth } from '../../src/passes/background/key.js';

/**
 * Issue 2's browser parity: the same graph on the same 8-bit input, rendered
 * in headless Chromium (SwiftShader WebGL) and in headless-gl (llvmpipe),
 * for every pass registered in this checkout. Outputs are compared as sRGB
 * values with premultiplied alpha, so nearly transparent pixels do not
 * amplify float noise through the unpremultiply division.
 * Tolerance 2/255 per channel: both run float32 intermediates, but
 * SwiftShader's pow/exp/log differ from llvmpipe's by up to ~4e-4 and
 * thresholds (detection masks) may flip at isolated pixels; 2/255 is the
 * issue's acceptance bound, checked as the maximum over every pixel.
 */
const ENCODING: PixelEncoding = { transfer: 'srgb', alpha: 'premultiplied' };
const TOLERANCE = 2 / 255;
const SOURCE = parityImage(160, 120);

/**
 * Defaults that would hide a pass's work on the test image: its matte covers
 * most of the frame's edge, so the keyer's whole-frame check would keep the
 * frame (that check has a case of its own below).
 */
const PARITY_PARAMS: Record<string, Record<string, number>> = { 'background.key': { maxEdgeCover: 1 } };

/** One node of the pass on $source with defaults (but PARITY_PARAMS); optional inputs connected too when `allInputs`. */
function singlePassGraph(pass: PassDefinition, allInputs: boolean): GraphSpec {
  const inputs = Object.fromEntries(pass.inputs.filter((p) => allInputs || !p.optional).map((p) => [p.name, '$source']));
  return {
    version: 1,
    nodes: [{ id: 'n', pass: pass.type, params: PARITY_PARAMS[pass.type] ?? {}, inputs }],
    outputs: Object.fromEntries(pass.outputs.map((o) => [o.name, `n:${o.name}`])),
  };
}

async function renderNode(graph: GraphSpec, source = SOURCE): Promise<Record<string, Float32Array>> {
  const engine = await getHeadlessEngine();
  const runner = engine.runner(graph, 'none');
  try {
    runner.setExternal('source', engine.upload(source));
    const out: Record<string, Float32Array> = {};
    for (const [name, img] of runner.run()) out[name] = engine.download(img, ENCODING, 'float32').data as Float32Array;
    return out;
  } finally {
    runner.dispose();
  }
}

async function renderBrowser(page: Page, graph: GraphSpec, image = SOURCE): Promise<Record<string, Float32Array>> {
  const source = { width: image.width, height: image.height, base64: encodeBase64(image.data as Uint8Array) };
  const out = (await page.evaluate((g, s, e) => (window as any).loupeTest.renderGraph(g, s, e), graph, source, ENCODING)) as Record<string, { base64: string }>;
  return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, decodeBase64<Float32Array>(v.base64, 'float32')]));
}

/** Max and mean absolute difference, and how many values exceed the tolerance (NaN counts as infinitely far). */
function compare(a: Float32Array, b: Float32Array): { max: number; mean: number; over: number } {
  expect(a.length).toBe(b.length);
  let max = 0;
  let sum = 0;
  let over = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Number.isNaN(a[i] - b[i]) ? Infinity : Math.abs(a[i] - b[i]);
    max = Math.max(max, d);
    sum += d;
    if (d > TOLERANCE) over++;
  }
  return { max, mean: sum / a.length, over };
}
const describeDifference = (d: { max: number; mean: number; over: number }) =>
  `${(d.max * 255).toFixed(3)} / ${(d.mean * 255).toFixed(4)}${d.over ? ` (${d.over} values over 2/255)` : ''}`;

const passes = createDefaultRegistry().list();
const cases = passes.flatMap((p) => (p.inputs.some((i) => i.optional) ? [[p, false], [p, true]] : [[p, false]]) as Array<[PassDefinition, boolean]>);
const figures: string[] = [];

describe('browser parity: headless Chromium (SwiftShader) vs headless-gl', () => {
  let server: DemoServer;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    server = await startDemoServer();
    browser = await launchChromium();
    page = await openDemo(browser, `${server.url}?preset=core`);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (figures.length) console.log(`parity, in 1/255 of sRGB premultiplied values (max / mean):\n${figures.join('\n')}`);
  });

  it('the browser build registers the same passes as Node', async () => {
    const inBrowser = (await page.evaluate(() => (window as any).loupeTest.passes())) as Array<{ type: string }>;
    expect(inBrowser.map((p) => p.type).sort()).toEqual(passes.map((p) => p.type).sort());
  });

  it.each(cases.map(([p, all]) => [`${p.type}${all ? ' (all inputs)' : ''}`, p, all] as const))('%s: every output within 2/255', async (_label, pass, all) => {
    const graph = singlePassGraph(pass, all);
    const [node, web] = [await renderNode(graph), await renderBrowser(page, graph)];
    expect(Object.keys(web).sort()).toEqual(Object.keys(node).sort());
    // Every output's figures are reported before any assertion can stop the test.
    const diffs = Object.keys(node).map((name) => [name, compare(node[name], web[name])] as const);
    for (const [name, d] of diffs) figures.push(`  ${pass.type}${all ? '+opt' : ''} ${name}: ${describeDifference(d)}`);
    for (const [name, d] of diffs) expect(d.max, `${pass.type} output "${name}": max difference ${(d.max * 255).toFixed(3)}/255`).toBeLessThanOrEqual(TOLERANCE);
  });

  // Options the single-pass cases leave at their defaults: the glare preset's
  // veil (piece and backdrop share, dark-floor estimate, keyer trimap as
  // matte), the keyer's enclosed-face fill, and its soft-edge bands (the
  // image blurred first, so that its edges are soft).
  it('the glare preset (veil with the backdrop share, also from a blown backdrop), background.key with fillEnclosed and on soft edges within 2/255', async () => {
    const keyFill: GraphSpec = {
      version: 1,
      nodes: [{ id: 'key', pass: 'background.key', params: { ...PARITY_PARAMS['background.key'], fillEnclosed: true }, inputs: { image: '$source' } }],
      outputs: { alpha: 'key:alpha', trimap: 'key:trimap' },
    };
    const keySoft: GraphSpec = {
      version: 1,
      nodes: [
        { id: 'defocus', pass: 'blur.gaussian', params: { sigma: 3 }, inputs: { image: '$source' } },
        { id: 'key', pass: 'background.key', params: PARITY_PARAMS['background.key'], inputs: { image: 'defocus' } },
      ],
      outputs: { alpha: 'key:alpha', trimap: 'key:trimap', softEdges: 'key:softEdges' },
    };
    const cases = [
      // A JSON module's inferred type is its literal shape (params differ per node); the engine validates the graph.
      ['glare preset', glarePreset as unknown as GraphSpec, SOURCE],
      // Its blown-backdrop rule (glare/blown_backdrop and the first step's amount kept): on this image
      // it raises the mean subtracted veil from 0.011 to 0.100 (linear, green; measured in Node).
      ['glare preset, blown backdrop', glarePreset as unknown as GraphSpec, barsOnBlownWhite(160, 120)],
      ['background.key fillEnclosed', keyFill, SOURCE],
      ['background.key soft edges', keySoft, SOURCE],
    ] as const;
    for (const [label, graph, source] of cases) {
      const [node, web] = [await renderNode(graph, source), await renderBrowser(page, graph, source)];
      if (label === 'background.key soft edges') {
        let soft = 0;
        let verySoft = 0;
        for (let i = 0; i < node.softEdges.length; i += 4) [soft, verySoft] = [soft + node.softEdges[i], verySoft + node.softEdges[i + 2]];
        figures.push(`  ${label}: soft ${soft.toFixed(0)} px, very soft ${verySoft.toFixed(0)} px`);
        expect(soft, 'the blurred image has soft edges').toBeGreaterThan(100);
        expect(verySoft, 'and very soft ones').toBeGreaterThan(100);
      }
      const diffs = Object.keys(node).map((name) => [name, compare(node[name], web[name])] as const);
      for (const [name, d] of diffs) figures.push(`  ${label} ${name}: ${describeDifference(d)}`);
      for (const [name, d] of diffs) expect(d.max, `${label} output "${name}"`).toBeLessThanOrEqual(TOLERANCE);
    }
  });

  // The keyer's whole-frame check acting, half way up its ramp: the limit is
  // set just above the share of the frame's edge the test image's matte covers.
  it('background.key with its whole-frame check in the ramp within 2/255', async () => {
    const keyGraph = (maxEdgeCover: number): GraphSpec => ({
      version: 1,
      nodes: [{ id: 'key', pass: 'background.key', params: { maxEdgeCover }, inputs: { image: '$source' } }],
      outputs: { alpha: 'key:alpha', foreground: 'key:foreground', shadow: 'key:shadow' },
    });
    const unchecked = await renderNode(keyGraph(1));
    const edge = keepFrameEdgeWidth(SOURCE.width, SOURCE.height);
    let covered = 0;
    let count = 0;
    for (let y = 0; y < SOURCE.height; y++) {
      for (let x = 0; x < SOURCE.width; x++) {
        if (Math.min(x + 0.5, y + 0.5, SOURCE.width - x - 0.5, SOURCE.height - y - 0.5) >= edge) continue;
        covered += unchecked.alpha[4 * (y * SOURCE.width + x)];
        count++;
      }
    }
    const cover = covered / count;
    figures.push(`  background.key whole-frame check: the matte covers ${(100 * cover).toFixed(1)} % of the edge`);
    const graph = keyGraph(Math.min(1, Math.max(0.1, cover + KEEP_FRAME.ramp / 2)));
    const [node, web] = [await renderNode(graph), await renderBrowser(page, graph)];
    const diffs = Object.keys(node).map((name) => [name, compare(node[name], web[name])] as const);
    for (const [name, d] of diffs) figures.push(`  background.key whole-frame check ${name}: ${describeDifference(d)}`);
    for (const [name, d] of diffs) expect(d.max, `output "${name}"`).toBeLessThanOrEqual(TOLERANCE);
  });

  // A near-black backdrop, which the default test image never reaches: the
  // keyer's backdrop test clips there, and the guided filter's covariance
  // beside a bright wire is nearly rank one (solved by cofactors, headless-gl
  // and Chromium disagreed by a whole alpha at 2280 values).
  it('background.key on a wire on black within 2/255', async () => {
    const wire = wireOnBlack(96, 96);
    const graph: GraphSpec = {
      version: 1,
      nodes: [{ id: 'key', pass: 'background.key', inputs: { image: '$source' } }],
      outputs: { alpha: 'key:alpha', trimap: 'key:trimap', foreground: 'key:foreground' },
    };
    const [node, web] = [await renderNode(graph, wire), await renderBrowser(page, graph, wire)];
    let covered = 0;
    for (let i = 0; i < node.alpha.length; i += 4) covered += node.alpha[i];
    figures.push(`  background.key on black: matte sum ${covered.toFixed(0)} px`);
    expect(covered, 'the wire is keyed').toBeGreaterThan(500);
    const diffs = Object.keys(node).map((name) => [name, compare(node[name], web[name])] as const);
    for (const [name, d] of diffs) figures.push(`  background.key on black ${name}: ${describeDifference(d)}`);
    for (const [name, d] of diffs) expect(d.max, `output "${name}"`).toBeLessThanOrEqual(TOLERANCE);
  });

  // Specks far from the piece are islands the keyer takes out of the matte (islands.ts): pooling, box growth, the gap and the per-pixel rule.
  it('background.key taking far specks out of the matte within 2/255', async () => {
    const { image, far, near } = discWithSpecks(160, 120);
    const graph: GraphSpec = {
      version: 1,
      nodes: [{ id: 'key', pass: 'background.key', params: { islandSize: 12, islandGap: 8 }, inputs: { image: '$source' } }],
      outputs: { alpha: 'key:alpha', foreground: 'key:foreground' },
    };
    const [node, web] = [await renderNode(graph, image), await renderBrowser(page, graph, image)];
    const alphaAt = ([x, y]: number[]) => node.alpha[(y * 160 + x) * 4];
    figures.push(`  background.key islands: alpha at the far specks ${far.map((p) => alphaAt(p).toFixed(3)).join(', ')}, beside the disc ${alphaAt(near).toFixed(3)}`);
    for (const p of far) expect(alphaAt(p), 'a far speck is taken out').toBeLessThan(0.01);
    expect(alphaAt(near), 'the speck beside the disc stays').toBeGreaterThan(0.5);
    const diffs = Object.keys(node).map((name) => [name, compare(node[name], web[name])] as const);
    for (const [name, d] of diffs) figures.push(`  background.key islands ${name}: ${describeDifference(d)}`);
    for (const [name, d] of diffs) expect(d.max, `output "${name}"`).toBeLessThanOrEqual(TOLERANCE);
  });

  it('a chain of the core passes (tone -> blur -> blend, proxy scale 0.5 included) within 2/255', async () => {
    const graph: GraphSpec = {
      version: 1,
      nodes: [
        { id: 'tone', pass: 'color.convert', params: { exposure: 0.7, saturation: 1.4 }, inputs: { image: '$source' } },
        { id: 'soft', pass: 'blur.gaussian', params: { sigma: 9 }, inputs: { image: 'tone' } },
        { id: 'mix', pass: 'math.blend', params: { mode: 'screen', weightB: 0.6 }, inputs: { a: 'tone', b: 'soft', mask: '$source' } },
      ],
      outputs: { result: 'mix', soft: 'soft' },
    };
    const [node, web] = [await renderNode(graph), await renderBrowser(page, graph)];
    for (const name of ['result', 'soft']) {
      const d = compare(node[name], web[name]);
      figures.push(`  core chain ${name}: ${describeDifference(d)}`);
      expect(d.max).toBeLessThanOrEqual(TOLERANCE);
    }
  });
});
