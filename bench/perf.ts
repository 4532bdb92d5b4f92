/**
 * Performance benchmark of Loupe in headless-gl, with sharp and OpenCV.js
 * timed in the same process on the same image (issue 3, part 3).
 *
 *   npm run bench:perf [-- --sizes 1,6,24] [--runs N] [--json out.json] [--quick]
 *                          [--no-opencv] [--opencv-max-mp 24] [--warmups 1] [--budget-s 10] [--max-run-s 30] [--filter REGEX]
 *
 * For each size: upload and readback, every registered pass alone (one-node
 * graph, default params), every preset in src/presets plus a 10-pass core
 * chain (batch render, then full vs incremental re-render with retain "all"),
 * peak pool memory, and the peer operations with ratios ours/peer. Also the
 * engine-core figure of issue 2: Gaussian blur sigma 8 at 2048x2048 vs
 * sharp.blur(8). Method and caveats: docs/benchmarks.md, "Performance".
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { cpus, loadavg, totalmem } from 'node:os';
import { execFileSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { getHeadlessEngine } from '../src/node/headless.js';
import type { Engine } from '../src/engine/engine.js';
import type { GpuImage } from '../src/gpu/texture-pool.js';
import type { GraphSpec, ParamValue } from '../src/graph/types.js';
import { loadPresetsFromDir } from '../src/api/presets.js';
import { makeTestImage } from './perf-lib/test-image.js';
import { CostPredictor, type Timing, type TimingPlan } from './perf-lib/timing.js';
import { coreChain, oneNodeGraph, timeGraph, timeIncremental, timeReadback, timeUpload, type GraphTiming, type IncrementalTiming } from './perf-lib/gpu.js';
import { describeOpenCvError, loadOpenCv, OpenCvImages, timeSharp, type OpenCv } from './perf-lib/peers.js';
import { BLUR_SIGMA, comparisons } from './perf-lib/comparisons.js';
import { fmtMb, fmtMs, fmtRatio, table } from './perf-lib/report.js';

/** The named sizes: 3:2 like most camera sensors. */
const NAMED_SIZES: Record<string, [number, number]> = { '1': [1224, 816], '6': [3000, 2000], '24': [6000, 4000] };
const ISSUE2_SIZE: [number, number] = [2048, 2048];
const BYTES_PER_TEXEL = { float: 16, 'half float': 8, uint8: 4 } as const;

