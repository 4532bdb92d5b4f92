/**
 * Preview latency of the live demo after a slider change, at about 1 MP:
 * headless Chromium (SwiftShader WebGL) through the demo's real UI path, and
 * the same graph on headless-gl (llvmpipe) with the same two-runner scheme.
 *
 *   npx tsx bench/preview-latency.ts [--preset frequency|core|<name>] [--runs 7] [--size 1024x1024]
 *
 * Figures (medians over --runs slider moves, alternating two values):
 * - first pixels: proxy render on screen (browser: from the input event, so
 *   including the wait for the next animation frame);
 * - full refinement: browser from the input event (includes the demo's
 *   idle delay before refining) and the full render alone; Node: the full run;
 * - incremental: full re-render after a change to the last node as a
 *   fraction of one after a change to the first node.
 * Every time is taken after a 1-pixel readback, which waits for the GPU.
 * Also: the first full render's draws and the textures the preview then
 * holds (headless-gl pool).
 * Writes bench-results/preview-latency.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { getHeadlessEngine } from '../src/node/headless.js';
import { loadPresetsFromDir } from '../src/api/presets.js';
import { compileGraph } from '../src/graph/compile.js';
import { generateShot } from '../src/generator/index.js';
import { FILE_ENCODING, type Engine, type PixelBuffer } from '../src/engine/engine.js';
import type { GraphSpec } from '../src/graph/types.js';
import type { GraphRunner } from '../src/engine/runner.js';
import type { NumberParam } from '../src/passes/schema.js';
import { CORE_GRAPH } from '../demo/core-graph.js';
import { proxyScale, REFINE_DELAY_MS } from '../demo/preview.js';
import { startDemoServer } from '../test/browser/helpers/demo-server.js';
import { encodeBase64, launchChromium, openDemo } from '../test/browser/helpers/chromium.js';

const { values: args } = parseArgs({
  options: { preset: { type: 'string', default: 'frequency' }, runs: { type: 'string', default: '7' }, size: { type: 'string', default: '1024x1024' } },
});
const runs = Number(args.runs);
const [width, height] = args.size!.split('x').map(Number);

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const ms = (x: number | null) => (x === null ? 'n/a' : `${x.toFixed(1)} ms`);

function loadGraph(name: string): GraphSpec {
  if (name === 'core') return CORE_GRAPH;
  const { presets } = loadPresetsFromDir();
  const p = presets.get(name);
  if (!p) throw new Error(`unknown preset "${name}" (known: core, ${[...presets.keys()].join(', ')})`);
  return p.graph;
}

/** The first number parameter of a node and two valid values to alternate between. */
function sliderOf(engine: Engine, graph: GraphSpec, nodeId: string): { node: string; param: string; values: [number, number] } {
  const pass = engine.registry.get(graph.nodes.find((n) => n.id === nodeId)!.pass)!;
  const entry = Object.entries(pass.params).find(([, s]) => s.type === 'number' || s.type === 'integer');
  if (!entry) throw new Error(`node "${nodeId}" has no numeric parameter to move`);
  const [param, s] = entry as [string, NumberParam];
  const current = (graph.nodes.find((n) => n.id === nodeId)!.params?.[param] as number | undefined) ?? s.default;
  const delta = (s.max - s.min) * 0.02 || 1;
  const other = current + delta <= s.max ? current + delta : current - delta;
  return { node: nodeId, param, values: [current, s.type === 'integer' ? Math.round(other) : other] };
}

async function samplePixels(engine: Engine): Promise<PixelBuffer> {
  const shot = await generateShot(engine, { seed: 1, subject: 'set', width, height });
  const img = engine.upload({ width, height, data: Float32Array.from(shot.raw.data) }, { transfer: 'linear', alpha: 'premultiplied' });
  try {
    return engine.download(img, FILE_ENCODING, 'uint8');
  } finally {
    img.release();
  }
}

function finishNode(engine: Engine, runner: GraphRunner, output: string, scale: number): void {
  const img = runner.run({ scale, outputs: [output] }).get(output)!;
  engine.regl.read({ framebuffer: img.fbo, x: 0, y: 0, width: 1, height: 1, data: img.format === 'float' ? new Float32Array(4) : new Uint8Array(4) });
}

