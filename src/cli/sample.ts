/**
 * The built-in sample: a generated raw product shot (src/generator) with its
 * ground-truth layers, for `loupe sample` and `loupe retouch --sample`.
 */
import type { Engine } from '../engine/engine.js';
import type { Shot, ShotOptions } from '../generator/types.js';
import { encodeImage, formatFromPath, writeFileAtomic } from '../node/image-io.js';
import { OptionError } from '../api/errors.js';

interface Generator {
  generateShot(engine: Engine, opts: ShotOptions): Shot | Promise<Shot>;
  writeShot(shot: Shot, dir: string): unknown;
}

/** The generator module, loaded on demand: only `sample` and `--sample` need it. */
async function loadGenerator(): Promise<Generator> {
  const specifier = '../generator/index.js';
  try {
    return (await import(specifier)) as Generator;
  } catch (e) {
    throw new Error(`the shot generator (src/generator/index.ts) could not be loaded: ${(e as Error).message}`);
  }
}

export interface SampleOptions {
  seed: number;
  /** Folder for the ground-truth layers (clean, alpha, backdrop, masks). */
  truthDir?: string;
}

/** Generates the built-in sample shot and writes its raw image (8-bit sRGB, format from the extension). */
export async function writeSample(engine: Engine, outFile: string, opts: SampleOptions): Promise<Shot> {
  const format = formatFromPath(outFile);
  if (!format) throw new OptionError(`cannot tell the image format of "${outFile}" (use .png, .jpg, .webp or .tif)`);
  const generator = await loadGenerator();
  const shot = await generator.generateShot(engine, { seed: opts.seed, subject: 'set' });
  // The generator works in linear light; files are sRGB.
  const gpu = engine.upload({ width: shot.width, height: shot.height, data: Float32Array.from(shot.raw.data) }, { transfer: 'linear', alpha: 'premultiplied' });
  let pixels;
  try {
    pixels = engine.download(gpu, { transfer: 'srgb', alpha: 'straight' }, 'uint8');
  } finally {
    gpu.release();
  }
  await writeFileAtomic(outFile, await encodeImage(pixels, { format, alpha: false }));
  if (opts.truthDir) await generator.writeShot(shot, opts.truthDir);
  return shot;
}
