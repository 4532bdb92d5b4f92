/**
 * Contact sheets of the hard cases issues 5 and 6 name, zoomed on generated
 * shots with known ground truth, so anyone can look at them again:
 * - hard-cases-imperfections.png: dust on a chain and scratches across a
 *   gem's facet edges (raw | `imperfections` preset | truth | heal mask),
 *   each captioned with the mean luma error against the truth over the
 *   defect, before and after;
 * - hard-cases-keying.png: the piece's soft edge on white (white metal among
 *   it), a thin chain and a gem
 *   (raw | `cutout` over dark blue | true matte over dark blue | alpha error
 *   x 4), each captioned with the mean alpha error in the crop.
 *
 *   npm run bench:hard-cases [-- --size 1024x768] [--out bench-results]
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { getHeadlessEngine } from '../src/node/headless.js';
import { generateShot } from '../src/generator/index.js';
import type { Shot } from '../src/generator/types.js';
import type { Engine } from '../src/engine/engine.js';
import { createImage, type CpuImage } from '../src/cpu/image.js';
import { connectedComponents, dilateMask, toDisplay } from '../src/metrics/index.js';
import { readGraph, renderGraph, PRESETS_DIR } from './lib/quality-methods.js';
import { amplifiedDifference, busiestWindow, crop, makeTile, writeContactSheet, type SheetRow, type Window } from './lib/contact-sheet.js';

const size = (v: string) => {
  const m = /^(\d+)x(\d+)$/.exec(v);
  if (!m) throw new InvalidArgumentError('expected WIDTHxHEIGHT, e.g. 1024x768');
  return { width: Number(m[1]), height: Number(m[2]) };
};
const opts = new Command('bench:hard-cases')
  .description('Zoomed contact sheets of the hard cases (dust on a chain, scratches across facet edges, soft edges on white, chains, gems) on generated shots.')
  .option('--size <WxH>', 'size of the generated shots', size, { width: 1024, height: 768 })
  .option('--out <dir>', 'where the sheets go', 'bench-results')
  .parse()
  .opts<{ size: { width: number; height: number }; out: string }>();

/** Crop side (px) and tile width: a 32 px crop drawn 6x with square pixels. */
const CROP = 32;
const TILE = 192;
/** Crops per case. */
const PER_CASE = 4;
const BACKGROUND = [0.02, 0.03, 0.12];

const luma = (img: CpuImage, p: number) => 0.2126 * img.data[4 * p] + 0.7152 * img.data[4 * p + 1] + 0.0722 * img.data[4 * p + 2];
const meanOver = (pixels: number[], f: (p: number) => number) => pixels.reduce((s, p) => s + f(p), 0) / pixels.length;

/** The CROP x CROP window centred on a set of pixels, kept inside the frame. */
function windowAround(pixels: number[], width: number, height: number): Window {
  const cx = meanOver(pixels, (p) => p % width);
  const cy = meanOver(pixels, (p) => Math.floor(p / width));
  const clamp = (v: number, hi: number) => Math.max(0, Math.min(hi - CROP, Math.round(v - CROP / 2)));
  return { x: clamp(cx, width), y: clamp(cy, height), width: CROP, height: CROP };
}

const preset = (name: string) => readGraph(`${PRESETS_DIR}${name}.json`);
const zoom = (img: CpuImage, w: Window) => makeTile(crop(img, w), TILE, 'nearest');
/**
 * Rows for the defects of one kind that lie on a structure (chain strands,
 * gems): the visible ones (more than 3/255 mean luma difference from the
 * truth), strongest first.
 */
async function defectRows(engine: Engine, label: string, shot: Shot, kind: 'dust' | 'scratches', on: CpuImage): Promise<SheetRow[]> {
  const { result, mask } = renderGraph(engine, preset('imperfections'), shot.raw, ['result', 'mask']);
  const [raw, truth, out] = [shot.raw, shot.clean, result].map(toDisplay);
  const near = dilateMask(on, 2, 0.4);
  const error = (img: CpuImage) => (px: number[]) => 255 * meanOver(px, (p) => Math.abs(luma(img, p) - luma(truth, p)));
  const defects = connectedComponents(shot.masks[kind])
    .filter((px) => px.some((p) => near.data[4 * p] > 0.5) && error(raw)(px) > 3)
    .sort((a, b) => error(raw)(b) - error(raw)(a))
    .slice(0, PER_CASE);
  const rows: SheetRow[] = [];
  for (const px of defects) {
    const w = windowAround(px, raw.width, raw.height);
    rows.push({
      caption: `${label} at (${w.x + CROP / 2}, ${w.y + CROP / 2}): mean luma error over the defect ${error(raw)(px).toFixed(1)}/255 before, ${error(out)(px).toFixed(1)}/255 after; masked ${(100 * meanOver(px, (p) => mask.data[4 * p])).toFixed(0)} %`,
      tiles: await Promise.all([raw, out, truth, mask].map((img) => zoom(img, w))),
    });
  }
  return rows;
}

