import type { GpuImage } from '../../gpu/texture-pool.js';
import type { DrawOptions } from '../../gpu/renderer.js';

/** The part of a pass context (or the renderer itself) that GPU helpers need. */
export interface Drawer {
  draw(opts: DrawOptions): GpuImage;
  release(img: GpuImage): void;
}

/** Sums an image down to 1x1 by exact 2x2 steps (shaders/core/reduce_sum.frag); releases the input. */
export function sumToPixel(d: Drawer, image: GpuImage): GpuImage {
  let cur = image;
  while (cur.width > 1 || cur.height > 1) {
    const next = d.draw({ shader: 'core/reduce_sum', inputs: { u_image: cur }, width: Math.ceil(cur.width / 2), height: Math.ceil(cur.height / 2) });
    d.release(cur);
    cur = next;
  }
  return cur;
}

/** Halves the size with the anti-aliased [1 3 3 1] kernel (shaders/core/downsample.frag). */
export function downsample2x(d: Drawer, img: GpuImage): GpuImage {
  return d.draw({
    shader: 'core/downsample',
    inputs: { u_image: img },
    width: Math.max(1, Math.ceil(img.width / 2)),
    height: Math.max(1, Math.ceil(img.height / 2)),
  });
}

/**
 * Halves several images of one size together, `levels` times, releasing the
 * intermediate levels (never the inputs). With 0 levels it returns the inputs.
 */
export function downsampleTogether(d: Drawer, images: GpuImage[], levels: number): GpuImage[] {
  let cur = images;
  for (let l = 0; l < levels; l++) {
    const next = cur.map((img) => downsample2x(d, img));
    cur.forEach((img, i) => img !== images[i] && d.release(img));
    cur = next;
  }
  return cur;
}

/** Runs steps in sequence, releasing intermediates (never the input). */
export function chain(d: Drawer, img: GpuImage, steps: ((cur: GpuImage) => GpuImage)[]): GpuImage {
  let cur = img;
  for (const step of steps) {
    const next = step(cur);
    if (cur !== img) d.release(cur);
    cur = next;
  }
  return cur;
}

/** `levels` halvings keeping each 2x2 block's maximum (shaders/core/max_down.frag); with 0 levels, the input. */
export function blockMaxima(d: Drawer, img: GpuImage, levels: number): GpuImage {
  const half = (c: GpuImage) => d.draw({ shader: 'core/max_down', inputs: { u_image: c }, width: Math.ceil(c.width / 2), height: Math.ceil(c.height / 2) });
  return chain(d, img, Array.from({ length: levels }, () => half));
}

/** Bilinear resample to width x height (shaders/core/resample.frag). */
export function resample(d: Drawer, img: GpuImage, width: number, height: number): GpuImage {
  return d.draw({ shader: 'core/resample', inputs: { u_image: img }, uniforms: { u_output_size: [width, height] }, width, height });
}

/**
 * Resizes for previews: halving steps while the target is at most half the
 * current size (no aliasing of fine chains), then one bilinear step.
 * Returns a new image; the input is untouched.
 */
export function resizeImage(d: Drawer, img: GpuImage, width: number, height: number): GpuImage {
  let cur = img;
  while (cur.width >= 2 * width && cur.height >= 2 * height) {
    const next = downsample2x(d, cur);
    if (cur !== img) d.release(cur);
    cur = next;
  }
  const out = resample(d, cur, width, height);
  if (cur !== img) d.release(cur);
  return out;
}
