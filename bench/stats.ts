// Small statistics for the benchmark: nearest-rank percentiles, medians, directory sizes.
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

/** Nearest-rank percentile (the value at or below which p% of the samples fall). */
export function percentile(samples: number[], p: number): number {
  if (!samples.length) return NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export const median = (xs: number[]) => percentile(xs, 50);
export const round = (x: number, digits = 1) => (Number.isFinite(x) ? +x.toFixed(digits) : x);

export function dirBytes(dir: string): number {
  let total = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    total += e.isDirectory() ? dirBytes(p) : statSync(p).size;
  }
  return total;
}

export interface DevQuestion {
  id: string;
  question: string;
  expect_any?: string[];
  abstain?: boolean;
}

/** quality.py's rule: in scope, a hit is a non-abstaining answer quoting one expected phrase. */
export function isHit(q: DevQuestion, abstained: boolean, texts: string[]): boolean {
  if (q.abstain || abstained) return false;
  return (q.expect_any ?? []).some((p) => texts.some((t) => t.toLowerCase().includes(p.toLowerCase())));
}
