/**
 * Locality benchmark: how far a small local edit reaches in a preset's
 * outputs. A retoucher who heals one speck expects nothing else to move, and
 * thresholds that scale with a frame-wide statistic (the keyer's noise
 * estimate, see "Small input changes move the matte far away" in
 * docs/passes-light-background.md) can break that.
 *
 * For each image (generated shots, or the photos of --photos) the preset
 * runs on the image and on copies where one 7x7 patch is changed: copied
 * from the pixel 10 px to its left (a healed speck) or darkened to 0.7 (a
 * speck of dust). Per output it counts the 8-bit values that move by more
 * than 2 levels farther than --radius px from the patch.
 *
 *   npx tsx bench/locality.ts [--preset catalogue] [--photos <folder>] [--match <regex>]
 *     [--width 1000] [--no-generated] [--out <dir>]
 */
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { Command } from 'commander';
import sharp from 'sharp';
import * as generator from '../src/generator/index.js';
import { getHeadlessEngine } from '../src/node/headless.js';
import { loadPresetsFromDir } from '../src/api/presets.js';
import { linearToSrgb } from '../src/cpu/reference.js';
import type { Engine, PixelBuffer } from '../src/engine/engine.js';
import type { GraphSpec } from '../src/graph/types.js';
import type { CpuImage } from '../src/cpu/image.js';
import { positiveInt, regex } from './lib/cli-options.js';

const PATCH = 7;
/** Levels an output value may move by and still count as unchanged (8-bit rounding of float differences). */
const TOLERANCE_LEVELS = 2;
/** Generated shots: a set (ring, pendant, fine chain) on white and a ring on a textured backdrop. */
const GENERATED = [
  { seed: 11, subject: 'set', background: 'white' },
  { seed: 12, subject: 'ring', background: 'textured' },
] as const;

const program = new Command('bench:locality')
  .description('Count output values that a small local edit moves far from it.')
  .option('--preset <name>', 'preset to run (src/presets/<name>.json)', 'catalogue')
  .option('--photos <folder>', 'also use the photos of this folder (JPEG, PNG, WebP; a cutout\'s alpha is dropped)')
  .option('--match <regex>', 'only the photos whose file name matches', regex)
  .option('--width <px>', 'images are scaled to this width', positiveInt, 1000)
  .option('--radius <px>', 'changes within this distance of the patch centre are the edit\'s own', positiveInt, 30)
  .option('--no-generated', 'skip the generated shots')
  .option('--out <dir>', 'where locality.json goes', 'bench-results');

interface Edit {
  x: number;
  y: number;
  mode: 'copy' | 'darken';
}

/** Four patch positions at a fifth of the way in from each corner, each copied and darkened. */
function edits(width: number, height: number): Edit[] {
  const at = [[0.2, 0.2], [0.8, 0.2], [0.2, 0.8], [0.8, 0.8]].map(([u, v]) => ({ x: Math.round(u * width), y: Math.round(v * height) }));
  return at.flatMap((p) => [{ ...p, mode: 'copy' as const }, { ...p, mode: 'darken' as const }]);
}

function applyEdit(img: PixelBuffer, e: Edit): PixelBuffer {
  const data = Uint8Array.from(img.data as Uint8Array);
  const src = (e.y * img.width + e.x - 10) * 4;
  for (let y = e.y; y < e.y + PATCH; y++)
    for (let x = e.x; x < e.x + PATCH; x++)
      for (let c = 0; c < 3; c++) {
        const i = (y * img.width + x) * 4 + c;
        data[i] = e.mode === 'copy' ? img.data[src + c] : Math.round(0.7 * img.data[i]);
      }
  return { width: img.width, height: img.height, data };
}

/** A generated shot's raw image as the 8-bit sRGB a camera file holds. */
function toBytes(img: CpuImage): PixelBuffer {
  const data = new Uint8Array(img.width * img.height * 4);
  for (let i = 0; i < data.length; i++) data[i] = Math.round(255 * Math.min(1, Math.max(0, i % 4 === 3 ? img.data[i] : linearToSrgb(img.data[i]))));
  return { width: img.width, height: img.height, data };
}

async function loadPhoto(path: string, width: number): Promise<PixelBuffer> {
  try {
    const { data, info } = await sharp(path).rotate().resize({ width }).toColourspace('srgb').removeAlpha().ensureAlpha().raw().toBuffer({ resolveWithObject: true });
    return { width: info.width, height: info.height, data: new Uint8Array(data) };
  } catch (e) {
    throw new Error(`${path}: cannot read it as an image (${(e as Error).message})`);
  }
}