const { values: args } = parseArgs({
  options: {
    sizes: { type: 'string', default: '1,6,24' },
    runs: { type: 'string' },
    json: { type: 'string', default: 'bench-results/perf.json' },
    quick: { type: 'boolean', default: false },
    'no-opencv': { type: 'boolean', default: false },
    'opencv-max-mp': { type: 'string', default: '24' },
    warmups: { type: 'string', default: '1' },
    'budget-s': { type: 'string', default: '10' },
    'max-run-s': { type: 'string', default: '30' },
    filter: { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});
if (args.help) {
  console.log(
    'usage: npm run bench:perf -- [--sizes 1,6,24|WxH,...] [--runs N] [--warmups N] [--json path] [--quick] [--no-opencv] [--opencv-max-mp MP]\n' +
      '                             [--budget-s S] [--max-run-s S] [--filter REGEX]\n' +
      '  --runs       timed runs per measurement (default 3 at <= 2 MP, 2 at <= 8 MP, 1 above)\n' +
      '  --budget-s   stop adding runs to a measurement after this many seconds (at least 1 run)\n' +
      '  --max-run-s  at a larger size, skip what the smaller size predicts to take longer than this per run\n' +
      '  --filter     only passes, presets and peers whose name matches',
  );
  process.exit(0);
}

function parseSize(s: string): [number, number] {
  const named = NAMED_SIZES[s.trim()];
  if (named) return named;
  const m = /^(\d+)x(\d+)$/.exec(s.trim());
  if (!m) throw new Error(`--sizes: "${s}" is neither one of ${Object.keys(NAMED_SIZES).join(', ')} (megapixels) nor WIDTHxHEIGHT`);
  return [Number(m[1]), Number(m[2])];
}
function nonNegative(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!(n >= 0) || v.trim() === '') throw new Error(`--${name} must be a number >= 0, got "${v}"`);
  return n;
}

const sizes = (args.quick ? ['1'] : args.sizes!.split(',')).map(parseSize);
const runsOverride = nonNegative('runs', args.runs);
const warmups = nonNegative('warmups', args.warmups)!;
const budgetMs = nonNegative('budget-s', args['budget-s'])! * 1000;
const opencvMaxMp = nonNegative('opencv-max-mp', args['opencv-max-mp'])!;
const predictor = new CostPredictor(nonNegative('max-run-s', args['max-run-s'])! * 1000);
const filter = args.filter ? new RegExp(args.filter) : undefined;

/** Fewer runs on big images keep the benchmark's duration bounded on 2 shared cores. */
function planFor(megapixels: number): TimingPlan {
  const runs = Math.max(1, runsOverride ?? (megapixels <= 2 ? 3 : megapixels <= 8 ? 2 : 1));
  return { warmups, runs, budgetMs };
}

const progress = (msg: string) => process.stderr.write(`[perf ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);
const errorText = (e: unknown) => (e instanceof Error ? e.message.split('\n')[0] : String(e));

/** A measurement that did not happen says why: an error, or a skip predicted too slow. */
type Outcome = GraphTiming | { error: string } | { skipped: string };
interface PassResult extends Partial<GraphTiming> {
  type: string;
  params: Record<string, ParamValue>;
  error?: string;
  skipped?: string;
}
interface GraphResult extends Partial<GraphTiming> {
  name: string;
  nodes: number;
  error?: string;
  skipped?: string;
  incremental?: IncrementalTiming | { skipped: string } | { error: string };
}
interface PeerRow {
  operation: string;
  ours?: { type: string; note: string; medianMs?: number; error?: string; skipped?: string };
  peer: string;
  peerMs?: number;
  peerError?: string;
  peerSkipped?: string;
  ratioPassOnly?: number;
  ratioEndToEnd?: number;
}
interface SizeResult {
  width: number;
  height: number;
  megapixels: number;
  plan: TimingPlan;
  skippedGpu?: string;
  imageGenerationMs: number;
  upload?: Timing;
  readback?: Timing;
  passes: PassResult[];
  graphs: GraphResult[];
  peers: PeerRow[];
}

const engine = await getHeadlessEngine();
const machine = {
  date: new Date().toISOString(),
  commit: gitCommit(),
  cpu: cpus()[0]?.model ?? 'unknown',
  cores: cpus().length,
  memoryGiB: +(totalmem() / 2 ** 30).toFixed(1),
  node: process.version,
  glRenderer: engine.caps.renderer,
  glVersion: String(engine.gl.getParameter(engine.gl.VERSION)),
  // ANGLE hides the renderer; under Xvfb this says whether NVIDIA's GLX (the GPU) or Mesa's (llvmpipe) renders.
  glxVendor: process.env.__GLX_VENDOR_LIBRARY_NAME ?? "the X server's",
  textureFormat: engine.caps.format,
  maxTextureSize: engine.caps.maxTextureSize,
  sharp: sharp.versions,
  loadAverageAtStart: loadavg().map((x) => +x.toFixed(2)),
  loadAverageAtEnd: [] as number[],
};
progress(`${machine.cpu}, ${machine.cores} cores, node ${machine.node}, GL "${machine.glRenderer}" (${machine.glVersion}), GLX vendor ${machine.glxVendor}, max texture ${machine.maxTextureSize}, load ${machine.loadAverageAtStart.join(' ')}`);

let opencv: { cv: OpenCv; loadMs: number } | undefined;
let opencvStatus = 'disabled by --no-opencv';
if (!args['no-opencv']) {
  try {
    opencv = await loadOpenCv();
    opencvStatus = `loaded in ${opencv.loadMs.toFixed(0)} ms`;
  } catch (e) {
    opencvStatus = `failed to load: ${errorText(e)}`;
  }
  progress(`OpenCV.js ${opencvStatus}`);
}

function gitCommit(): string {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return 'unknown';
  }
}

const bytesPerImage = (w: number, h: number) => w * h * BYTES_PER_TEXEL[engine.caps.format];

/** Times a graph unless predicted too slow at this size; `key` names it for the predictor. */
async function timeOne(key: string, graph: GraphSpec, source: GpuImage, plan: TimingPlan): Promise<Outcome> {
  const pixels = source.width * source.height;
  const skipped = predictor.skipReason(key, pixels);
  if (skipped) return { skipped };
  try {
    const r = await timeGraph(engine, graph, source, plan);
    predictor.record(key, pixels, r.timing.medianMs);
    return r;
  } catch (e) {
    engine.renderer.pool.trim();
    return { error: errorText(e) };
  }
}

/** Times a peer operation unless predicted too slow; errors (e.g. WASM out of memory) are returned, not thrown. */
async function timePeer(label: string, pixels: number, fn: () => Promise<Timing>): Promise<{ ms?: number; error?: string; skipped?: string }> {
  const skipped = predictor.skipReason(`peer ${label}`, pixels);
  if (skipped) return { skipped };
  try {
    const t = await fn();
    predictor.record(`peer ${label}`, pixels, t.medianMs);
    return { ms: t.medianMs };
  } catch (e) {
    return { error: describeOpenCvError(e) };
  }
}

const outcomeText = (r: Outcome) => ('error' in r ? `ERROR ${r.error}` : 'skipped' in r ? r.skipped : `${fmtMs(r.timing.medianMs)} ms`);

async function benchSize(width: number, height: number): Promise<SizeResult> {
  const megapixels = (width * height) / 1e6;
  const plan = planFor(megapixels);
  const label = `${width}x${height}`;
  const t0 = performance.now();
  const pixels = makeTestImage(width, height);
  const result: SizeResult = { width, height, megapixels, plan, imageGenerationMs: performance.now() - t0, passes: [], graphs: [], peers: [] };
  progress(`${label}: test image generated in ${result.imageGenerationMs.toFixed(0)} ms`);

  /** Our timings by pass and params, so a comparison reuses a measurement made for the pass table. */
  const oursCache = new Map<string, Outcome>();
  const cacheKey = (type: string, params: Record<string, ParamValue>) => `${type} ${JSON.stringify(params)}`;
  const max = engine.caps.maxTextureSize;
  let source: GpuImage | undefined;
  if (width > max || height > max) {
    result.skippedGpu = `${label} exceeds this GPU's maximum texture size ${max}x${max}: Loupe cannot render it in one piece`;
    progress(result.skippedGpu);
  } else {
    const px = { width, height, data: pixels };
    result.upload = await timeUpload(engine, px, plan);
    source = engine.upload(px);
    result.readback = await timeReadback(engine, source, plan);
    progress(`${label}: upload ${fmtMs(result.upload.medianMs)} ms, readback ${fmtMs(result.readback.medianMs)} ms`);

    for (const pass of engine.registry.list()) {
      if (filter && !filter.test(pass.type)) continue;
      const key = cacheKey(pass.type, {});
      const r = await timeOne(key, oneNodeGraph(pass), source, plan);
      oursCache.set(key, r);
      result.passes.push({ type: pass.type, params: {}, ...r });
      progress(`${label}: ${pass.type} ${outcomeText(r)}`);
    }

    const { presets, problems } = loadPresetsFromDir();
    for (const p of problems) result.graphs.push({ name: p.source, nodes: 0, error: `preset does not load: ${p.message}` });
    const graphs: [string, GraphSpec][] = [...[...presets.values()].map((p): [string, GraphSpec] => [`preset ${p.name}`, p.graph]), ['core chain of 10', coreChain(10)]];
    for (const [name, graph] of graphs) {
      if (filter && !filter.test(name)) continue;
      const r = await timeOne(name, graph, source, plan);
      const g: GraphResult = { name, nodes: graph.nodes.length, ...r };
      if ('timing' in r) {
        try {
          g.incremental = await timeIncremental(engine, graph, source, plan);
        } catch (e) {
          engine.renderer.pool.trim();
          g.incremental = { error: errorText(e) };
        }
      }
      result.graphs.push(g);
      progress(`${label}: ${name} ${outcomeText(r)}`);
    }
  }

  const cvImages = makeOpenCvImages(width, height, megapixels, pixels);
  const endToEndExtra = result.upload && result.readback ? result.upload.medianMs + result.readback.medianMs : undefined;
  for (const c of comparisons(engine.registry)) {
    if (filter && !filter.test(c.operation) && !c.ours.some((o) => filter.test(o.type))) continue;
    const ours: PeerRow['ours'][] = [];
    if (c.ours.length === 0) ours.push(undefined);
    for (const cand of c.ours) {
      if (!source) {
        ours.push({ type: cand.type, note: cand.note, error: result.skippedGpu });
        continue;
      }
      const key = cacheKey(cand.type, cand.params);
      let r = oursCache.get(key);
      if (!r) {
        r = await timeOne(key, oneNodeGraph(engine.registry.get(cand.type)!, cand.params), source, plan);
        oursCache.set(key, r);
      }
      ours.push({ type: cand.type, note: cand.note, ...('timing' in r ? { medianMs: r.timing.medianMs } : r) });
    }
    const peerTimes: { peer: string; ms?: number; error?: string; skipped?: string }[] = [];
    for (const s of c.sharp) peerTimes.push({ peer: s.label, ...(await timePeer(s.label, width * height, () => timeSharp(pixels, width, height, s.op, plan))) });
    for (const o of c.opencv) {
      if (typeof cvImages === 'string') peerTimes.push({ peer: o.label, error: cvImages });
      else peerTimes.push({ peer: o.label, ...(await timePeer(o.label, width * height, () => cvImages.time(o.channels, o.op, plan))) });
    }
    for (const o of ours)
      for (const p of peerTimes) {
        const oursMs = o?.medianMs;
        result.peers.push({
          operation: c.operation,
          ours: o,
          peer: p.peer,
          peerMs: p.ms,
          peerError: p.error,
          peerSkipped: p.skipped,
          ratioPassOnly: oursMs !== undefined && p.ms ? oursMs / p.ms : undefined,
          ratioEndToEnd: oursMs !== undefined && p.ms && endToEndExtra !== undefined ? (oursMs + endToEndExtra) / p.ms : undefined,
        });
      }
    // The figures go into the progress line too, so a run stopped by a time limit keeps them.
    const timed = (name: string, t: { medianMs?: number; ms?: number; error?: string; skipped?: string } | undefined) => {
      const ms = t?.medianMs ?? t?.ms;
      return `${name} ${ms !== undefined ? `${fmtMs(ms)} ms` : (t?.error ?? t?.skipped ?? '-')}`;
    };
    progress(`${label}: peers for ${c.operation}: ${[...ours.map((o) => timed(o?.type ?? 'ours', o)), ...peerTimes.map((p) => timed(p.peer, p))].join('; ')}`);
  }
  if (typeof cvImages !== 'string') cvImages.delete();
  source?.release();
  engine.renderer.pool.trim();
  return result;
}

