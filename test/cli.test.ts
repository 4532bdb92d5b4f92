import { describe, it, expect, beforeAll } from 'vitest';
import { mkdtemp, mkdir, writeFile, readdir, stat, readFile } from 'node:fs/promises';
import { existsSync, readdirSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { runCli } from '../src/cli/main.js';
import { createReporter } from '../src/cli/progress.js';
import { processIsRunning } from '../src/cli/batch.js';
import { decodeImage, readExifStrings } from '../src/node/image-io.js';
import { keyAlphaGraph, softenGraph, writeTestPresets } from './helpers/test-graphs.js';
import { bombPng, corruptPng, gifFile, imageFile, ringShot, rotatedJpeg, truncated } from './helpers/image-files.js';

const BIN = fileURLToPath(new URL('../bin/loupe.js', import.meta.url));
let root: string;
let presets: string;

/** Runs the CLI in this process, capturing what it prints. */
async function cli(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) } });
  return { code, stdout, stderr, json: () => stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l)) };
}

async function folder(name: string, files: Record<string, Buffer | Promise<Buffer>>): Promise<string> {
  const dir = join(root, name);
  await mkdir(dir, { recursive: true });
  for (const [f, data] of Object.entries(files)) await writeFile(join(dir, f), await data);
  return dir;
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'loupe-cli-'));
  presets = writeTestPresets(join(root, 'presets'));
});

