/**
 * Wall-clock timing with warm-up, a run count and a time budget. GPU work
 * must be finished inside `fn` (gl.finish), so a sample is the full cost.
 */

export interface Timing {
  medianMs: number;
  minMs: number;
  maxMs: number;
  /** Every timed sample, in order (warm-ups excluded). */
  samplesMs: number[];
}

export interface TimingPlan {
  warmups: number;
  runs: number;
  /**
   * Stop adding runs once warm-ups plus runs have taken this long (at least
   * one timed run always happens), so slow operations at 24 MP do not blow
   * the benchmark's time limit. The JSON records how many runs were made.
   */
  budgetMs: number;
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * Times `fn`. If it returns a number, that is the sample in ms (lets a
 * caller leave set-up such as building a runner out of the timed region).
 */
export async function measure(plan: TimingPlan, fn: () => number | void | Promise<number | void>): Promise<Timing> {
  const start = performance.now();
  for (let i = 0; i < plan.warmups; i++) await fn();
  const samplesMs: number[] = [];
  while (samplesMs.length < Math.max(1, plan.runs)) {
    if (samplesMs.length > 0 && performance.now() - start > plan.budgetMs) break;
    const t0 = performance.now();
    const reported = await fn();
    samplesMs.push(typeof reported === 'number' ? reported : performance.now() - t0);
  }
  return summarize(samplesMs);
}

export function summarize(samplesMs: number[]): Timing {
  return { medianMs: median(samplesMs), minMs: Math.min(...samplesMs), maxMs: Math.max(...samplesMs), samplesMs };
}

/**
 * Predicts a measurement's time at a larger size from the largest smaller
 * size measured (cost proportional to pixels), so operations that would
 * take longer than a limit per run are skipped with the prediction reported
 * instead of stalling the benchmark for hours on a loaded machine.
 */
export class CostPredictor {
  private msPerPixel = new Map<string, { pixels: number; msPerPixel: number }>();

  constructor(private readonly maxRunMs: number) {}

  record(key: string, pixels: number, ms: number): void {
    const prev = this.msPerPixel.get(key);
    if (!prev || pixels >= prev.pixels) this.msPerPixel.set(key, { pixels, msPerPixel: ms / pixels });
  }

  /** Why to skip `key` at `pixels`, or undefined to measure it. */
  skipReason(key: string, pixels: number): string | undefined {
    const prev = this.msPerPixel.get(key);
    if (!prev || prev.pixels >= pixels) return undefined;
    const predicted = prev.msPerPixel * pixels;
    if (predicted <= this.maxRunMs) return undefined;
    return `skipped: ~${(predicted / 1000).toFixed(0)} s per run predicted from ${(prev.pixels / 1e6).toFixed(1)} MP (over --max-run-s ${this.maxRunMs / 1000})`;
  }
}
