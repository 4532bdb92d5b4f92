/**
 * Benchmark cases: a raw image, its ground truth and the masks the scores
 * need, from generated shots and from real photos with synthetic defects.
 * Every image here is linear light, straight alpha, opaque unless stated.
 */
import { readdirSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import sharp from 'sharp';
import { createImage, type CpuImage } from '../../src/cpu/image.js';
import type { Engine } from '../../src/engine/engine.js';
import type { Background, DefectKind, Shot, ShotOptions, Subject } from '../../src/generator/types.js';
import { DEFECT_KINDS } from '../../src/generator/types.js';
import { fromDisplay } from '../../src/metrics/index.js';

export type Task = 'restoration' | 'glare' | 'lighting' | 'keying' | 'sharpening';
export const TASKS: readonly Task[] = ['restoration', 'glare', 'lighting', 'keying', 'sharpening'];

/** The defects each task switches on; every other defect is off so a score measures one thing. */
export const TASK_DEFECTS: Record<Task, DefectKind[]> = {
  restoration: ['dust', 'scratches', 'smudges'],
  glare: ['glare'],
  lighting: ['lighting'],
  keying: ['noise'],
  sharpening: ['noise'],
};

export type CaseMaskName = DefectKind | 'thin' | 'gem' | 'glints';

export interface QualityCase {
  id: string;
  task: Task;
  origin: 'generated' | 'photo';
  raw: CpuImage;
  truth: CpuImage;
  masks: Partial<Record<CaseMaskName, CpuImage>>;
  /** True matte of the piece, where known (generated shots, cutouts). */
  alpha?: CpuImage;
  /** Clean backdrop behind the piece, where known. */
  backdrop?: CpuImage;
  /** True straight foreground colour, where known directly (cutouts). */
  foreground?: CpuImage;
  /** No defect was added: a method should change nothing (restoration only). */
  defectFree?: boolean;
}

/** What the benchmark needs from the shot generator (src/generator/index.ts). */
export interface ShotGenerator {
  generateShot(engine: Engine, opts: ShotOptions): Promise<Shot>;
  addDefects(engine: Engine, image: CpuImage, opts: { seed: number; defects: Partial<Record<DefectKind, boolean>> }): Promise<{ raw: CpuImage; masks: Record<DefectKind, CpuImage> }>;
}

export function defectSwitches(on: readonly DefectKind[]): Record<DefectKind, boolean> {
  return Object.fromEntries(DEFECT_KINDS.map((k) => [k, on.includes(k)])) as Record<DefectKind, boolean>;
}

interface GeneratedSpec {
  task: Task;
  seed: number;
  subject: Subject;
  background: Background;
  defectFree?: boolean;
}

/**
 * The default generated set: a few seeds, subjects and backgrounds per task,
 * small enough for the whole benchmark to run in about four minutes on two
 * CPU cores.
 */
export const GENERATED_CASES: readonly GeneratedSpec[] = [
  { task: 'restoration', seed: 11, subject: 'set', background: 'white' },
  { task: 'restoration', seed: 12, subject: 'ring', background: 'textured' },
  // Two more defect shots so that removal rates count enough defects to compare methods (about 120 specks, 36 scratches).
  { task: 'restoration', seed: 15, subject: 'pendant', background: 'coloured' },
  { task: 'restoration', seed: 16, subject: 'chain', background: 'textured' },
  // Defect-free fine detail (chain strands; metal over a textured backdrop): a method should change nothing.
  { task: 'restoration', seed: 13, subject: 'chain', background: 'white', defectFree: true },
  { task: 'restoration', seed: 14, subject: 'ring', background: 'textured', defectFree: true },
  { task: 'glare', seed: 21, subject: 'ring', background: 'white' },
  { task: 'glare', seed: 22, subject: 'pendant', background: 'coloured' },
  // The other four shots of the set glare changes have been judged on since 2026-11-26 (a set and a pendant on white, a chain on colour, a ring on a textured backdrop).
  { task: 'glare', seed: 23, subject: 'set', background: 'white' },
  { task: 'glare', seed: 24, subject: 'chain', background: 'coloured' },
  { task: 'glare', seed: 25, subject: 'ring', background: 'textured' },
  { task: 'glare', seed: 26, subject: 'pendant', background: 'white' },
  { task: 'lighting', seed: 31, subject: 'set', background: 'white' },
  { task: 'lighting', seed: 32, subject: 'pendant', background: 'coloured' },
  { task: 'keying', seed: 41, subject: 'set', background: 'white' },
  { task: 'keying', seed: 42, subject: 'chain', background: 'white' },
  { task: 'keying', seed: 43, subject: 'ring', background: 'coloured' },
  // Sharpening: sensor noise only, on plain backdrops, so the backdrop far from the piece measures the noise gain.
  { task: 'sharpening', seed: 51, subject: 'set', background: 'white' },
  { task: 'sharpening', seed: 52, subject: 'pendant', background: 'coloured' },
  { task: 'sharpening', seed: 53, subject: 'chain', background: 'white' },
];

/**
 * Cases are yielded one at a time so that a long run holds one case's
 * full-resolution images, not the whole set's.
 */
export async function* generatedCases(generator: ShotGenerator, engine: Engine, size: { width: number; height: number }, specs: readonly GeneratedSpec[] = GENERATED_CASES): AsyncGenerator<QualityCase> {
  for (const spec of specs) {
    const defects = defectSwitches(spec.defectFree ? [] : TASK_DEFECTS[spec.task]);
    const shot = await generator.generateShot(engine, { seed: spec.seed, subject: spec.subject, background: spec.background, defects, ...size });
    yield {
      id: `${spec.subject}-${spec.background}-s${spec.seed}${spec.defectFree ? '-clean' : ''}`,
      task: spec.task,
      origin: 'generated',
      raw: shot.raw,
      truth: shot.clean,
      masks: shot.masks,
      alpha: shot.alpha,
      backdrop: shot.backdrop,
      defectFree: spec.defectFree,
    };
  }
}

const PHOTO_EXTENSIONS = new Set(['.jpg', '.jpeg', '.png', '.webp', '.tif', '.tiff']);

export interface PhotoOptions {
  /** Photos are downscaled to at most this many pixels. */
  maxPixels: number;
  /** Only photos whose file name matches. */
  match?: RegExp;
  /** Use at most this many photos (sorted by name). */
  limit?: number;
  /** Only cases of these tasks (default: all). */
  tasks?: readonly Task[];
}

interface LoadedPhoto {
  name: string;
  /** Linear light, straight alpha. */
  image: CpuImage;
  /** The file has a partly transparent alpha channel: a cutout. */
  cutout: boolean;
}

async function loadPhoto(path: string, maxPixels: number): Promise<LoadedPhoto> {
  const meta = await sharp(path).metadata();
  const rotated = (meta.orientation ?? 1) >= 5;
  const width = rotated ? meta.height! : meta.width!;
  const height = rotated ? meta.width! : meta.height!;
  const scale = Math.min(1, Math.sqrt(maxPixels / (width * height)));
  const { data, info } = await sharp(path)
    .rotate()
    .resize(Math.max(16, Math.round(width * scale)), Math.max(16, Math.round(height * scale)), { fit: 'fill' })
    .toColourspace('srgb')
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  const display = createImage(info.width, info.height);
  for (let i = 0; i < data.length; i++) display.data[i] = data[i] / 255;
  let transparent = 0;
  for (let i = 3; i < data.length; i += 4) if (data[i] < 250) transparent++;
  // A few stray transparent pixels do not make a cutout: at least 1% must be see-through.
  return { name: basename(path, extname(path)), image: fromDisplay(display), cutout: transparent > 0.01 * info.width * info.height };
}

/**
 * Real photos as cases. Each opaque photo gives a restoration, a glare and
 * a lighting case: the generator adds the task's defects to the photo, the
 * photo itself is the ground truth. A cutout (PNG with alpha) is composited
 * over a generated clean backdrop, so its alpha is the true matte: a keying
 * case.
 */
export async function* photoCases(generator: ShotGenerator, engine: Engine, folder: string, opts: PhotoOptions): AsyncGenerator<QualityCase> {
  const files = readdirSync(folder)
    .filter((f) => PHOTO_EXTENSIONS.has(extname(f).toLowerCase()) && (!opts.match || opts.match.test(f)))
    .sort()
    .slice(0, opts.limit);
  if (files.length === 0) throw new Error(`no photos (${[...PHOTO_EXTENSIONS].join(' ')}) in ${folder}`);
  for (const [index, file] of files.entries()) {
    const photo = await loadPhoto(join(folder, file), opts.maxPixels);
    const seed = 1000 + index;
    const wanted = (task: Task) => !opts.tasks || opts.tasks.includes(task);
    if (photo.cutout) {
      if (!wanted('keying')) continue;
      const { width, height } = photo.image;
      const backdrop = (await generator.generateShot(engine, { seed, width, height, subject: 'ring', background: index % 2 ? 'coloured' : 'white', defects: defectSwitches([]) })).backdrop;
      const { composite, alpha } = compositeOver(photo.image, backdrop);
      const { raw } = await generator.addDefects(engine, composite, { seed, defects: defectSwitches(TASK_DEFECTS.keying) });
      yield { id: photo.name, task: 'keying', origin: 'photo', raw, truth: composite, masks: {}, alpha, backdrop, foreground: photo.image };
      continue;
    }
    for (const task of (['restoration', 'glare', 'lighting'] as const).filter(wanted)) {
      const { raw, masks } = await generator.addDefects(engine, photo.image, { seed, defects: defectSwitches(TASK_DEFECTS[task]) });
      yield { id: photo.name, task, origin: 'photo', raw, truth: photo.image, masks };
    }
  }
}

/** Straight-alpha foreground over an opaque backdrop, in linear light: alpha F + (1 - alpha) B. */
export function compositeOver(foreground: CpuImage, backdrop: CpuImage): { composite: CpuImage; alpha: CpuImage } {
  const { width, height } = foreground;
  const composite = createImage(width, height);
  const alpha = createImage(width, height);
  for (let i = 0; i < foreground.data.length; i += 4) {
    const a = foreground.data[i + 3];
    for (let c = 0; c < 3; c++) composite.data[i + c] = a * foreground.data[i + c] + (1 - a) * backdrop.data[i + c];
    composite.data[i + 3] = 1;
    alpha.data.set([a, a, a, 1], i);
  }
  return { composite, alpha };
}
