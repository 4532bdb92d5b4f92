/**
 * Loupe's side of the performance benchmark: upload, readback, one-node
 * graphs per pass, whole graphs, incremental re-render and peak pool memory.
 *
 * Timing: draws are queued asynchronously, so every timed region ends with
 * gl.finish(), which in headless-gl blocks until the GPU (llvmpipe) is done.
 * Runners are built outside the timed region; a sample covers run() + finish.
 */
import { FILE_ENCODING, type Engine, type PixelBuffer } from '../../src/engine/engine.js';
import type { GraphRunner } from '../../src/engine/runner.js';
import type { GpuImage } from '../../src/gpu/texture-pool.js';
import { externalNames, parseRef, type GraphSpec, type NodeSpec, type ParamValue } from '../../src/graph/types.js';
import type { PassDefinition } from '../../src/passes/types.js';
import { measure, type Timing, type TimingPlan } from './timing.js';

export interface GraphTiming {
  timing: Timing;
  /** Draw calls of one run. */
  draws: number;
  /** Highest pool bytes during one run from an empty free list, source image included. */
  peakBytes: number;
}

export interface IncrementalTiming {
  node: string;
  param: string;
  values: [ParamValue, ParamValue];
  /** Render after changing `param` of `node` (retain "all": only that node and its dependants run). */
  incremental: Timing;
  nodesRerun: number;
  nodesTotal: number;
  /** Peak pool bytes of the retain-"all" runner (every node output cached). */
  peakBytesRetainAll: number;
}

const finish = (engine: Engine) => engine.gl.finish();

/**
 * A pass alone: every required input reads the source image (the benchmark
 * times the pass, not the meaning of its inputs), optional inputs stay empty.
 */
export function oneNodeGraph(pass: PassDefinition, params: Record<string, ParamValue> = {}): GraphSpec {
  const inputs: Record<string, string> = {};
  for (const port of pass.inputs) if (!port.optional) inputs[port.name] = '$source';
  return { version: 1, nodes: [{ id: 'node', pass: pass.type, params, inputs }], outputs: { out: 'node' } };
}

/** Every external gets a new reference to the one source image: the runner's release never frees it. */
function feed(runner: GraphRunner, graph: GraphSpec, source: GpuImage): void {
  for (const name of externalNames(graph, 'required')) runner.setExternal(name, source.retain());
}

/**
 * Times a graph as a batch render (retain "none"). The first run starts from
 * an empty pool free list, so it allocates everything the graph needs: its
 * peak pool bytes is the graph's memory footprint. It doubles as warm-up.
 */
export async function timeGraph(engine: Engine, graph: GraphSpec, source: GpuImage, plan: TimingPlan): Promise<GraphTiming> {
  const pool = engine.renderer.pool;
  pool.trim();
  pool.resetPeak();
  let draws = 0;
  const once = (): number => {
    const runner = engine.runner(graph, 'none');
    feed(runner, graph, source);
    const t0 = performance.now();
    runner.run();
    finish(engine);
    const ms = performance.now() - t0;
    draws = runner.lastRun.draws;
    runner.dispose();
    return ms;
  };
  const first = once();
  const peakBytes = pool.snapshot().peakBytes;
  const timing = await measure({ ...plan, warmups: Math.max(0, plan.warmups - 1), budgetMs: Math.max(0, plan.budgetMs - first) }, once);
  pool.trim();
  return { timing, draws, peakBytes };
}

/**
 * One parameter of a node and two valid values to alternate between.
 * Prefers a non-spatial number (amount, strength...) so the change does not
 * alter the node's own cost; falls back to any number, boolean or enum.
 */
