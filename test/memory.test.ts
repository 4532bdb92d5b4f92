import { describe, it, expect } from 'vitest';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createLoupe } from '../src/api/loupe.js';
import { softenGraph } from './helpers/test-graphs.js';
import { imageFile } from './helpers/image-files.js';

describe('memory over a long batch', () => {
  it('keeps RSS flat (within 10%) and leaks no GPU texture over 200 consecutive images', async () => {
    const loupe = await createLoupe();
    const graph = loupe.prepareGraph(softenGraph());
    const images = await Promise.all([0, 1, 2, 3].map((seed) => imageFile(128, 96, 'png', { seed })));
    const pool = loupe.engine.renderer.pool;
    // A forced full GC before each reading, so garbage not yet collected does not read as growth.
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const one = async (i: number) => {
      const r = await loupe.retouch(images[i % images.length], { graph, dump: ['blur'] });
      expect(r.width).toBe(128);
    };
    // Warm-up: shader compilation, pool free lists, and libvips' operation cache (sharp keeps up to 100 recent
    // operations; each image adds about four), so 50 images leave it full before measuring.
    for (let i = 0; i < 50; i++) await one(i);
    gc();
    const liveAfterWarmup = pool.snapshot().live;
    const rssAfterWarmup = process.memoryUsage().rss;
    const samples: number[] = [];
    for (let i = 0; i < 200; i++) {
      await one(i);
      if (i % 50 === 49) {
        gc();
        samples.push(process.memoryUsage().rss);
      }
    }
    // Every GpuImage a run takes goes back to the pool: a leak of one per image would show as +200.
    expect(pool.snapshot().live).toBe(liveAfterWarmup);
    const growth = Math.max(...samples) / rssAfterWarmup - 1;
    console.log(`RSS after warm-up ${(rssAfterWarmup / 2 ** 20).toFixed(1)} MiB; every 50 images: ${samples.map((s) => (s / 2 ** 20).toFixed(1)).join(', ')} MiB; max growth ${(growth * 100).toFixed(1)}%`);
    expect(growth).toBeLessThan(0.1);
  });
});