describe('loupe retouch', () => {
  it('reads and writes PNG, JPEG, WebP and TIFF; --format converts', async () => {
    const dir = await folder('formats', {
      'a.png': imageFile(32, 24, 'png'),
      'b.jpg': imageFile(32, 24, 'jpeg'),
      'c.webp': imageFile(32, 24, 'webp'),
      'd.tif': imageFile(32, 24, 'tiff'),
      'notes.txt': Buffer.from('folders only contribute image files'),
    });
    const out = join(root, 'formats-out');
    const r = await cli('retouch', dir, '-o', out, '--preset', 'blur', '--presets-dir', presets);
    expect(r.code).toBe(0);
    expect((await readdir(out)).sort()).toEqual(['a.png', 'b.jpg', 'c.webp', 'd.tif']);
    for (const [f, format] of [['a.png', 'png'], ['b.jpg', 'jpeg'], ['c.webp', 'webp'], ['d.tif', 'tiff']]) {
      const m = await sharp(join(out, f)).metadata();
      expect([m.format, m.width, m.height]).toEqual([format, 32, 24]);
    }
    expect(r.stderr).toMatch(/4 files: 4 retouched, 0 skipped, 0 failed .* images\/s, .* MP\/s/);
    const jpegs = await cli('retouch', join(dir, '*.{png,webp}'), '-o', join(root, 'formats-jpeg'), '--preset', 'blur', '--presets-dir', presets, '--format', 'jpeg', '--quality', '80');
    expect(jpegs.code).toBe(0);
    expect((await readdir(join(root, 'formats-jpeg'))).sort()).toEqual(['a.jpg', 'c.jpg']);
  });

  it('keeps 16-bit inputs at 16 bits in PNG and TIFF, and alpha', async () => {
    const dir = await folder('deep', { 'deep.png': imageFile(24, 16, 'png', { bits: 16, alpha: true }) });
    const run = async (out: string, ...extra: string[]) => {
      expect((await cli('retouch', join(dir, 'deep.png'), '-o', join(root, out), '--preset', 'exposure', '--presets-dir', presets, ...extra)).code).toBe(0);
      return (await readdir(join(root, out)))[0];
    };
    const png = await sharp(join(root, 'deep-png', await run('deep-png'))).metadata();
    expect([png.depth, png.hasAlpha]).toEqual(['ushort', true]);
    const tif = await sharp(join(root, 'deep-tif', await run('deep-tif', '--format', 'tiff'))).metadata();
    expect([tif.format, tif.depth, tif.hasAlpha]).toEqual(['tiff', 'ushort', true]);
    const eight = await sharp(join(root, 'deep-8', await run('deep-8', '--depth', '8'))).metadata();
    expect(eight.depth).toBe('uchar');
  });

  it('applies --set through the graph validator and writes --dump outputs', async () => {
    const dir = await folder('dump', { 'x.png': imageFile(32, 24, 'png') });
    const graph = join(root, 'soften.json');
    await writeFile(graph, JSON.stringify(softenGraph()));
    const out = join(root, 'dump-out');
    const r = await cli('retouch', join(dir, 'x.png'), '-o', out, '--graph', graph, '--set', 'blur.sigma=3', '--set', 'mix.mode=max', '--dump', 'blur,mix:out', '--json');
    expect(r.code).toBe(0);
    expect((await readdir(out)).sort()).toEqual(['x.blur.png', 'x.mix-out.png', 'x.png']);
    const [line] = r.json();
    expect(line.dumps).toHaveLength(2);
    // The dumped final node equals the result; the blur differs from it.
    const [main, mixDump, blurDump] = await Promise.all(['x.png', 'x.mix-out.png', 'x.blur.png'].map((f) => sharp(join(out, f)).raw().toBuffer()));
    expect(mixDump.equals(main)).toBe(true);
    expect(blurDump.equals(main)).toBe(false);

    const bad = await cli('retouch', join(dir, 'x.png'), '-o', out, '--graph', graph, '--set', 'blur.sigma=-1');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/soften\.json: invalid graph: node "blur" params\.sigma: -1 is out of range/);
    const unknown = await cli('retouch', join(dir, 'x.png'), '-o', out, '--preset', 'nope', '--presets-dir', presets);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown preset "nope" \(available: .*blur/);
  });

  it('--hints: a file for one input, a folder of <name>.hints.png for a batch; hint files among the photos are not retouched', async () => {
    const png = (px: { width: number; height: number; data: Uint8Array }) => sharp(Buffer.from(px.data), { raw: { width: px.width, height: px.height, channels: 4 } }).png().toBuffer();
    const shot = await png(ringShot(true)); // a ring above a sleeve filling the lower 45 % of the frame
    const sleeveGreen = new Uint8Array(128 * 128 * 4);
    for (let i = Math.ceil(0.53 * 128) * 128; i < 128 * 128; i++) sleeveGreen.set([0, 255, 0, 255], i * 4);
    const hints = await png({ width: 128, height: 128, data: sleeveGreen });
    const dir = await folder('hints', { 'a.png': shot, 'b.png': shot, 'a.hints.png': hints });
    const graph = join(root, 'key-hints.json');
    await writeFile(graph, JSON.stringify({ ...keyAlphaGraph(), nodes: [{ ...keyAlphaGraph().nodes[0], inputs: { image: '$source', hints: '$hints?' } }] }));
    const sleeveAlpha = async (file: string) => (await sharp(file).greyscale().raw().toBuffer())[110 * 128 + 64];

    const batch = await cli('retouch', dir, '-o', join(root, 'hints-out'), '--graph', graph, '--hints', dir, '--json');
    expect(batch.code).toBe(0);
    expect((await readdir(join(root, 'hints-out'))).sort()).toEqual(['a.png', 'b.png']);
    const lines = Object.fromEntries(batch.json().map((l) => [l.input.split('/').pop(), l]));
    expect(lines['a.png'].hints).toBe(join(dir, 'a.hints.png'));
    expect(lines['a.png'].notes).toEqual([]);
    expect(lines['b.png'].hints).toBeUndefined();
    expect(lines['b.png'].notes[0]).toMatch(/kept the whole frame/); // no hints for b: the sleeve fills the edge
    expect(await sleeveAlpha(join(root, 'hints-out', 'a.png'))).toBe(0);
    expect(await sleeveAlpha(join(root, 'hints-out', 'b.png'))).toBe(255);

    const one = await cli('retouch', join(dir, 'b.png'), '-o', join(root, 'hints-one'), '--graph', graph, '--hints', join(dir, 'a.hints.png'));
    expect(one.code).toBe(0);
    expect(await sleeveAlpha(join(root, 'hints-one', 'b.png'))).toBe(0);

    const several = await cli('retouch', join(dir, 'a.png'), join(dir, 'b.png'), '-o', join(root, 'hints-x'), '--graph', graph, '--hints', join(dir, 'a.hints.png'));
    expect(several.code).toBe(2);
    expect(several.stderr).toMatch(/--hints with a file goes with one input \(got 2\)/);
    const noInput = await cli('retouch', join(dir, 'a.png'), '-o', join(root, 'hints-x'), '--preset', 'blur', '--presets-dir', presets, '--hints', dir);
    expect(noInput.code).toBe(2);
    expect(noInput.stderr).toMatch(/this graph reads no "\$hints"/);
    const missing = await cli('retouch', join(dir, 'a.png'), '-o', join(root, 'hints-x'), '--graph', graph, '--hints', join(dir, 'nope.png'));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--hints: no such file or folder/);
    // Hints that do not decode fail that file alone, naming the hints file once.
    const corrupt = await folder('hints-corrupt', { 'c.png': shot, 'c.hints.png': Buffer.from('not an image') });
    const bad = await cli('retouch', corrupt, '-o', join(root, 'hints-corrupt-out'), '--graph', graph, '--hints', corrupt, '--json');
    expect(bad.code).toBe(1);
    const [line] = bad.json();
    expect(line.error.message).toBe(`${join(corrupt, 'c.hints.png')}: cannot read the hints: not an image Loupe can read (png, jpeg, webp, tiff)`);
  });

  it('says clearly when the default catalogue preset is missing from a custom presets folder', async () => {
    const dir = await folder('default', { 'x.png': imageFile(16, 16, 'png') });
    const r = await cli('retouch', dir, '-o', join(root, 'default-out'), '--presets-dir', presets);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown preset "catalogue" \(available: .*blur/);
  });

  it('skips existing outputs so a batch resumes, and redoes them with --overwrite', async () => {
    const dir = await folder('resume', { 'a.png': imageFile(16, 16, 'png'), 'b.png': imageFile(16, 16, 'png', { seed: 2 }) });
    const out = join(root, 'resume-out');
    const args = ['retouch', dir, '-o', out, '--preset', 'blur', '--presets-dir', presets, '--json'];
    expect((await cli(...args)).json().map((l) => l.status)).toEqual(['ok', 'ok']);
    const before = (await stat(join(out, 'a.png'))).mtimeMs;
    const again = await cli(...args);
    expect(again.code).toBe(0);
    expect(again.json().map((l) => l.status)).toEqual(['skipped', 'skipped']);
    expect((await stat(join(out, 'a.png'))).mtimeMs).toBe(before);
    expect((await cli(...args, '--overwrite')).json().map((l) => l.status)).toEqual(['ok', 'ok']);
  });

  it('gives the same files with --concurrency 3 as one at a time, one JSON line per file', async () => {
    const files: Record<string, Promise<Buffer>> = {};
    for (let i = 0; i < 6; i++) files[`img${i}.png`] = imageFile(48, 32, 'png', { seed: 10 + i });
    const dir = await folder('many', files);
    const serial = await cli('retouch', dir, '-o', join(root, 'many-1'), '--preset', 'soften', '--presets-dir', presets, '--concurrency', '1', '--json');
    const parallel = await cli('retouch', dir, '-o', join(root, 'many-3'), '--preset', 'soften', '--presets-dir', presets, '--concurrency', '3', '--json');
    expect([serial.code, parallel.code]).toEqual([0, 0]);
    const lines = parallel.json();
    expect(lines).toHaveLength(6);
    for (const l of lines) {
      expect(l).toMatchObject({ status: 'ok', error: null, width: 48, height: 32 });
      expect(Object.keys(l.timings)).toEqual(['decodeMs', 'renderMs', 'encodeMs', 'writeMs', 'totalMs']);
    }
    for (let i = 0; i < 6; i++) {
      const [a, b] = await Promise.all([readFile(join(root, 'many-1', `img${i}.png`)), readFile(join(root, 'many-3', `img${i}.png`))]);
      expect(b.equals(a)).toBe(true);
    }
  });

  it('reports each bad input clearly, finishes the batch and exits 1', async () => {
    const dir = await folder('bad', {
      'good.png': imageFile(16, 16, 'png'),
      'corrupt.png': corruptPng(),
      'truncated.jpg': truncated('jpeg'),
      'empty.png': Buffer.alloc(0),
      'anim.gif': gifFile(),
      'bomb.png': bombPng(),
      'big.png': imageFile(80, 80, 'png'), // over --max-pixels 5000; the 64x64 bad files are under it
    });
    const out = join(root, 'bad-out');
    await folder('bad-out', { 'self.png': imageFile(16, 16, 'png') });
    const inputs = ['good.png', 'corrupt.png', 'truncated.jpg', 'empty.png', 'anim.gif', 'bomb.png', 'big.png', 'missing.png'].map((f) => join(dir, f));
    const r = await cli('retouch', ...inputs, join(out, 'self.png'), '-o', out, '--preset', 'blur', '--presets-dir', presets, '--json', '--max-pixels', '5000', '--overwrite');
    expect(r.code).toBe(1);
    const byFile = Object.fromEntries(r.json().map((l) => [l.input.split('/').pop(), l]));
    expect(byFile['good.png'].status).toBe('ok');
    const codes = Object.fromEntries(Object.entries(byFile).map(([f, l]) => [f, (l as { error: { code: string } | null }).error?.code ?? null]));
    expect(codes).toEqual({
      'good.png': null,
      'corrupt.png': 'CORRUPT_IMAGE',
      'truncated.jpg': 'TRUNCATED_IMAGE',
      'empty.png': 'EMPTY_FILE',
      'anim.gif': 'UNSUPPORTED_FORMAT',
      'bomb.png': 'IMAGE_TOO_LARGE',
      'big.png': 'IMAGE_TOO_LARGE',
      'missing.png': 'FILE_NOT_FOUND',
      'self.png': 'OUTPUT_IS_INPUT',
    });
    expect(byFile['bomb.png'].error.message).toMatch(/bomb\.png: image is 100000x100000 .* refused before decoding/);
    // The input that was also the output path is untouched.
    expect((await readFile(join(out, 'self.png'))).equals(await imageFile(16, 16, 'png'))).toBe(true);
    expect(r.stderr).toMatch(/9 files: 1 retouched, 0 skipped, 8 failed/);
  });

  it('applies EXIF orientation and keeps camera metadata', async () => {
    const dir = await folder('exif', { 'turned.jpg': rotatedJpeg() });
    const out = join(root, 'exif-out');
    expect((await cli('retouch', dir, '-o', out, '--preset', 'exposure', '--presets-dir', presets)).code).toBe(0);
    const meta = await sharp(join(out, 'turned.jpg')).metadata();
    expect([meta.width, meta.height, meta.orientation ?? 1]).toEqual([4, 8, 1]);
    expect(readExifStrings(meta.exif!)?.IFD0).toMatchObject({ Make: 'Loupe Test Camera', Copyright: 'Test Studio' });
    const px = (await decodeImage(join(out, 'turned.jpg'))).pixels.data;
    expect(px[0]).toBeGreaterThan(px[2]); // red on top, as displayed
  });

  it('prints plain lines off a terminal and a bar with ETA on one', () => {
    let tty = '';
    const rep = createReporter({ write: () => true }, { write: (s: string) => (tty += s), isTTY: true }, false);
    rep.start(2);
    rep.file({ input: 'a.png', output: 'out/a.png', status: 'ok', error: null, width: 4, height: 4, timings: { decodeMs: 1, renderMs: 1, encodeMs: 1, writeMs: 1, totalMs: 4 } });
    expect(tty).toMatch(/ok +a\.png -> out\/a\.png[\s\S]*\[#{12}-{12}\] 1\/2 .*ETA \d+:\d\d/);
    let plain = '';
    const off = createReporter({ write: (s: string) => (plain += s) }, { write: () => true, isTTY: false }, false);
    off.start(1);
    off.file({ input: 'b.png', output: 'out/b.png', status: 'ok', error: null, width: 4, height: 4, notes: ['node "key": kept the whole frame'], timings: { decodeMs: 1, renderMs: 1, encodeMs: 1, writeMs: 1, totalMs: 4 } });
    expect(plain).toMatch(/^\[1\/1\] ok +b\.png -> out\/b\.png \(4x4, 4 ms\)\n +note +node "key": kept the whole frame\n$/);
  });
});

