/** Plain-text tables for the benchmark's stdout. */

export function table(headers: string[], rows: (string | number)[][]): string {
  const cells = [headers, ...rows.map((r) => r.map(String))];
  const widths = headers.map((_, c) => Math.max(...cells.map((r) => (r[c] ?? '').length)));
  // Text columns left-aligned, figures right-aligned.
  const numeric = headers.map((_, c) => rows.length > 0 && rows.every((r) => /^[-\d.,x/%()–? ]*$|^n\/a$|^-$/.test(String(r[c] ?? ''))));
  const line = (r: string[]) => r.map((v, c) => (numeric[c] ? (v ?? '').padStart(widths[c]) : (v ?? '').padEnd(widths[c]))).join('  ').trimEnd();
  return [line(cells[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n');
}

export const fmtMs = (ms: number | undefined): string => (ms === undefined || !Number.isFinite(ms) ? 'n/a' : ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2));
export const fmtRatio = (r: number | undefined): string => (r === undefined || !Number.isFinite(r) ? 'n/a' : r >= 10 ? r.toFixed(1) : r.toFixed(2));
export const fmtMb = (bytes: number | undefined): string => (bytes === undefined ? 'n/a' : (bytes / 2 ** 20).toFixed(0));
