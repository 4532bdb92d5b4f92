/** Aggregation of per-case scores and the compact text table of the quality benchmark. */
import type { Task } from './quality-cases.js';
import { TASKS } from './quality-cases.js';
import type { Scores } from './quality-scores.js';

export interface MethodRecord {
  method: string;
  scores: Scores;
  milliseconds: number;
  params?: Record<string, number>;
  error?: string;
}

export interface CaseRecord {
  id: string;
  task: Task;
  origin: 'generated' | 'photo';
  width: number;
  height: number;
  /** What the ground truth itself scores (clipping, glints, backdrop evenness). */
  truth: Scores;
  methods: MethodRecord[];
}

export interface SummaryRow {
  task: Task;
  origin: 'generated' | 'photo';
  method: string;
  cases: number;
  scores: Scores;
  milliseconds: number;
}

/** PSNR of identical images is Infinity; it is averaged as this many dB. */
export const PSNR_CAP = 99;
/** Removal counts are pooled over cases (removed / visible), not averaged per case. */
const POOLED = ['specks', 'scratches'];

function mean(values: number[]): number {
  const finite = values.filter((v) => !Number.isNaN(v));
  return finite.length ? finite.reduce((a, b) => a + b, 0) / finite.length : NaN;
}

export function aggregate(scores: Scores[]): Scores {
  const keys = new Set(scores.flatMap((s) => Object.keys(s)));
  const out: Scores = {};
  for (const key of keys) {
    const pooled = POOLED.find((p) => key.startsWith(`${p}.`));
    if (pooled) {
      const sum = (k: string) => scores.reduce((a, s) => a + (s[`${pooled}.${k}`] ?? 0), 0);
      out[`${pooled}Removed`] = sum('visible') > 0 ? sum('removed') / sum('visible') : NaN;
      out[`${pooled}Visible`] = sum('visible');
      continue;
    }
    const values = scores.map((s) => s[key]).filter((v) => v !== undefined);
    out[key] = mean(key.startsWith('psnr') ? values.map((v) => Math.min(v, PSNR_CAP)) : values);
  }
  return out;
}

export function summarize(cases: CaseRecord[]): SummaryRow[] {
  const rows: SummaryRow[] = [];
  for (const task of TASKS)
    for (const origin of ['generated', 'photo'] as const) {
      const group = cases.filter((c) => c.task === task && c.origin === origin);
      if (group.length === 0) continue;
      const truth = aggregate(group.map((c) => c.truth));
      if (Object.keys(truth).length) rows.push({ task, origin, method: '(ground truth)', cases: group.length, scores: truth, milliseconds: NaN });
      const methods = [...new Set(group.flatMap((c) => c.methods.map((m) => m.method)))];
      for (const method of methods) {
        const records = group.flatMap((c) => c.methods.filter((m) => m.method === method && !m.error));
        if (records.length === 0) continue;
        rows.push({ task, origin, method, cases: records.length, scores: aggregate(records.map((r) => r.scores)), milliseconds: mean(records.map((r) => r.milliseconds)) });
      }
    }
  return rows;
}

interface Column {
  key: string;
  label: string;
  format: (v: number) => string;
}

const dB = (v: number) => (v >= PSNR_CAP ? 'inf' : v.toFixed(2));
const fixed = (digits: number) => (v: number) => v.toFixed(digits);
const percent = (digits: number) => (v: number) => `${(100 * v).toFixed(digits)}%`;

/** The columns of each task's table: the targets of issues 4, 5 and 6. */
export const COLUMNS: Record<Task, Column[]> = {
  restoration: [
    { key: 'psnr', label: 'PSNR', format: dB },
    { key: 'psnrIn', label: 'PSNR in', format: dB },
    { key: 'psnrOut', label: 'PSNR out', format: dB },
    { key: 'ssim', label: 'SSIM', format: fixed(4) },
    { key: 'ssimIn', label: 'SSIM in', format: fixed(4) },
    { key: 'ssimOut', label: 'SSIM out', format: fixed(4) },
    { key: 'specksRemoved', label: 'specks rm', format: percent(1) },
    { key: 'scratchesRemoved', label: 'scratch rm', format: percent(1) },
    { key: 'changed', label: 'changed(clean)', format: percent(3) },
  ],
  glare: [
    { key: 'psnr', label: 'PSNR', format: dB },
    { key: 'psnrIn', label: 'PSNR in', format: dB },
    { key: 'psnrOut', label: 'PSNR out', format: dB },
    { key: 'clipped', label: 'clipped in', format: percent(2) },
    { key: 'glint', label: 'glint contrast/255', format: (v) => (255 * v).toFixed(1) },
  ],
  lighting: [
    { key: 'psnr', label: 'PSNR', format: dB },
    { key: 'cov', label: 'backdrop CoV', format: percent(2) },
    { key: 'halo', label: 'halo/255', format: fixed(2) },
  ],
  keying: [
    { key: 'sad', label: 'SAD/px', format: percent(2) },
    { key: 'mse', label: 'MSE', format: (v) => v.toExponential(2) },
    { key: 'grad', label: 'grad', format: fixed(3) },
    { key: 'thinSad', label: 'thin SAD/px', format: percent(2) },
    { key: 'gemSad', label: 'gem SAD/px', format: percent(2) },
    { key: 'contamination', label: 'contam/255', format: fixed(2) },
  ],
  sharpening: [
    { key: 'psnr', label: 'PSNR', format: dB },
    { key: 'acutance', label: 'acutance x', format: fixed(3) },
    { key: 'overshootMean', label: 'overshoot mean', format: percent(2) },
    { key: 'overshootP95', label: 'overshoot p95', format: percent(2) },
    { key: 'noiseGain', label: 'noise gain x', format: fixed(3) },
  ],
};

export function formatTable(rows: SummaryRow[]): string {
  const lines: string[] = [];
  for (const task of TASKS)
    for (const origin of ['generated', 'photo'] as const) {
      const group = rows.filter((r) => r.task === task && r.origin === origin);
      if (group.length === 0) continue;
      const header = ['method', 'n', ...COLUMNS[task].map((c) => c.label), 'ms'];
      const body = group.map((r) => [
        r.method,
        String(r.cases),
        ...COLUMNS[task].map((c) => (r.scores[c.key] === undefined || Number.isNaN(r.scores[c.key]) ? '-' : c.format(r.scores[c.key]))),
        Number.isNaN(r.milliseconds) ? '' : r.milliseconds.toFixed(0),
      ]);
      const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
      const line = (cells: string[]) => cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ');
      lines.push(`\n${task} (${origin === 'photo' ? 'real photos with synthetic defects' : 'generated shots'})`, line(header), ...body.map(line));
    }
  return lines.join('\n');
}