async function benchNode(engine: Engine, graph: GraphSpec, pixels: PixelBuffer, sliders: ReturnType<typeof sliderOf>[]) {
  const output = Object.keys(graph.outputs)[0];
  const scale = proxyScale(width, height);
  const source = engine.upload(pixels);
  const full = engine.runner(graph, 'all');
  const proxy = scale ? engine.runner(graph, 'all') : null;
  full.setExternal('source', source.retain());
  proxy?.setExternal('source', source.retain());
  source.release();
  finishNode(engine, full, output, 1);
  const firstDraws = full.lastRun.draws;
  if (proxy) finishNode(engine, proxy, output, scale!);
  // What the preview holds once it shows its first picture: both runners' caches and the source.
  const pool = engine.renderer.pool.snapshot();
  const held = { textures: pool.live, megabytes: pool.bytes / 2 ** 20, firstDraws };
  const result: Record<string, { proxy: number[]; full: number[]; nodesRun: string[] }> = {};
  for (const s of sliders) {
    const r = (result[s.node] = { proxy: [] as number[], full: [] as number[], nodesRun: [] as string[] });
    for (let i = 0; i < runs; i++) {
      const v = s.values[(i + 1) % 2];
      full.setParam(s.node, s.param, v);
      proxy?.setParam(s.node, s.param, v);
      let t = performance.now();
      if (proxy) {
        finishNode(engine, proxy, output, scale!);
        r.proxy.push(performance.now() - t);
      }
      t = performance.now();
      finishNode(engine, full, output, 1);
      r.full.push(performance.now() - t);
      r.nodesRun = full.lastRun.nodesRun;
    }
  }
  full.dispose();
  proxy?.dispose();
  return { result, held };
}

async function benchBrowser(graph: GraphSpec, pixels: PixelBuffer, sliders: ReturnType<typeof sliderOf>[]) {
  const server = await startDemoServer();
  const browser = await launchChromium();
  try {
    const page = await openDemo(browser, `${server.url}?preset=core&sample=quick`);
    await page.evaluate((p, g) => (window as any).loupeTest.openImage(p, g), { width, height, base64: encodeBase64(pixels.data as Uint8Array) }, graph);
    const result: Record<string, { proxy: number[]; full: number[]; fullRender: number[]; nodesRun: string[] }> = {};
    for (const s of sliders) {
      const r = (result[s.node] = { proxy: [] as number[], full: [] as number[], fullRender: [] as number[], nodesRun: [] as string[] });
      for (let i = 0; i < runs; i++) {
        const m = (await page.evaluate((n, p, v) => (window as any).loupeTest.sliderLatency(n, p, v), s.node, s.param, s.values[(i + 1) % 2])) as {
          proxyMs: number | null;
          fullMs: number;
          fullRenderMs: number;
          full: { stats: { nodesRun: string[] } };
        };
        if (m.proxyMs !== null) r.proxy.push(m.proxyMs);
        r.full.push(m.fullMs);
        r.fullRender.push(m.fullRenderMs);
        r.nodesRun = m.full.stats.nodesRun;
      }
    }
    const renderer = ((await page.evaluate(() => (window as any).loupeTest.caps())) as { renderer: string }).renderer;
    return { renderer, result };
  } finally {
    await browser.close();
    await server.close();
  }
}

const engine = await getHeadlessEngine();
const graph = loadGraph(args.preset!);
const order = compileGraph(graph, engine.registry, [Object.keys(graph.outputs)[0]]).order;
const sliders = [sliderOf(engine, graph, order[0].id), sliderOf(engine, graph, order[order.length - 1].id)];
console.log(`graph "${args.preset}" (${order.map((n) => n.id).join(' -> ')}), ${width}x${height}, proxy scale ${proxyScale(width, height) ?? 'none'}, ${runs} runs each`);
console.log(`sliders: ${sliders.map((s) => `${s.node}.${s.param} ${s.values.join('<->')}`).join(', ')}`);
const pixels = await samplePixels(engine);
const { result: node, held } = await benchNode(engine, graph, pixels, sliders);
const web = await benchBrowser(graph, pixels, sliders);

const [first, last] = sliders.map((s) => s.node);
const lines = [
  `headless-gl (${engine.caps.renderer}):`,
  `  first render: ${held.firstDraws} draws; then held by the preview (runners' caches and the source): ${held.textures} textures, ${held.megabytes.toFixed(1)} MB`,
  ...sliders.map((s) => `  change ${s.node}.${s.param}: first pixels (proxy) ${ms(node[s.node].proxy.length ? median(node[s.node].proxy) : null)}, full render ${ms(median(node[s.node].full))} (re-ran ${node[s.node].nodesRun.join(', ')})`),
  `  incremental: full re-render after ${last} = ${(median(node[last].full) / median(node[first].full)).toFixed(2)} of one after ${first}`,
  `headless Chromium (${web.renderer}), through the demo UI:`,
  ...sliders.map(
    (s) =>
      `  change ${s.node}.${s.param}: first pixels (proxy) ${ms(web.result[s.node].proxy.length ? median(web.result[s.node].proxy) : null)}, full refinement ${ms(median(web.result[s.node].full))} after the input event (incl. ${REFINE_DELAY_MS} ms idle delay), full render alone ${ms(median(web.result[s.node].fullRender))} (re-ran ${web.result[s.node].nodesRun.join(', ')})`,
  ),
  `  incremental: full re-render after ${last} = ${(median(web.result[last].fullRender) / median(web.result[first].fullRender)).toFixed(2)} of one after ${first}`,
];
console.log(lines.join('\n'));
mkdirSync('bench-results', { recursive: true });
writeFileSync('bench-results/preview-latency.json', JSON.stringify({ preset: args.preset, width, height, runs, sliders, held, node, browser: web }, null, 2));
process.exit(0);
