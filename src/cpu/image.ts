/**
 * Float64 RGBA images for CPU reference implementations and metrics.
 * These are deliberately naive and independent of the GPU code: tests
 * compare the shaders against them.
 */
export interface CpuImage {
  width: number;
  height: number;
  /** RGBA, row 0 = top, linear values. */
  data: Float64Array;
}

export function createImage(width: number, height: number, fill?: (x: number, y: number) => [number, number, number, number]): CpuImage {
  const data = new Float64Array(width * height * 4);
  if (fill) {
    for (let y = 0; y < height; y++)
      for (let x = 0; x < width; x++) data.set(fill(x, y), (y * width + x) * 4);
  }
  return { width, height, data };
}

export function fromPixels(p: { width: number; height: number; data: ArrayLike<number> }, scale = 1): CpuImage {
  return { width: p.width, height: p.height, data: Float64Array.from(p.data as ArrayLike<number>, (v) => v * scale) };
}

/** Deterministic pseudo-random numbers (mulberry32) so generated test images never change. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Difference {
  max: number;
  mean: number;
}

/** Max and mean absolute difference over all channels (or a channel subset). */
export function difference(a: { data: ArrayLike<number> }, b: { data: ArrayLike<number> }, channels = [0, 1, 2, 3]): Difference {
  if (a.data.length !== b.data.length) throw new Error(`size mismatch: ${a.data.length} vs ${b.data.length} values`);
  let max = 0;
  let sum = 0;
  let n = 0;
  for (let i = 0; i < a.data.length; i += 4) {
    for (const c of channels) {
      const d = Math.abs(a.data[i + c] - b.data[i + c]);
      if (d > max) max = d;
      sum += d;
      n++;
    }
  }
  return { max, mean: sum / n };
}
