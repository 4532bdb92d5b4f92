/**
 * `loupe retouch`: a batch over files, folders and globs. One bad file never
 * stops the batch; outputs are written atomically; existing outputs are
 * skipped unless --overwrite, so an interrupted batch resumes where it stopped.
 */
import { promises as fs, existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, extname, join, relative, resolve, basename } from 'node:path';
import fg from 'fast-glob';
import { defaultBitDepth, type Loupe } from '../api/loupe.js';
import { LoupeError, OptionError, toLoupeError } from '../api/errors.js';
import type { GraphSpec } from '../graph/types.js';
import { FILE_EXTENSIONS, formatFromPath, isOpaque, writeFileAtomic, type ImageFormat } from '../node/image-io.js';
import type { Reporter } from './progress.js';

/** Extensions picked up when a folder is given. */
const IMAGE_GLOB = '**/*.{jpg,jpeg,png,webp,tif,tiff}';

export interface BatchOptions {
  outDir: string;
  graph: GraphSpec;
  format?: ImageFormat;
  quality?: number;
  bitDepth?: 8 | 16;
  dump: string[];
  concurrency: number;
  overwrite: boolean;
}

export interface BatchItem {
  input: string;
  /** Output path relative to the output folder, without extension. */
  stem: string;
  /** The user's strokes for this image (the graph's "$hints"). */
  hints?: string;
}

/** A hints image for the photo `ring.jpg` is named `ring.hints.png` (what the demo exports); folders of photos skip them. */
export const HINTS_SUFFIX = '.hints.png';

export type FileStatus = 'ok' | 'skipped' | 'failed';

export interface FileResult {
  input: string;
  output: string | null;
  status: FileStatus;
  error: Record<string, unknown> | null;
  width?: number;
  height?: number;
  dumps?: string[];
  /** The hints image used. */
  hints?: string;
  /** What the passes found about this image and did about it (RenderResult.notes). */
  notes?: string[];
  timings?: { decodeMs: number; renderMs: number; encodeMs: number; writeMs: number; totalMs: number };
}

export interface BatchSummary {
  total: number;
  ok: number;
  skipped: number;
  failed: number;
  seconds: number;
  megapixels: number;
}

/**
 * Expands inputs: files as given, folders recursively (images only, not the
 * output folder), globs through fast-glob. A name that matches nothing stays
 * in the list so it is reported as missing rather than silently dropped.
 */
export async function expandInputs(inputs: string[], outDir: string): Promise<BatchItem[]> {
  const items: BatchItem[] = [];
  const seen = new Set<string>();
  const out = resolve(outDir);
  const add = (path: string, stem: string) => {
    const abs = resolve(path);
    if (seen.has(abs)) return;
    seen.add(abs);
    items.push({ input: path, stem });
  };
  for (const arg of inputs) {
    const stat = existsSync(arg) ? statSync(arg) : undefined;
    if (stat?.isDirectory()) {
      const files = await fg(IMAGE_GLOB, { cwd: arg, caseSensitiveMatch: false, onlyFiles: true, dot: false });
      for (const f of files.sort()) {
        const path = join(arg, f);
        if (!isInside(resolve(path), out) && !f.toLowerCase().endsWith(HINTS_SUFFIX)) add(path, f.slice(0, f.length - extname(f).length));
      }
    } else if (!stat && fg.isDynamicPattern(arg)) {
      const files = await fg(arg, { onlyFiles: true, caseSensitiveMatch: false });
      if (files.length === 0) add(arg, stemOf(arg));
      for (const f of files.sort()) if (!isInside(resolve(f), out)) add(f, stemOf(f));
    } else {
      add(arg, stemOf(arg));
    }
  }
  return items;
}

/**
 * Gives the items their hints: a file goes with the one input; in a folder
 * the hints of `<stem>` are `<stem>.hints.png` (the same subfolders as the
 * inputs), and an input without one is retouched without hints.
 */
export function attachHints(items: BatchItem[], hints: string): BatchItem[] {
  const stat = existsSync(hints) ? statSync(hints) : undefined;
  if (!stat) throw new OptionError(`--hints: no such file or folder: ${hints}`);
  if (stat.isDirectory()) {
    return items.map((item) => {
      const path = join(hints, `${item.stem}${HINTS_SUFFIX}`);
      return existsSync(path) ? { ...item, hints: path } : item;
    });
  }
  if (items.length !== 1) throw new OptionError(`--hints with a file goes with one input (got ${items.length}); for a batch give a folder of <name>${HINTS_SUFFIX} files`);
  return [{ ...items[0], hints }];
}

/** Runs the batch; GPU work is serial (one context), decode/encode/write of up to `concurrency` files overlap. */
export async function runBatch(loupe: Loupe, items: BatchItem[], opts: BatchOptions, reporter: Reporter): Promise<BatchSummary> {
  await fs.mkdir(opts.outDir, { recursive: true });
  await removeStaleTemps(opts.outDir);
  const inputs = new Set(items.map((i) => resolve(i.input)));
  const claimed = new Set<string>();
  const summary: BatchSummary = { total: items.length, ok: 0, skipped: 0, failed: 0, seconds: 0, megapixels: 0 };
  const t0 = performance.now();
  reporter.start(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++];
      const result = await processOne(loupe, item, opts, inputs, claimed);
      summary[result.status === 'ok' ? 'ok' : result.status === 'skipped' ? 'skipped' : 'failed']++;
      if (result.status === 'ok') summary.megapixels += ((result.width ?? 0) * (result.height ?? 0)) / 1e6;
      reporter.file(result);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(opts.concurrency, items.length)) }, worker));
  summary.seconds = (performance.now() - t0) / 1000;
  reporter.finish(summary);
  return summary;
}

