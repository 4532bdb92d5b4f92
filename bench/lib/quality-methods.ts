/**
 * The methods the quality benchmark compares on each task: "none", the CPU
 * baselines, and render graphs (the presets in src/presets/ and any graph
 * file given on the command line).
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CpuImage } from '../../src/cpu/image.js';
import type { Engine } from '../../src/engine/engine.js';
import type { GraphSpec } from '../../src/graph/types.js';
import { chromaKey, doNothing, opaqueMatte, tuneDustAndScratches, unsharpMask } from '../../src/baselines/index.js';
import { fromDisplay, psnr, toDisplay } from '../../src/metrics/index.js';
import type { QualityCase, Task } from './quality-cases.js';

export interface MethodOutput {
  /** Linear light, straight alpha. */
  result: CpuImage;
  /** Matte (alpha in the red channel), for keying methods. */
  alpha?: CpuImage;
  /** Straight foreground colour (linear) when the method cuts the piece out. */
  foreground?: CpuImage;
  /** Settings chosen per case (tuned baselines). */
  params?: Record<string, number>;
}

export interface Method {
  name: string;
  run(c: QualityCase): Promise<MethodOutput>;
}

const none: Method = {
  name: 'none',
  run: async (c) => ({ result: doNothing(c.raw), alpha: c.task === 'keying' ? opaqueMatte(c.raw) : undefined }),
};

/**
 * Dust & Scratches tuned on each case for its best overall PSNR against the
 * ground truth: the best this baseline could ever do on that image.
 */
const medianTuned: Method = {
  name: 'median D&S (tuned)',
  async run(c) {
    const truth = toDisplay(c.truth);
    const tuned = await tuneDustAndScratches(toDisplay(c.raw), (res) => psnr(res, truth));
    return { result: fromDisplay(tuned.result), params: { ...tuned.params } };
  },
};

const chroma: Method = {
  name: 'chroma key',
  async run(c) {
    const { alpha, foreground } = chromaKey(toDisplay(c.raw));
    return { result: doNothing(c.raw), alpha, foreground: fromDisplay(foreground) };
  },
};

/** The textbook unsharp mask at the `sharpen` preset's amount and radius, with no threshold and no overshoot limit. */
const plainUnsharpMask: Method = {
  name: 'unsharp mask (plain)',
  run: async (c) => ({ result: fromDisplay(unsharpMask(toDisplay(c.raw), 1, 1.5)), params: { amount: 1, radius: 1.5 } }),
};

export const BASELINES: Record<Task, Method[]> = {
  restoration: [none, medianTuned],
  glare: [none],
  lighting: [none],
  keying: [none, chroma],
  sharpening: [none, plainUnsharpMask],
};

/** Presets expected per task (src/presets/<name>.json); missing ones are skipped with a note. */
export const TASK_PRESETS: Record<Task, string[]> = {
  restoration: ['imperfections', 'frequency'],
  glare: ['glare', 'glare-whole-frame'],
  lighting: ['lighting'],
  keying: ['cutout'],
  sharpening: ['sharpen'],
};

export const PRESETS_DIR = fileURLToPath(new URL('../../src/presets/', import.meta.url));

export function readGraph(path: string): GraphSpec {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as GraphSpec;
  } catch (e) {
    throw new Error(`cannot read graph ${path}: ${(e as Error).message}`);
  }
}

/** Loads the presets that exist for a task; `notes` collects the missing ones. */
export function presetMethods(engine: Engine, task: Task, notes: string[]): Method[] {
  const methods: Method[] = [];
  for (const name of TASK_PRESETS[task]) {
    const path = `${PRESETS_DIR}${name}.json`;
    if (!existsSync(path)) {
      notes.push(`${task}: preset "${name}" not found (src/presets/${name}.json), skipped`);
      continue;
    }
    methods.push(graphMethod(engine, `preset ${name}`, readGraph(path), task));
  }
  return methods;
}

const WORKING = { transfer: 'linear', alpha: 'premultiplied' } as const;
const LINEAR_STRAIGHT = { transfer: 'linear', alpha: 'straight' } as const;

function toCpu(px: { width: number; height: number; data: ArrayLike<number> }): CpuImage {
  return { width: px.width, height: px.height, data: Float64Array.from(px.data) };
}

/** Runs a graph once: `raw` goes in as $source (linear, premultiplied float); the named outputs come back as linear, straight-alpha float. */
export function renderGraph(engine: Engine, graph: GraphSpec, raw: CpuImage, outputs: string[]): Record<string, CpuImage> {
  const runner = engine.runner(graph, 'none');
  try {
    runner.setExternal('source', engine.upload({ width: raw.width, height: raw.height, data: Float32Array.from(raw.data) }, WORKING));
    const images = runner.run({ outputs });
    return Object.fromEntries(outputs.map((name) => [name, toCpu(engine.download(images.get(name)!, LINEAR_STRAIGHT, 'float32'))]));
  } finally {
    runner.dispose();
  }
}

/**
 * Runs a graph on a case: "result" (and "alpha" if the graph has it, for
 * keying). A result with real transparency is a cut-out, so its colour is
 * the method's foreground.
 */
export function graphMethod(engine: Engine, name: string, graph: GraphSpec, task: Task): Method {
  engine.validate(graph);
  if (!graph.outputs.result) throw new Error(`graph "${name}" has no "result" output`);
  return {
    name,
    async run(c) {
      const { result, alpha } = renderGraph(engine, graph, c.raw, task === 'keying' && graph.outputs.alpha ? ['result', 'alpha'] : ['result']);
      let transparent = false;
      for (let i = 3; i < result.data.length && !transparent; i += 4) transparent = result.data[i] < 0.999;
      return { result, alpha, foreground: transparent ? result : undefined };
    },
  };
}

export function graphFileMethod(engine: Engine, path: string, task: Task): Method {
  return graphMethod(engine, `graph ${basename(path)}`, readGraph(path), task);
}
