/**
 * The `loupe` command line (bin/loupe.js runs this file through tsx).
 * Exit codes: 0 every file succeeded; 1 at least one file failed; 2 the
 * command itself is wrong (bad option, unknown preset, invalid graph).
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError, Option } from 'commander';
import { createLoupe, parseOverride, requireHintsInput, DEFAULT_PRESET, type Loupe, type ParamOverride } from '../api/loupe.js';
import { LoupeError, OptionError, toLoupeError } from '../api/errors.js';
import { DEFAULT_MAX_PIXELS, IMAGE_FORMATS, removePendingTemps, type ImageFormat } from '../node/image-io.js';
import type { GraphSpec } from '../graph/types.js';
import type { ParamSchema } from '../passes/schema.js';
import { attachHints, expandInputs, HINTS_SUFFIX, runBatch } from './batch.js';
import { createReporter, type OutputStream } from './progress.js';
import { writeSample } from './sample.js';
import { startServer, DEFAULT_SERVER_LIMITS, DEFAULT_SERVER_MAX_PIXELS } from '../server/index.js';

export interface CliIO {
  stdout: OutputStream;
  stderr: OutputStream;
}

const EXIT_OK = 0;
const EXIT_FILES_FAILED = 1;
const EXIT_USAGE = 2;

/** Runs the CLI on `argv` (without "node main.ts") and resolves to the exit code. */
export async function runCli(argv: string[], io: CliIO = { stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  let exitCode = EXIT_OK;
  const program = new Command('loupe')
    .description('GPU retouching of jewelry photographs: batch CLI, sample generator and HTTP service')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
    .showHelpAfterError('(run with --help for usage)');

  const presetsDirOption = () => new Option('--presets-dir <dir>', 'folder of preset JSON files (default: the built-in presets)');
  const maxPixelsOption = () => new Option('--max-pixels <n>', 'refuse images with more pixels than this, before decoding').default(DEFAULT_MAX_PIXELS).argParser(positiveInt('--max-pixels'));

  program
    .command('retouch')
    .description('retouch files, folders or globs into an output folder')
    .argument('[inputs...]', 'image files, folders (searched recursively) or glob patterns')
    .requiredOption('-o, --out <dir>', 'output folder (inputs are never overwritten)')
    .option('--preset <name>', `preset to apply (default: "${DEFAULT_PRESET}", a full catalogue retouch to a white background)`)
    .option('--graph <file.json>', 'graph JSON to apply instead of a preset (as exported by the demo)')
    .option('--set <node.param=value>', 'override a parameter, value as JSON or a bare word (repeatable)', (v: string, acc: string[]) => [...acc, v], [])
    .addOption(new Option('--format <format>', 'output format (default: the input\'s)').choices(IMAGE_FORMATS as unknown as string[]))
    .option('--quality <n>', 'JPEG/WebP/TIFF-JPEG quality 1-100 (WebP 100 = lossless)', positiveInt('--quality'))
    .addOption(new Option('--depth <bits>', 'bits per sample of the output (default: the input\'s where the format allows)').choices(['8', '16']))
    .option('--hints <file|folder>', `the user's strokes (red = piece, green = backdrop) for the graph's "$hints": a file for one input, or a folder of <name>${HINTS_SUFFIX} files`)
    .option('--dump <refs>', 'also write these node outputs, comma-separated (e.g. split:high,key)', (v: string) => v.split(',').map((s) => s.trim()).filter(Boolean))
    .option('--concurrency <n>', 'files in flight at once (GPU work stays serial; decode/encode overlap)', positiveInt('--concurrency'), 2)
    .option('--json', 'print one JSON result line per file on stdout')
    .option('--overwrite', 'redo files whose output exists (default: skip them, so a batch resumes)')
    .addOption(maxPixelsOption())
    .addOption(presetsDirOption())
    .option('--sample', 'retouch the built-in generated sample (writes sample-raw.png and sample-retouched.png)')
    .option('--seed <n>', 'seed of the generated sample', nonNegativeInt('--seed'), 1)
    .option('--truth <dir>', 'with --sample: also write the ground-truth layers here')
    .action(async (inputs: string[], o) => {
      const loupe = await createLoupe({ presetsDir: o.presetsDir, maxPixels: o.maxPixels });
      const graph = await resolveGraph(loupe, o, io);
      if (o.sample) inputs = [...inputs, await sampleInput(loupe, o)];
      if (inputs.length === 0) throw new OptionError('no inputs: give files, folders or globs (or --sample)');
      const expanded = await expandInputs(inputs, o.out);
      if (o.hints !== undefined) requireHintsInput(graph);
      const items = o.hints === undefined ? expanded : attachHints(expanded, o.hints);
      const outDir: string = o.out;
      const stemFor = o.sample ? (stem: string) => (stem === 'sample-raw' ? 'sample-retouched' : stem) : (stem: string) => stem;
      onInterrupt();
      const summary = await runBatch(
        loupe,
        items.map((i) => ({ ...i, stem: stemFor(i.stem) })),
        {
          outDir,
          graph,
          format: o.format as ImageFormat | undefined,
          quality: o.quality,
          bitDepth: o.depth ? (Number(o.depth) as 8 | 16) : undefined,
          dump: o.dump ?? [],
          concurrency: o.concurrency,
          // The sample is regenerated on every run, so its result is too.
          overwrite: o.overwrite === true || o.sample === true,
        },
        createReporter(io.stdout, io.stderr, o.json === true),
      );
      exitCode = summary.failed > 0 ? EXIT_FILES_FAILED : EXIT_OK;
    });

  program
    .command('sample')
    .description('write a generated raw shot (and its ground-truth layers)')
    .requiredOption('-o, --out <file>', 'image file to write (.png, .jpg, .webp, .tif)')
    .option('--seed <n>', 'generator seed', nonNegativeInt('--seed'), 1)
    .option('--truth <dir>', 'also write the ground-truth layers (clean, alpha, backdrop, defect masks) here')
    .option('--width <px>', 'image width (default 1024)', positiveInt('--width'))
    .option('--height <px>', 'image height (default 768)', positiveInt('--height'))
    .action(async (o) => {
      const loupe = await createLoupe();
      const shot = await writeSample(loupe.engine, o.out, { seed: o.seed, truthDir: o.truth, width: o.width, height: o.height });
      io.stderr.write(`wrote ${o.out} (${shot.width}x${shot.height}, seed ${o.seed})${o.truth ? ` and ground truth in ${o.truth}` : ''}\n`);
    });

  program
    .command('passes')
    .description('list the passes with their parameter schemas')
    .option('--json', 'machine-readable output')
    .action(async (o) => {
      const loupe = await createLoupe();
      const passes = loupe.passes() as Array<{ type: string; title: string; description: string; inputs: { name: string }[]; outputs: { name: string }[]; params: Record<string, ParamSchema> }>;
      if (o.json) return void io.stdout.write(JSON.stringify(passes, null, 2) + '\n');
      for (const p of passes) {
        io.stdout.write(`${p.type}  ${p.title}\n  ${p.description}\n  inputs: ${p.inputs.map((i) => i.name).join(', ')}   outputs: ${p.outputs.map((i) => i.name).join(', ')}\n`);
        for (const [name, s] of Object.entries(p.params)) io.stdout.write(`    ${name.padEnd(18)} ${describeParam(s)}  ${s.description}\n`);
      }
    });

  program
    .command('presets')
    .description('list the presets')
    .option('--json', 'machine-readable output')
    .addOption(presetsDirOption())
    .action(async (o) => {
      const loupe = await createLoupe({ presetsDir: o.presetsDir });
      const presets = loupe.presets();
      if (o.json) return void io.stdout.write(JSON.stringify(presets, null, 2) + '\n');
      if (presets.length === 0) io.stdout.write('no presets installed\n');
      for (const p of presets) io.stdout.write(`${p.name.padEnd(20)} ${p.valid ? p.description : `(unusable: ${p.problem})`}\n`);
    });

  program
    .command('graph')
    .description("print a preset's graph JSON (the format --graph and the demo use)")
    .argument('<preset>', 'preset name')
    .addOption(presetsDirOption())
    .action(async (name: string, o) => {
      const loupe = await createLoupe({ presetsDir: o.presetsDir });
      io.stdout.write(JSON.stringify(loupe.preset(name).graph, null, 2) + '\n');
    });

  program
    .command('serve')
    .description('run the HTTP service (POST /retouch, GET /passes, /presets, /health)')
    .option('--port <p>', 'TCP port (0 = any free port)', nonNegativeInt('--port'), 8080)
    .option('--host <host>', 'interface to listen on', '127.0.0.1')
    .option('--max-body-mb <n>', 'largest request body in MB', positiveInt('--max-body-mb'), DEFAULT_SERVER_LIMITS.maxBodyBytes / 1e6)
    .option('--queue <n>', 'requests waiting or running before 503', positiveInt('--queue'), DEFAULT_SERVER_LIMITS.maxQueue)
    .option('--timeout <s>', 'per-request time limit in seconds', positiveInt('--timeout'), DEFAULT_SERVER_LIMITS.timeoutMs / 1000)
    .addOption(maxPixelsOption().default(DEFAULT_SERVER_MAX_PIXELS))
    .addOption(presetsDirOption())
    .action(async (o) => {
      const loupe = await createLoupe({ presetsDir: o.presetsDir, maxPixels: o.maxPixels });
      const server = await startServer(loupe, {
        port: o.port,
        host: o.host,
        limits: { maxBodyBytes: o.maxBodyMb * 1e6, maxQueue: o.queue, timeoutMs: o.timeout * 1000 },
      });
      io.stderr.write(`loupe: serving on ${server.url} (GPU: ${loupe.engine.caps.renderer ?? 'unknown'}; Ctrl-C stops)\n`);
      await new Promise<void>((done) => {
        for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => void server.close().then(done));
      });
    });

  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
    const err = toLoupeError(e);
    io.stderr.write(`loupe: error: ${err.message}\n`);
    return err instanceof LoupeError && err.code === 'RENDER_FAILED' ? EXIT_FILES_FAILED : EXIT_USAGE;
  }
}

