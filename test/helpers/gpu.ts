import { getHeadlessEngine } from '../../src/node/headless.js';
import type { Engine, PixelEncoding } from '../../src/engine/engine.js';
import type { GraphSpec } from '../../src/graph/types.js';
import type { CpuImage } from '../../src/cpu/image.js';
import type { RetainPolicy } from '../../src/engine/runner.js';
import type { Renderer } from '../../src/gpu/renderer.js';
import type { GpuImage } from '../../src/gpu/texture-pool.js';

/** Working-space encoding: what the graph computes in, so comparisons skip sRGB rounding. */
export const WORKING: PixelEncoding = { transfer: 'linear', alpha: 'premultiplied' };

export function engine(): Promise<Engine> {
  return getHeadlessEngine();
}

export function toGpu(e: Engine, img: CpuImage) {
  return e.upload({ width: img.width, height: img.height, data: Float32Array.from(img.data) }, WORKING);
}

/** Runs a graph on CPU images (working encoding) and returns every output as float64 images. */
export async function runGraph(
  graph: GraphSpec,
  externals: Record<string, CpuImage>,
  opts: { scale?: number; retain?: RetainPolicy } = {},
): Promise<Record<string, CpuImage>> {
  const e = await engine();
  const runner = e.runner(graph, opts.retain ?? 'none');
  try {
    for (const [name, img] of Object.entries(externals)) runner.setExternal(name, toGpu(e, img));
    const results = runner.run({ scale: opts.scale });
    const out: Record<string, CpuImage> = {};
    for (const [name, img] of results) {
      const px = e.download(img, WORKING, 'float32');
      out[name] = { width: px.width, height: px.height, data: Float64Array.from(px.data) };
    }
    return out;
  } finally {
    runner.dispose();
  }
}

/** Runs GPU helper code (a pass's stage functions) on uploaded CPU images and reads the result back in the working encoding. */
export async function onGpu(images: CpuImage[], fn: (r: Renderer, gpu: GpuImage[]) => GpuImage): Promise<CpuImage> {
  const e = await engine();
  const gpu = images.map((img) => toGpu(e, img));
  try {
    const out = fn(e.renderer, gpu);
    const px = e.download(out, WORKING, 'float32');
    out.release();
    return { width: px.width, height: px.height, data: Float64Array.from(px.data) };
  } finally {
    for (const g of gpu) g.release();
  }
}
