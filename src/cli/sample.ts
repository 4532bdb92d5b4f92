/**
 * The built-in sample: a generated raw product shot (src/generator) with its
 * ground-truth layers, for `loupe sample` and `loupe retouch --sample`.
 */
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Engine } from '../engine/engine.js';
import type { Shot } from '../generator/types.js';
import { generateShot } from '../generator/index.js';
import { writeShot } from '../generator/write.js';
import { encodeImage, formatFromPath, writeFileAtomic } from '../node/image-io.js';
import { OptionError } from '../api/errors.js';

export interface SampleOptions {
  seed: number;
  /** Generator default (1024x768) when absent. */
  width?: number;
  height?: number;
  /** Folder for the ground-truth layers (clean, alpha, backdrop, masks). */
  truthDir?: string;
}

/** Generates the built-in sample shot and writes its raw image (8-bit sRGB, format from the extension). */
export async function writeSample(engine: Engine, outFile: string, opts: SampleOptions): Promise<Shot> {
  const format = formatFromPath(outFile);
  if (!format) throw new OptionError(`cannot tell the image format of "${outFile}" (use .png, .jpg, .webp or .tif)`);
  const shot = await generateShot(engine, { seed: opts.seed, subject: 'set', width: opts.width, height: opts.height });
  // The generator works in linear light; files are sRGB.
  const gpu = engine.upload({ width: shot.width, height: shot.height, data: Float32Array.from(shot.raw.data) }, { transfer: 'linear', alpha: 'premultiplied' });
  let pixels;
  try {
    pixels = engine.download(gpu, { transfer: 'srgb', alpha: 'straight' }, 'uint8');
  } finally {
    gpu.release();
  }
  await mkdir(dirname(outFile), { recursive: true });
  await writeFileAtomic(outFile, await encodeImage(pixels, { format, alpha: false }));
  if (opts.truthDir) await writeShot(shot, opts.truthDir);
  return shot;
}