function makeOpenCvImages(width: number, height: number, megapixels: number, pixels: Uint8Array): OpenCvImages | string {
  if (!opencv) return `OpenCV.js ${opencvStatus}`;
  if (megapixels > opencvMaxMp) return `skipped: ${megapixels.toFixed(1)} MP is above --opencv-max-mp ${opencvMaxMp}`;
  try {
    return new OpenCvImages(opencv.cv, width, height, pixels);
  } catch (e) {
    const why = `could not hold a ${width}x${height} image in OpenCV.js: ${describeOpenCvError(e)}`;
    progress(why);
    return why;
  }
}

/** Issue 2's figure: blur.gaussian sigma 8 at 2048x2048 vs sharp.blur(8), same image, same run. */
async function issue2Figure() {
  const [width, height] = ISSUE2_SIZE;
  const plan = planFor((width * height) / 1e6);
  const pixels = makeTestImage(width, height);
  const source = engine.upload({ width, height, data: pixels });
  try {
    const ours = await timeGraph(engine, oneNodeGraph(engine.registry.get('blur.gaussian')!, { sigma: BLUR_SIGMA }), source, plan);
    const peer = await timeSharp(pixels, width, height, (s) => s.blur(BLUR_SIGMA), plan);
    return { width, height, sigma: BLUR_SIGMA, ours: ours.timing, draws: ours.draws, sharp: peer, ratio: ours.timing.medianMs / peer.medianMs };
  } finally {
    source.release();
    engine.renderer.pool.trim();
  }
}