/** --graph, --preset or the default catalogue preset, with --set overrides applied and validated. */
async function resolveGraph(loupe: Loupe, o: { graph?: string; preset?: string; set: string[] }, io: CliIO): Promise<GraphSpec> {
  if (o.graph && o.preset) throw new OptionError('give --preset or --graph, not both');
  const overrides: ParamOverride[] = o.set.map(parseOverride);
  if (o.graph) return loupe.graph({ graphFile: o.graph }, overrides);
  return loupe.graph({ preset: o.preset ?? DEFAULT_PRESET }, overrides);
}

/** --sample: generates the built-in sample into the output folder and returns its path. */
async function sampleInput(loupe: Loupe, o: { out: string; seed: number; truth?: string }): Promise<string> {
  const path = resolve(o.out, 'sample-raw.png');
  await writeSample(loupe.engine, path, { seed: o.seed, truthDir: o.truth });
  return path;
}

/** Ctrl-C / kill: remove half-written temporaries so only complete outputs remain. */
let interruptHandled = false;
function onInterrupt(): void {
  if (interruptHandled) return;
  interruptHandled = true;
  for (const [sig, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
    process.once(sig, () => {
      removePendingTemps();
      process.exit(code);
    });
  }
}

function describeParam(s: ParamSchema): string {
  switch (s.type) {
    case 'number':
    case 'integer':
      return `${s.type} ${s.default} [${s.min}..${s.max}]${s.unit ? ' ' + s.unit : ''}`;
    case 'enum':
      return `enum ${JSON.stringify(s.default)} (${s.options.join('|')})`;
    case 'list':
      return `list of [${s.fields.join(', ')}] (max ${s.maxItems})`;
    default:
      return `${s.type} ${JSON.stringify(s.default)}`;
  }
}

function positiveInt(flag: string) {
  return (v: string): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1) throw new OptionError(`${flag} expects a positive integer, got "${v}"`);
    return n;
  };
}

function nonNegativeInt(flag: string) {
  return (v: string): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0) throw new OptionError(`${flag} expects a non-negative integer, got "${v}"`);
    return n;
  };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const code = await runCli(process.argv.slice(2));
  process.exitCode = code;
  // headless-gl or Xvfb handles must not keep a finished command alive.
  setTimeout(() => process.exit(code), 200).unref();
}
