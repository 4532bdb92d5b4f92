import { createImage, type CpuImage } from '../cpu/image.js';

/**
 * Masks follow the engine convention: the red channel holds 0..1. Metric
 * functions take them as per-pixel weights (soft masks weight pixels
 * fractionally); these helpers build the binary regions the benchmark uses.
 */

export function maskValue(mask: CpuImage, pixel: number): number {
  return mask.data[pixel * 4];
}

function maskFrom(like: { width: number; height: number }, value: (pixel: number) => number): CpuImage {
  const out = createImage(like.width, like.height);
  for (let p = 0; p < like.width * like.height; p++) {
    const v = value(p);
    out.data.set([v, v, v, 1], p * 4);
  }
  return out;
}

export function checkSameSize(a: { width: number; height: number }, b: { width: number; height: number }, what: string): void {
  if (a.width !== b.width || a.height !== b.height) throw new RangeError(`${what}: size mismatch ${a.width}x${a.height} vs ${b.width}x${b.height}`);
}

/** 1 where the mask is above `level`, else 0. */
export function thresholdMask(mask: CpuImage, level: number): CpuImage {
  return maskFrom(mask, (p) => (maskValue(mask, p) > level ? 1 : 0));
}

export function invertMask(mask: CpuImage): CpuImage {
  return maskFrom(mask, (p) => 1 - maskValue(mask, p));
}

/** Pixel-wise maximum of several masks of the same size. */
export function unionMasks(first: CpuImage, ...rest: CpuImage[]): CpuImage {
  for (const m of rest) checkSameSize(first, m, 'unionMasks');
  return maskFrom(first, (p) => Math.max(maskValue(first, p), ...rest.map((m) => maskValue(m, p))));
}

/** Pixel-wise a AND NOT b for binary masks (a * (1 - b) for soft ones). */
export function subtractMask(a: CpuImage, b: CpuImage): CpuImage {
  checkSameSize(a, b, 'subtractMask');
  return maskFrom(a, (p) => maskValue(a, p) * (1 - maskValue(b, p)));
}

export function maskFromPredicate(like: { width: number; height: number }, inside: (pixel: number) => boolean): CpuImage {
  return maskFrom(like, (p) => (inside(p) ? 1 : 0));
}

/**
 * Distance in pixels from every pixel to the nearest pixel where mask > level
 * (0 inside), by the two-pass 3-4 chamfer transform: within 8% of Euclidean,
 * plenty for defining bands a few pixels wide. Infinity when the mask is empty.
 */
export function distanceToMask(mask: CpuImage, level = 0.5): Float64Array {
  const { width: w, height: h } = mask;
  const d = new Float64Array(w * h);
  for (let p = 0; p < w * h; p++) d[p] = maskValue(mask, p) > level ? 0 : Infinity;
  const relax = (p: number, x: number, y: number, dx: number, dy: number, cost: number) => {
    const nx = x + dx;
    const ny = y + dy;
    if (nx < 0 || ny < 0 || nx >= w || ny >= h) return;
    const v = d[ny * w + nx] + cost;
    if (v < d[p]) d[p] = v;
  };
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const p = y * w + x;
      relax(p, x, y, -1, 0, 3);
      relax(p, x, y, -1, -1, 4);
      relax(p, x, y, 0, -1, 3);
      relax(p, x, y, 1, -1, 4);
    }
  for (let y = h - 1; y >= 0; y--)
    for (let x = w - 1; x >= 0; x--) {
      const p = y * w + x;
      relax(p, x, y, 1, 0, 3);
      relax(p, x, y, 1, 1, 4);
      relax(p, x, y, 0, 1, 3);
      relax(p, x, y, -1, 1, 4);
    }
  for (let p = 0; p < w * h; p++) d[p] /= 3;
  return d;
}

/** Binary mask grown by `radius` pixels (chamfer distance <= radius). */
export function dilateMask(mask: CpuImage, radius: number, level = 0.5): CpuImage {
  const d = distanceToMask(mask, level);
  return maskFromPredicate(mask, (p) => d[p] <= radius);
}

/** Pixels at distance in (inner, outer] from the mask: a band around it. */
export function bandAroundMask(mask: CpuImage, inner: number, outer: number, level = 0.5): CpuImage {
  const d = distanceToMask(mask, level);
  return maskFromPredicate(mask, (p) => d[p] > inner && d[p] <= outer);
}

/** 8-connected components of mask > level, each as a list of pixel indices. */
export function connectedComponents(mask: CpuImage, level = 0.5): number[][] {
  const { width: w, height: h } = mask;
  const seen = new Uint8Array(w * h);
  const components: number[][] = [];
  for (let start = 0; start < w * h; start++) {
    if (seen[start] || maskValue(mask, start) <= level) continue;
    const pixels: number[] = [];
    const stack = [start];
    seen[start] = 1;
    while (stack.length) {
      const p = stack.pop()!;
      pixels.push(p);
      const x = p % w;
      const y = (p - x) / w;
      for (let dy = -1; dy <= 1; dy++)
        for (let dx = -1; dx <= 1; dx++) {
          const nx = x + dx;
          const ny = y + dy;
          if (nx < 0 || ny < 0 || nx >= w || ny >= h) continue;
          const q = ny * w + nx;
          if (!seen[q] && maskValue(mask, q) > level) {
            seen[q] = 1;
            stack.push(q);
          }
        }
    }
    components.push(pixels);
  }
  return components;
}