function printSize(r: SizeResult): void {
  const mp = r.megapixels;
  const full = bytesPerImage(r.width, r.height);
  console.log(`\n=== ${r.width}x${r.height} (${mp.toFixed(1)} MP), median of up to ${r.plan.runs} runs after ${r.plan.warmups} warm-up ===`);
  if (r.skippedGpu) console.log(`GPU: ${r.skippedGpu}`);
  if (r.upload && r.readback)
    console.log(
      `upload (8-bit sRGB -> linear premultiplied float): ${fmtMs(r.upload.medianMs)} ms (${fmtMs(r.upload.medianMs / mp)} ms/MP)\n` +
        `readback (float -> 8-bit sRGB, incl. encode draw): ${fmtMs(r.readback.medianMs)} ms (${fmtMs(r.readback.medianMs / mp)} ms/MP)`,
    );
  const reason = (x: { error?: string; skipped?: string }) => x.skipped ?? `error: ${x.error}`;
  if (r.passes.length) {
    console.log('\nPasses alone (one-node graph, default params; peak = pool bytes of one run incl. the source texture, and in full-size textures):');
    console.log(
      table(
        ['pass', 'median ms', 'ms/MP', 'min-max ms', 'runs', 'draws', 'peak MB', 'peak tex', 'note'],
        r.passes.map((p) =>
          !p.timing
            ? [p.type, 'n/a', 'n/a', '-', '-', '-', '-', '-', reason(p)]
            : [p.type, fmtMs(p.timing.medianMs), fmtMs(p.timing.medianMs / mp), `${fmtMs(p.timing.minMs)}-${fmtMs(p.timing.maxMs)}`, p.timing.samplesMs.length, p.draws!, fmtMb(p.peakBytes), (p.peakBytes! / full).toFixed(1), ''],
        ),
      ),
    );
  }
  if (r.graphs.length) {
    console.log('\nWhole graphs (batch = full render, retain "none"; incr. = re-render with retain "all" after one param change of the output node):');
    console.log(
      table(
        ['graph', 'nodes', 'batch ms', 'ms/MP', 'peak MB', 'incr. ms', 'incr/batch', 'rerun', 'peak MB (all)', 'changed param / note'],
        r.graphs.map((g) => {
          if (!g.timing) return [g.name, g.nodes, 'n/a', 'n/a', '-', '-', '-', '-', '-', reason(g)];
          const inc = g.incremental;
          const base = [g.name, g.nodes, fmtMs(g.timing.medianMs), fmtMs(g.timing.medianMs / mp), fmtMb(g.peakBytes)];
          if (!inc || 'skipped' in inc || 'error' in inc) return [...base, '-', '-', '-', '-', inc ? ('skipped' in inc ? `skipped: ${inc.skipped}` : `error: ${inc.error}`) : '-'];
          return [
            ...base,
            fmtMs(inc.incremental.medianMs),
            fmtRatio(inc.incremental.medianMs / g.timing.medianMs),
            `${inc.nodesRerun}/${inc.nodesTotal}`,
            fmtMb(inc.peakBytesRetainAll),
            `${inc.node}.${inc.param} ${JSON.stringify(inc.values[0])}<->${JSON.stringify(inc.values[1])}`,
          ];
        }),
      ),
    );
  }
  console.log('\nPeers (ratio < 1: Loupe faster; "e2e" adds our upload + readback to our pass time):');
  console.log(
    table(
      ['operation', 'ours', 'ours ms', 'peer', 'peer ms', 'ours/peer', 'e2e/peer', 'note'],
      r.peers.map((p) => {
        const notes = [p.ours && !p.ours.medianMs ? `ours ${reason(p.ours)}` : '', p.peerMs === undefined ? `peer ${reason({ error: p.peerError, skipped: p.peerSkipped })}` : ''];
        return [
          p.operation,
          p.ours ? `${p.ours.type} (${p.ours.note})` : 'no pass of ours in the registry',
          fmtMs(p.ours?.medianMs),
          p.peer,
          fmtMs(p.peerMs),
          fmtRatio(p.ratioPassOnly),
          fmtRatio(p.ratioEndToEnd),
          notes.filter(Boolean).join('; '),
        ];
      }),
    ),
  );
}