describe('loupe sample', () => {
  it('writes a generated shot and its ground truth, the same for the same seed', async () => {
    const out = join(root, 'sample');
    const args = (file: string, seed: string) => ['sample', '-o', join(out, file), '--seed', seed, '--width', '96', '--height', '64'];
    const r = await cli(...args('a.png', '3'), '--truth', join(out, 'truth'));
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/wrote .*a\.png \(96x64, seed 3\) and ground truth/);
    const meta = await sharp(join(out, 'a.png')).metadata();
    expect([meta.width, meta.height]).toEqual([96, 64]);
    expect(await readdir(join(out, 'truth'))).toEqual(expect.arrayContaining(['raw.png', 'clean.png', 'alpha.png', 'backdrop.png', 'mask-dust.png']));
    expect((await cli(...args('b.png', '3'))).code).toBe(0);
    expect((await cli(...args('c.png', '4'))).code).toBe(0);
    const [a, b, c] = await Promise.all(['a.png', 'b.png', 'c.png'].map((f) => readFile(join(out, f))));
    expect(b.equals(a)).toBe(true);
    expect(c.equals(a)).toBe(false);
  });
});

describe('bin/loupe.js (subprocess)', () => {
  function run(args: string[]) {
    return spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  }

  it('lists presets as JSON', async () => {
    const child = run(['presets', '--json', '--presets-dir', presets]);
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    const code = await new Promise((done) => child.on('exit', done));
    expect(code).toBe(0);
    expect(JSON.parse(out).map((p: { name: string }) => p.name)).toContain('soften');
  });

  it('leaves only complete outputs when killed mid-batch, and the next run resumes', async () => {
    const files: Record<string, Promise<Buffer>> = {};
    for (let i = 0; i < 10; i++) files[`k${i}.png`] = imageFile(512, 512, 'png', { seed: 30 + i });
    const dir = await folder('kill', files);
    const out = join(root, 'kill-out');
    const child = run(['retouch', dir, '-o', out, '--preset', 'soften', '--presets-dir', presets, '--concurrency', '2']);
    // Kill (SIGKILL, the whole process group: no clean-up possible) as soon as the first output lands.
    await new Promise<void>((done, fail) => {
      const poll = setInterval(() => {
        if (existsSync(out) && finishedOutputs(out).length > 0) {
          clearInterval(poll);
          process.kill(-child.pid!, 'SIGKILL');
          done();
        }
      }, 5);
      child.on('exit', () => {
        clearInterval(poll);
        fail(new Error('the batch ended before it could be killed'));
      });
    });
    await new Promise((done) => child.on('exit', done));
    await killedWritersGone(out);
    const finished = finishedOutputs(out);
    expect(finished.length).toBeGreaterThan(0);
    expect(finished.length).toBeLessThan(10);
    // Every file under its final name is complete: it decodes strictly (truncation is an error).
    for (const f of finished) expect((await decodeImage(join(out, f))).pixels.width).toBe(512);

    const resumed = await cli('retouch', dir, '-o', out, '--preset', 'soften', '--presets-dir', presets, '--json');
    expect(resumed.code).toBe(0);
    const statuses = resumed.json().map((l) => l.status);
    expect(statuses.filter((s) => s === 'skipped')).toHaveLength(finished.length);
    expect(statuses.filter((s) => s === 'ok')).toHaveLength(10 - finished.length);
    // Temporaries of the killed run are cleaned up.
    expect((await readdir(out)).sort()).toEqual(Object.keys(files).sort());
  });
});

/**
 * The wrapper exits first; the CLI process it started (whose pid the
 * temporaries carry) may take a moment longer to die. Resuming before that
 * would rightly leave its temporaries alone.
 */
async function killedWritersGone(dir: string): Promise<void> {
  const pids = readdirSync(dir)
    .map((f) => Number(/\.(\d+)\.[a-z0-9]+\.partial$/.exec(f)?.[1]))
    .filter((pid) => pid > 0);
  const deadline = Date.now() + 10_000;
  for (const pid of pids) {
    while (Date.now() < deadline && processIsRunning(pid)) await new Promise((r) => setTimeout(r, 20));
  }
}

/** Output images under their final names (temporaries start with a dot). */
function finishedOutputs(dir: string): string[] {
  return readdirSync(dir).filter((f) => !f.startsWith('.'));
}