async function processOne(loupe: Loupe, item: BatchItem, opts: BatchOptions, inputs: Set<string>, claimed: Set<string>): Promise<FileResult> {
  const t0 = performance.now();
  const inputFormat = formatFromPath(item.input);
  const format = opts.format ?? inputFormat ?? 'png';
  const output = join(opts.outDir, `${item.stem}.${FILE_EXTENSIONS[format]}`);
  // A JPEG source whose result has transparency is written as PNG (JPEG has no alpha).
  const alphaFallback = opts.format === undefined && format === 'jpeg' ? join(opts.outDir, `${item.stem}.png`) : undefined;
  const fail = (e: unknown, out: string | null = output): FileResult => ({ input: item.input, output: out, status: 'failed', error: errorJson(toLoupeError(e, item.input)) });
  try {
    for (const candidate of [output, alphaFallback]) {
      if (candidate && inputs.has(resolve(candidate)))
        throw new LoupeError('OUTPUT_IS_INPUT', `refusing to write ${candidate}: it is one of the inputs (choose another -o folder)`, { file: item.input });
    }
    if (claimed.has(output)) throw new LoupeError('OUTPUT_IS_INPUT', `another input of this batch already writes ${output}`, { file: item.input });
    claimed.add(output);
    if (!opts.overwrite) {
      const existing = [output, alphaFallback].find((p) => p && existsSync(p));
      if (existing) return { input: item.input, output: existing, status: 'skipped', error: null };
    }
    const t1 = performance.now();
    const decoded = await loupe.decode(item.input);
    const t2 = performance.now();
    const hints = item.hints === undefined ? undefined : await loupe.decodeHints(item.hints);
    const bitDepth = opts.bitDepth ?? defaultBitDepth(decoded, format);
    const rendered = loupe.render(opts.graph, decoded, { dump: opts.dump, sampleType: bitDepth === 16 ? 'uint16' : 'uint8', hints }, item.input);
    const t3 = performance.now();
    const transparent = !isOpaque(rendered.image);
    const alpha = decoded.hasAlpha || transparent;
    const finalFormat: ImageFormat = transparent && alphaFallback ? 'png' : format;
    const finalOutput = transparent && alphaFallback ? alphaFallback : output;
    const buffer = await loupe.encode(rendered.image, { format: finalFormat, quality: opts.quality, bitDepth, alpha, metadata: decoded.metadata });
    const dumpFiles: Array<[string, Buffer]> = [];
    for (const [ref, px] of Object.entries(rendered.dumps))
      dumpFiles.push([join(opts.outDir, `${item.stem}.${ref.replace(/[^\w-]+/g, '-')}.png`), await loupe.encode(px, { format: 'png', bitDepth })]);
    const t4 = performance.now();
    await fs.mkdir(dirname(finalOutput), { recursive: true });
    for (const [path, data] of dumpFiles) await writeFileAtomic(path, data);
    await writeFileAtomic(finalOutput, buffer);
    const t5 = performance.now();
    return {
      input: item.input,
      output: finalOutput,
      status: 'ok',
      error: null,
      width: rendered.image.width,
      height: rendered.image.height,
      dumps: dumpFiles.map(([p]) => p),
      ...(item.hints ? { hints: item.hints } : {}),
      notes: rendered.notes,
      timings: { decodeMs: ms(t2 - t1), renderMs: ms(t3 - t2), encodeMs: ms(t4 - t3), writeMs: ms(t5 - t4), totalMs: ms(t5 - t0) },
    };
  } catch (e) {
    return fail(e);
  }
}

/** Temporaries left by a killed run (their process is gone) are removed before a new run writes. */
async function removeStaleTemps(dir: string): Promise<void> {
  const entries = await fg('**/.*.partial', { cwd: dir, dot: true, onlyFiles: true });
  for (const e of entries) {
    const pid = Number(/\.(\d+)\.[a-z0-9]+\.partial$/.exec(e)?.[1]);
    if (pid && !processIsRunning(pid)) await fs.rm(join(dir, e), { force: true });
  }
}

/**
 * Whether a process still runs. A killed process whose parent died too can
 * linger as a zombie until something reaps it (kill(pid, 0) still succeeds),
 * so on Linux its state in /proc decides.
 */
export function processIsRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true; // no /proc (not Linux): trust kill(pid, 0)
  }
}

function errorJson(e: LoupeError): Record<string, unknown> {
  const j = e.toJSON();
  return Object.fromEntries(Object.entries(j).filter(([, v]) => v !== undefined));
}

function stemOf(path: string): string {
  const b = basename(path);
  return b.slice(0, b.length - extname(b).length) || b;
}

function isInside(path: string, dir: string): boolean {
  const r = relative(dir, path);
  return r === '' || (!r.startsWith('..') && !r.startsWith('/'));
}

function ms(v: number): number {
  return Math.round(v * 10) / 10;
}