const started = performance.now();
const results: SizeResult[] = [];
for (const [w, h] of sizes) {
  const r = await benchSize(w, h);
  results.push(r);
  printSize(r);
}
let issue2: Awaited<ReturnType<typeof issue2Figure>> | { error: string } | undefined;
if (!args.quick) {
  try {
    issue2 = await issue2Figure();
    console.log(
      `\nIssue 2 figure, ${ISSUE2_SIZE.join('x')}: blur.gaussian sigma ${BLUR_SIGMA} ${fmtMs(issue2.ours.medianMs)} ms (${issue2.draws} draws) ` +
        `vs sharp.blur(${BLUR_SIGMA}) ${fmtMs(issue2.sharp.medianMs)} ms: ratio ours/sharp ${fmtRatio(issue2.ratio)}`,
    );
  } catch (e) {
    issue2 = { error: errorText(e) };
    console.log(`\nIssue 2 figure: error ${issue2.error}`);
  }
}
machine.loadAverageAtEnd = loadavg().map((x) => +x.toFixed(2));
const totalS = (performance.now() - started) / 1000;
console.log(
  `\nMachine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, node ${machine.node}, GL "${machine.glRenderer}" ${machine.glVersion}, ` +
    `${machine.textureFormat} textures, max ${machine.maxTextureSize}; sharp ${machine.sharp.sharp} (libvips ${machine.sharp.vips}); OpenCV.js ${opencvStatus}; ` +
    `load average ${machine.loadAverageAtStart.join(' ')} at start, ${machine.loadAverageAtEnd.join(' ')} at end; total ${totalS.toFixed(0)} s`,
);

mkdirSync(dirname(args.json!), { recursive: true });
writeFileSync(args.json!, JSON.stringify({ machine, opencv: opencvStatus, options: { ...args, sizes: sizes.map(([w, h]) => `${w}x${h}`) }, totalSeconds: totalS, sizes: results, issue2 }, null, 2));
console.log(`JSON: ${args.json}`);
process.exit(0);
