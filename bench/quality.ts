/**
 * Quality benchmark: scores "do nothing", the CPU baselines and Loupe's
 * graphs (presets in src/presets/, plus any --graph file) against ground
 * truth on generated shots and, optionally, on a folder of real photos with
 * synthetic defects. Prints a table per task, writes JSON and contact sheets.
 *
 *   npm run bench:quality [-- --photos <folder>] [--graph <file.json>] [--out <dir>]
 *     [--task <name>] [--imgly <folder with @imgly/background-removal-node>]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import * as generator from '../src/generator/index.js';
import { getHeadlessEngine } from '../src/node/headless.js';
import { GENERATED_CASES, generatedCases, photoCases, TASKS, type QualityCase, type Task } from './lib/quality-cases.js';
import { BASELINES, graphFileMethod, presetMethods, type Method } from './lib/quality-methods.js';
import { formatTable, summarize, type CaseRecord } from './lib/quality-report.js';
import { writeContactSheet, type SheetRow } from './lib/contact-sheet.js';
import { evaluateCase, SHEET_COLUMNS, TILE_WIDTH } from './lib/quality-run.js';
import { loadImglyMethod } from './lib/imgly-method.js';
import { positive, positiveInt, regex } from './lib/cli-options.js';

const size = (v: string) => {
  const m = /^(\d+)x(\d+)$/.exec(v);
  if (!m) throw new InvalidArgumentError('expected WIDTHxHEIGHT, e.g. 512x384');
  return { width: Number(m[1]), height: Number(m[2]) };
};
const task = (v: string) => {
  if (!(TASKS as readonly string[]).includes(v)) throw new InvalidArgumentError(`expected one of ${TASKS.join(', ')}`);
  return v as Task;
};

const program = new Command('bench:quality')
  .description('Score baselines and Loupe graphs against ground truth (generated shots, optional real photos).')
  .option('--photos <folder>', 'folder of real photos: synthetic defects are added, the photo is the ground truth; PNG cutouts become keying cases')
  .option('--graph <file>', 'a graph JSON file to score on every task (reads $source, outputs "result", optionally "alpha")')
  .option('--out <dir>', 'where quality.json and the contact sheets go', 'bench-results')
  .option('--size <WxH>', 'size of the generated shots', size, { width: 512, height: 384 })
  .option('--max-mp <megapixels>', 'photos are downscaled to at most this size', positive, 1)
  .option('--match <regex>', 'use only the photos whose file name matches', regex)
  .option('--max-photos <n>', 'use at most this many photos (sorted by name)', positiveInt)
  .option('--no-generated', 'skip the generated shots (photos only)')
  .option('--task <name>', `run only this task (${TASKS.join(', ')})`, task)
  .option('--imgly <folder>', 'a folder where @imgly/background-removal-node is installed: adds the ML cut-out "imgly (ML)" to keying')
  .parse();

const opts = program.opts<{ photos?: string; graph?: string; out: string; size: { width: number; height: number }; maxMp: number; maxPhotos?: number; match?: RegExp; generated: boolean; task?: Task; imgly?: string }>();
const tasks = opts.task ? [opts.task] : TASKS;

async function main(): Promise<void> {
  const started = performance.now();
  const engine = await getHeadlessEngine();
  const notes: string[] = [];
  const methods = new Map<Task, Method[]>();
  for (const task of tasks) {
    const list = [...BASELINES[task], ...presetMethods(engine, task, notes)];
    if (opts.graph) list.push(graphFileMethod(engine, opts.graph, task));
    if (opts.imgly && task === 'keying') list.push(await loadImglyMethod(opts.imgly));
    methods.set(task, list);
  }

  const records: CaseRecord[] = [];
  const sheets: Record<'generated' | 'photo', SheetRow[]> = { generated: [], photo: [] };
  const sources: AsyncGenerator<QualityCase>[] = [];
  if (opts.generated) sources.push(generatedCases(generator, engine, opts.size, GENERATED_CASES.filter((s) => tasks.includes(s.task))));
  if (opts.photos) sources.push(photoCases(generator, engine, opts.photos, { maxPixels: opts.maxMp * 1e6, match: opts.match, limit: opts.maxPhotos, tasks }));
  if (sources.length === 0) throw new Error('no cases: give --photos or leave the generated shots on');
  for (const source of sources)
    for await (const c of source) {
      const { record, rows } = await evaluateCase(c, methods.get(c.task)!, notes);
      sheets[c.origin].push(...rows);
      records.push(record);
      process.stdout.write(`${records.length} ${c.task} ${c.origin} ${c.id} (${((performance.now() - started) / 1000).toFixed(0)} s)\n`);
    }

  const summary = summarize(records);
  console.log(formatTable(summary));
  if (notes.length) console.log(`\nnotes:\n${[...new Set(notes)].map((n) => `  ${n}`).join('\n')}`);

  mkdirSync(opts.out, { recursive: true });
  const written: string[] = [];
  for (const [origin, file] of [['generated', 'quality-contact.png'], ['photo', 'quality-contact-photos.png']] as const) {
    if (sheets[origin].length === 0) continue;
    await writeContactSheet(join(opts.out, file), SHEET_COLUMNS, sheets[origin], TILE_WIDTH);
    written.push(join(opts.out, file));
  }
  const seconds = (performance.now() - started) / 1000;
  const report = { date: new Date().toISOString(), seconds, options: { ...opts, match: opts.match?.source }, notes: [...new Set(notes)], summary, cases: records };
  writeFileSync(join(opts.out, 'quality.json'), JSON.stringify(report, (_, v) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v), 1));
  written.push(join(opts.out, 'quality.json'));
  console.log(`\nwrote ${written.join(', ')} in ${seconds.toFixed(0)} s`);
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(`bench:quality: ${(e as Error).stack ?? e}`);
    process.exit(1);
  },
);
