import type { BatchSummary, FileResult } from './batch.js';

export interface OutputStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface Reporter {
  start(total: number): void;
  file(result: FileResult): void;
  finish(summary: BatchSummary): void;
}

/**
 * Progress of a batch. On a terminal: a status line per file above a
 * redrawn bar with counts and ETA. Otherwise: one plain line per file.
 * With --json, stdout gets exactly one JSON object per file and the human
 * progress goes to stderr (bar on a terminal, nothing otherwise).
 */
export function createReporter(stdout: OutputStream, stderr: OutputStream, json: boolean): Reporter {
  const tty = stderr.isTTY === true;
  let total = 0;
  let done = 0;
  let failed = 0;
  let t0 = 0;
  const bar = () => {
    const width = 24;
    const filled = total ? Math.round((done / total) * width) : width;
    const elapsed = (performance.now() - t0) / 1000;
    const eta = done ? (elapsed / done) * (total - done) : NaN;
    return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${total}${failed ? ` (${failed} failed)` : ''}  ${formatDuration(elapsed)} elapsed, ETA ${done ? formatDuration(eta) : '--:--'}`;
  };
  return {
    start(n) {
      total = n;
      t0 = performance.now();
      if (tty) stderr.write(bar());
    },
    file(r) {
      done++;
      if (r.status === 'failed') failed++;
      if (json) stdout.write(JSON.stringify(r) + '\n');
      const line = describe(r, done, total);
      if (tty) stderr.write(`\r\x1b[K${line}\n${bar()}`);
      else if (!json) stdout.write(line + '\n');
    },
    finish(s) {
      if (tty) stderr.write('\r\x1b[K');
      stderr.write(formatSummary(s) + '\n');
    },
  };
}

function describe(r: FileResult, done: number, total: number): string {
  const n = `[${String(done).padStart(String(total).length)}/${total}]`;
  if (r.status === 'ok') {
    const notes = (r.notes ?? []).map((note) => `\n${' '.repeat(n.length)} note    ${note}`).join('');
    return `${n} ok      ${r.input} -> ${r.output} (${r.width}x${r.height}, ${Math.round(r.timings!.totalMs)} ms)${notes}`;
  }
  if (r.status === 'skipped') return `${n} skipped ${r.input}: ${r.output} exists (use --overwrite to redo it)`;
  const message = String(r.error?.message ?? 'unknown error');
  return `${n} FAILED  ${message.startsWith(r.input) ? message : `${r.input}: ${message}`}`;
}

export function formatSummary(s: BatchSummary): string {
  const rate = s.seconds > 0 && s.ok > 0 ? `; ${(s.ok / s.seconds).toFixed(2)} images/s, ${(s.megapixels / s.seconds).toFixed(2)} MP/s` : '';
  return `${s.total} file${s.total === 1 ? '' : 's'}: ${s.ok} retouched, ${s.skipped} skipped, ${s.failed} failed in ${s.seconds.toFixed(1)} s (${s.megapixels.toFixed(2)} MP${rate})`;
}

function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '--:--';
  const s = Math.round(seconds);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}
