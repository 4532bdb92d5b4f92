import { describe, it, expect } from 'vitest';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createLoupe } from '../src/api/loupe.js';
import { softenGraph } from './helpers/test-graphs.js';
import { imageFile } from './helpers/image-files.js';

const WARMUP_IMAGES = 50;
const BATCH_IMAGES = 200;
const CHECKPOINT_EVERY = 10;
/** Checkpoints whose median is a level: one reading is at the mercy of a malloc arena or V8 page grown just then. */
const CHECKPOINTS_PER_LEVEL = 3;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

describe('memory over a long batch', () => {
  it('keeps RSS flat (within 10%), retains no result and leaks no GPU texture over 200 consecutive images', async () => {
    // createLoupe turns libvips' operation cache off (its default): with it on, RSS creeps up to the cache's cap.
    const loupe = await createLoupe();
    const graph = loupe.prepareGraph(softenGraph());
    const images = await Promise.all([0, 1, 2, 3].map((seed) => imageFile(128, 96, 'png', { seed })));
    const pool = loupe.engine.renderer.pool;
    // A forced full GC before each reading, so garbage not yet collected does not read as growth.
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const nextTurn = () => new Promise((resolve) => setImmediate(resolve));
    const rssAfterGc = async () => {
      await nextTurn(); // WeakRefs made in the current job are only cleared after it
      gc();
      // sharp's Buffers are native memory, freed by finalizers that Node runs on a later turn, not in gc():
      // read before them and the last images' pixels count as growth.
      await nextTurn();
      return process.memoryUsage().rss;
    };
    // Every returned Buffer is watched: one still alive after a GC is a result somebody kept.
    const results: WeakRef<Buffer>[] = [];
    const one = async (i: number) => {
      const r = await loupe.retouch(images[i % images.length], { graph, dump: ['blur'] });
      expect(r.width).toBe(128);
      results.push(new WeakRef(r.buffer), new WeakRef(r.dumps.blur));
    };

    // Warm-up: shader compilation, pool free lists, V8 and malloc heaps reaching their working size.
    const warmup: number[] = [];
    for (let i = 0; i < WARMUP_IMAGES; i++) {
      await one(i);
      if ((i + 1) % CHECKPOINT_EVERY === 0) warmup.push(await rssAfterGc());
    }
    const liveAfterWarmup = pool.snapshot().live;
    const batch: number[] = [];
    for (let i = 0; i < BATCH_IMAGES; i++) {
      await one(i);
      if ((i + 1) % CHECKPOINT_EVERY === 0) batch.push(await rssAfterGc());
    }

    // The start level is centred 10 images before the batch (warm-up checkpoints 30, 40, 50), the end level on
    // its image 190 (checkpoints 180, 190, 200): exactly 200 images apart. A leak of L bytes per image raises the
    // end level by 200 L: with RSS near 200 MiB, 10% fails any leak over ~100 KiB per image (1 MiB per image: +200 MiB).
    const start = median(warmup.slice(-CHECKPOINTS_PER_LEVEL));
    const end = median(batch.slice(-CHECKPOINTS_PER_LEVEL));
    const growth = end / start - 1;
    const mib = (b: number) => (b / 2 ** 20).toFixed(1);
    const stillAlive = results.filter((r) => r.deref() !== undefined).length;
    console.log(
      `RSS level after warm-up ${mib(start)} MiB, after ${BATCH_IMAGES} more images ${mib(end)} MiB: growth ${(growth * 100).toFixed(1)}%; GPU images live ${pool.snapshot().live} (after warm-up ${liveAfterWarmup}); results still alive ${stillAlive} of ${results.length} ` +
        `(every ${CHECKPOINT_EVERY} images: ${[...warmup, ...batch].map(mib).join(', ')} MiB)`,
    );
    // Every GpuImage a run takes goes back to the pool: a leak of one per image would show as +200.
    expect(pool.snapshot().live).toBe(liveAfterWarmup);
    // Retaining each image's result would leave 2 x 250 alive, however small the images are.
    expect(stillAlive).toBe(0);
    // The bound: RSS flat within 10% over the 200 images.
    expect(growth).toBeLessThan(0.1);
  });
});