export function tweakableParam(pass: PassDefinition, current: Record<string, ParamValue>): { param: string; values: [ParamValue, ParamValue] } | undefined {
  const entries = Object.entries(pass.params);
  const numbers = entries.filter(([, s]) => s.type === 'number' || s.type === 'integer');
  const pick = numbers.find(([, s]) => 'unit' in s && s.unit !== 'px') ?? numbers[0];
  if (pick) {
    const [param, s] = pick;
    if (s.type !== 'number' && s.type !== 'integer') throw new Error('unreachable');
    const a = (current[param] as number | undefined) ?? s.default;
    let b = a + 0.1 * (s.max - s.min);
    if (b > s.max) b = a - 0.1 * (s.max - s.min);
    if (s.type === 'integer') b = Math.round(b) === a ? (a + 1 <= s.max ? a + 1 : a - 1) : Math.round(b);
    return { param, values: [a, Math.min(s.max, Math.max(s.min, +b.toPrecision(4)))] };
  }
  for (const [param, s] of entries) {
    if (s.type === 'boolean') {
      const a = (current[param] as boolean | undefined) ?? s.default;
      return { param, values: [a, !a] };
    }
    if (s.type === 'enum' && s.options.length > 1) {
      const a = (current[param] as string | undefined) ?? s.default;
      return { param, values: [a, s.options.find((o) => o !== a)!] };
    }
  }
  return undefined;
}

/**
 * Interactive use: a retain-"all" runner renders the graph once (untimed:
 * it fills the cache, and from an empty pool free list gives the retain-"all"
 * memory footprint), then re-renders after one parameter change of the node
 * feeding the first graph output, alternating two values so every run is a
 * real change. Compare with the batch time of the same graph (a full render).
 */
export async function timeIncremental(engine: Engine, graph: GraphSpec, source: GpuImage, plan: TimingPlan): Promise<IncrementalTiming | { skipped: string }> {
  const outputRef = Object.values(graph.outputs)[0];
  if (outputRef.startsWith('$')) return { skipped: 'the first output is an external image' };
  const nodeId = parseRef(outputRef).name;
  const node = graph.nodes.find((n) => n.id === nodeId)!;
  const pass = engine.registry.get(node.pass)!;
  const tweak = tweakableParam(pass, node.params ?? {});
  if (!tweak) return { skipped: `node "${nodeId}" (${pass.type}) has no parameter to change` };

  const pool = engine.renderer.pool;
  pool.trim();
  pool.resetPeak();
  const runner = engine.runner(graph, 'all');
  try {
    feed(runner, graph, source);
    runner.run();
    finish(engine);
    const peakBytesRetainAll = pool.snapshot().peakBytes;
    let flip = 0;
    const incremental = await measure(plan, (): number => {
      runner.setParam(nodeId, tweak.param, tweak.values[++flip % 2]);
      const t0 = performance.now();
      runner.run();
      finish(engine);
      return performance.now() - t0;
    });
    return {
      node: nodeId,
      param: tweak.param,
      values: tweak.values,
      incremental,
      nodesRerun: runner.lastRun.nodesRun.length,
      nodesTotal: runner.lastRun.nodesRun.length + runner.lastRun.nodesReused.length,
      peakBytesRetainAll,
    };
  } finally {
    runner.dispose();
    pool.trim();
  }
}

/** Upload of 8-bit sRGB straight-alpha RGBA, including the decode to linear premultiplied float. */
export async function timeUpload(engine: Engine, pixels: PixelBuffer, plan: TimingPlan): Promise<Timing> {
  return measure(plan, () => {
    const img = engine.upload(pixels, FILE_ENCODING);
    finish(engine);
    img.release();
  });
}

/** Readback to 8-bit sRGB straight alpha: encode draw, float readPixels, conversion to bytes. */
export async function timeReadback(engine: Engine, img: GpuImage, plan: TimingPlan): Promise<Timing> {
  return measure(plan, () => {
    engine.download(img, FILE_ENCODING, 'uint8');
  });
}

/** A chain of alternating blur and colour passes: the engine-core reference graph (same shape as test/runner.test.ts). */
export function coreChain(length: number): GraphSpec {
  const nodes = Array.from({ length }, (_, i): NodeSpec =>
    i % 2 === 0
      ? { id: `n${i}`, pass: 'blur.gaussian', params: { sigma: 2 }, inputs: { image: i === 0 ? '$source' : `n${i - 1}` } }
      : { id: `n${i}`, pass: 'color.convert', params: { exposure: 0.1 }, inputs: { image: `n${i - 1}` } },
  );
  return { version: 1, name: `core chain of ${length}`, nodes, outputs: { result: `n${length - 1}` } };
}