function render(engine: Engine, graph: GraphSpec, img: PixelBuffer): Map<string, Uint8Array> {
  const runner = engine.runner(graph, 'none');
  try {
    runner.setExternal('source', engine.upload(img));
    const out = new Map<string, Uint8Array>();
    for (const [name, result] of runner.run()) out.set(name, engine.download(result).data as Uint8Array);
    return out;
  } finally {
    runner.dispose();
  }
}

/** Values farther than `radius` from the patch centre that moved by more than TOLERANCE_LEVELS, and the largest such move. */
function farChanges(a: Uint8Array, b: Uint8Array, width: number, e: Edit, radius: number): { values: number; max: number } {
  const [cx, cy] = [e.x + (PATCH - 1) / 2, e.y + (PATCH - 1) / 2];
  let values = 0;
  let max = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i] - b[i]);
    if (d <= TOLERANCE_LEVELS) continue;
    const p = i >> 2;
    if (Math.hypot((p % width) - cx, Math.floor(p / width) - cy) <= radius) continue;
    values++;
    max = Math.max(max, d);
  }
  return { values, max };
}

async function main(): Promise<void> {
  const o = program.parse().opts<{ preset: string; photos?: string; match?: RegExp; width: number; radius: number; generated: boolean; out: string }>();
  // The patches sit a fifth of the way in, and a copied one takes its colour 10 px to its left.
  if (o.width < 64) throw new Error('--width must be at least 64 px');
  const preset = loadPresetsFromDir().presets.get(o.preset);
  if (!preset) throw new Error(`unknown preset "${o.preset}"`);
  // Only the final image and, where the preset has one, its matte.
  const { result, alpha } = preset.graph.outputs;
  if (!result) throw new Error(`preset "${o.preset}" has no "result" output`);
  const graph: GraphSpec = { ...preset.graph, outputs: alpha ? { result, alpha } : { result } };
  const engine = await getHeadlessEngine();

  const images: Array<{ id: string; pixels: PixelBuffer }> = [];
  if (o.generated) {
    for (const spec of GENERATED) {
      const height = Math.round((o.width * 3) / 4);
      const shot = await generator.generateShot(engine, { ...spec, width: o.width, height });
      images.push({ id: `${spec.subject}-${spec.background}-s${spec.seed}`, pixels: toBytes(shot.raw) });
    }
  }
  if (o.photos) {
    const files = readdirSync(o.photos).filter((f) => ['.jpg', '.jpeg', '.png', '.webp'].includes(extname(f).toLowerCase()) && (!o.match || o.match.test(f))).sort();
    for (const f of files) images.push({ id: basename(f, extname(f)), pixels: await loadPhoto(join(o.photos, f), o.width) });
  }

  if (images.length === 0) throw new Error(o.photos ? `no photo in ${o.photos} matches (JPEG, PNG or WebP${o.match ? `, name matching ${o.match}` : ''})` : 'nothing to measure: --no-generated without --photos');

  const rows: Array<{ image: string; edit: Edit; outputs: Record<string, { values: number; max: number }> }> = [];
  const header = `${'image'.padEnd(32)} ${'edit'.padEnd(20)} ${Object.keys(graph.outputs).map((k) => `${k} far values (max)`.padStart(24)).join(' ')}`;
  console.log(`preset ${o.preset}, width ${o.width}, far = more than ${o.radius} px from the ${PATCH}x${PATCH} patch, moved by more than ${TOLERANCE_LEVELS} levels\n${header}`);
  for (const { id, pixels } of images) {
    const before = render(engine, graph, pixels);
    for (const e of edits(pixels.width, pixels.height)) {
      const after = render(engine, graph, applyEdit(pixels, e));
      const outputs: Record<string, { values: number; max: number }> = {};
      for (const [name, a] of before) outputs[name] = farChanges(a, after.get(name)!, pixels.width, e, o.radius);
      rows.push({ image: id, edit: e, outputs });
      console.log(`${id.padEnd(32)} ${`${e.mode} at ${e.x},${e.y}`.padEnd(20)} ${Object.values(outputs).map((c) => `${c.values} (${c.max})`.padStart(24)).join(' ')}`);
    }
  }
  const edited = rows.length;
  const reaching = rows.filter((r) => Object.values(r.outputs).some((c) => c.values > 0)).length;
  console.log(`\n${reaching} of ${edited} edits moved something far away`);
  mkdirSync(o.out, { recursive: true });
  const file = join(o.out, 'locality.json');
  writeFileSync(file, JSON.stringify({ date: new Date().toISOString(), options: { ...o, match: o.match?.source }, rows }, null, 2));
  console.log(`wrote ${file}`);
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