/** The piece over a dark blue, in display values: `premultiplied(i)` is its colour times alpha (linear) at channel index i. */
function overBlue(alpha: CpuImage, premultiplied: (i: number) => number): CpuImage {
  return toDisplay(createImage(alpha.width, alpha.height, (x, y) => {
    const i = (y * alpha.width + x) * 4;
    return [0, 1, 2].map((c) => premultiplied(i + c) + BACKGROUND[c] * (1 - alpha.data[i])).concat(1) as [number, number, number, number];
  }));
}

/** Rows for the busiest crops of a structure (chain, gem, the piece's edge) in a keyed shot. */
async function keyingRows(engine: Engine, label: string, shot: Shot, where: CpuImage): Promise<SheetRow[]> {
  const { result, alpha } = renderGraph(engine, preset('cutout'), shot.raw, ['result', 'alpha']);
  const truthAlpha = shot.alpha;
  const cutout = overBlue(alpha, (i) => result.data[i] * alpha.data[i - (i % 4)]);
  // The truth's piece alone: the clean shot less its backdrop's share.
  const truth = overBlue(truthAlpha, (i) => shot.clean.data[i] - (1 - truthAlpha.data[i - (i % 4)]) * shot.backdrop.data[i]);
  // The crops with the most of the structure, none overlapping another.
  const weight = { width: where.width, height: where.height, data: where.data.slice() };
  const taken: Window[] = [];
  for (let k = 0; k < PER_CASE; k++) {
    const w = busiestWindow(weight, CROP, CROP);
    let left = 0;
    for (let y = w.y; y < w.y + CROP; y++) for (let x = w.x; x < w.x + CROP; x++) {
      left += weight.data[(y * weight.width + x) * 4];
      weight.data[(y * weight.width + x) * 4] = 0;
    }
    if (left === 0) break;
    taken.push(w);
  }
  const rows: SheetRow[] = [];
  for (const w of taken) {
    let sum = 0;
    for (let y = w.y; y < w.y + CROP; y++) for (let x = w.x; x < w.x + CROP; x++) sum += Math.abs(alpha.data[(y * alpha.width + x) * 4] - truthAlpha.data[(y * alpha.width + x) * 4]);
    rows.push({
      caption: `${label} at (${w.x + CROP / 2}, ${w.y + CROP / 2}): mean alpha error in the crop ${((100 * sum) / (CROP * CROP)).toFixed(2)} %`,
      tiles: await Promise.all([toDisplay(shot.raw), cutout, truth, amplifiedDifference(alpha, truthAlpha, 4)].map((img) => zoom(img, w))),
    });
  }
  return rows;
}

async function main(): Promise<void> {
  const engine = await getHeadlessEngine();
  const { width, height } = opts.size;
  const shot = (seed: number, subject: 'chain' | 'ring' | 'set', defects: Record<string, boolean>) =>
    generateShot(engine, { seed, width, height, subject, background: 'white', defects });
  const restoration = { dust: true, scratches: true, smudges: true, noise: true, lighting: false, glare: false };
  const chain = await shot(21, 'chain', restoration);
  const ring = await shot(22, 'ring', restoration);
  const defects = [
    ...(await defectRows(engine, 'dust on a chain', chain, 'dust', chain.masks.thin)),
    ...(await defectRows(engine, 'scratch across a gem\'s facet edges', ring, 'scratches', ring.masks.gem)),
  ];
  mkdirSync(opts.out, { recursive: true });
  const imperfections = join(opts.out, 'hard-cases-imperfections.png');
  await writeContactSheet(imperfections, ['raw', 'imperfections preset', 'truth', 'heal mask'], defects, TILE);

  const set = await shot(23, 'set', { dust: false, scratches: false, smudges: false, noise: true, lighting: false, glare: false });
  // The piece's soft edge on white (the white metal's among it): where the true matte is soft, off chains and gems.
  const edge = createImage(width, height, (x, y) => {
    const a = set.alpha.data[(y * width + x) * 4];
    const v = a > 0.05 && a < 0.95 && set.masks.thin.data[(y * width + x) * 4] < 0.1 && set.masks.gem.data[(y * width + x) * 4] < 0.1 ? 1 : 0;
    return [v, v, v, 1];
  });
  const keying = [
    ...(await keyingRows(engine, 'soft edge on white', set, edge)),
    ...(await keyingRows(engine, 'thin chain', set, set.masks.thin)),
    ...(await keyingRows(engine, 'gem', set, set.masks.gem)),
  ];
  const keyed = join(opts.out, 'hard-cases-keying.png');
  await writeContactSheet(keyed, ['raw', 'cutout preset over blue', 'true matte over blue', 'alpha error x4'], keying, TILE);
  console.log(`wrote ${imperfections} (${defects.length} rows) and ${keyed} (${keying.length} rows)`);
}

await main();
process.exit(0);
