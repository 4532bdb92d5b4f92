/** Runs every method of a task on one case, scores it and makes its contact-sheet rows. */
import type { CpuImage } from '../../src/cpu/image.js';
import { bandAroundMask, toDisplay, unionMasks } from '../../src/metrics/index.js';
import type { CaseMaskName, QualityCase, Task } from './quality-cases.js';
import type { Method, MethodOutput } from './quality-methods.js';
import { scoreCase, truthScores } from './quality-scores.js';
import type { CaseRecord, MethodRecord } from './quality-report.js';
import { amplifiedDifference, busiestWindow, crop, makeTile, type SheetRow } from './contact-sheet.js';

export const TILE_WIDTH = 160;
/** Zoomed crops are this fraction of the frame's width and height. */
const ZOOM_FRACTION = 0.2;
export const SHEET_COLUMNS = ['raw', 'result (matte: keying)', 'ground truth', '|difference| x4', 'raw zoom', 'result zoom', 'truth zoom', 'difference zoom'];

/** Where the zoomed tiles look: the defects, the glare, the matte's thin parts and edges, the backdrop next to the piece. */
function zoomWeight(c: QualityCase): CpuImage | undefined {
  const present = (names: CaseMaskName[]) => names.map((n) => c.masks[n]).filter((m): m is CpuImage => !!m);
  const edge = c.alpha && bandAroundMask(c.alpha, 0, 6, 0.5);
  const candidates: Record<Task, CpuImage[]> = {
    restoration: present(['dust', 'scratches', 'smudges']),
    glare: present(['glare', 'glints']),
    lighting: edge ? [edge] : [],
    keying: [...present(['thin', 'gem']), ...(edge ? [edge] : [])],
    sharpening: edge ? [edge] : [],
  };
  const masks = candidates[c.task];
  return masks.length ? unionMasks(masks[0], ...masks.slice(1)) : undefined;
}

async function sheetRow(c: QualityCase, method: string, out: MethodOutput, caption: string): Promise<SheetRow> {
  const keyed = c.task === 'keying' && out.alpha && c.alpha;
  const result = keyed ? out.alpha! : toDisplay(out.result);
  const truth = keyed ? c.alpha! : toDisplay(c.truth);
  const frames = [toDisplay(c.raw), result, truth, amplifiedDifference(result, truth, 4)];
  const tiles = await Promise.all(frames.map((t) => makeTile(t, TILE_WIDTH)));
  const weight = zoomWeight(c);
  if (weight) {
    const window = busiestWindow(weight, Math.round(c.raw.width * ZOOM_FRACTION), Math.round(c.raw.height * ZOOM_FRACTION));
    tiles.push(...(await Promise.all(frames.map((t) => makeTile(crop(t, window), TILE_WIDTH, 'nearest')))));
  }
  return { caption: `${c.task} · ${c.origin} ${c.id} · ${method} · ${caption}`, tiles };
}

/** The headline score of a row caption, per task. */
function headline(task: Task, s: Record<string, number>): string {
  const f = (v: number | undefined, d = 2) => (v === undefined || Number.isNaN(v) ? '-' : v === Infinity ? 'inf' : v.toFixed(d));
  switch (task) {
    case 'restoration':
      return s.changed !== undefined ? `changed ${f(100 * s.changed, 3)}%` : `PSNR in ${f(s.psnrIn)} dB, out ${f(s.psnrOut)} dB`;
    case 'glare':
      return `PSNR in ${f(s.psnrIn)} dB, out ${f(s.psnrOut)} dB`;
    case 'lighting':
      return `CoV ${f(100 * s.cov)}%, halo ${f(s.halo)}/255, PSNR ${f(s.psnr)} dB`;
    case 'keying':
      return `SAD/px ${f(100 * s.sad)}%`;
    case 'sharpening':
      return `acutance x${f(s.acutance, 3)}, overshoot p95 ${f(100 * s.overshootP95)}%, noise x${f(s.noiseGain, 3)}`;
  }
}

/**
 * A method that throws is recorded with its error (and a note) and the
 * others still run: one broken preset must not hide every other figure.
 */
export async function evaluateCase(c: QualityCase, methods: Method[], notes: string[]): Promise<{ record: CaseRecord; rows: SheetRow[] }> {
  const record: CaseRecord = { id: c.id, task: c.task, origin: c.origin, width: c.raw.width, height: c.raw.height, truth: truthScores(c), methods: [] };
  // One sheet row per method that ran; "none" only when nothing else did, so every case is shown.
  const rows: SheetRow[] = [];
  let noneRow: (() => Promise<SheetRow>) | undefined;
  for (const method of methods) {
    const t0 = performance.now();
    let entry: MethodRecord;
    try {
      const out = await method.run(c);
      const milliseconds = performance.now() - t0;
      const scores = scoreCase(c, out);
      entry = { method: method.name, scores, milliseconds, params: out.params };
      if (method.name === 'none') noneRow = () => sheetRow(c, method.name, out, headline(c.task, scores));
      else rows.push(await sheetRow(c, method.name, out, headline(c.task, scores)));
    } catch (e) {
      entry = { method: method.name, scores: {}, milliseconds: performance.now() - t0, error: (e as Error).message };
      notes.push(`${c.task} ${c.id}: ${method.name} failed: ${(e as Error).message.split('\n')[0]}`);
    }
    record.methods.push(entry);
  }
  if (rows.length === 0 && noneRow) rows.push(await noneRow());
  return { record, rows };
}
