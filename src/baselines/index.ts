/**
 * CPU baselines the quality benchmark scores beside Loupe's graphs, so every
 * figure has a reference: doing nothing, Photoshop-style Dust & Scratches, a
 * plain chroma key and the textbook unsharp mask.
 */
import { createImage, type CpuImage } from '../cpu/image.js';

export * from './dust-and-scratches.js';
export * from './chroma-key.js';
export * from './unsharp-mask.js';

/** The "do nothing" reference: the raw image itself. */
export function doNothing(raw: CpuImage): CpuImage {
  return { width: raw.width, height: raw.height, data: raw.data.slice() };
}

/** The "do nothing" matte: everything is foreground. */
export function opaqueMatte(like: { width: number; height: number }): CpuImage {
  return createImage(like.width, like.height, () => [1, 1, 1, 1]);
}
