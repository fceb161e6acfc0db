/** Order statistics of a few timed samples, and how they print. */
export interface Figures {
  readonly p50: number;
  readonly p95: number;
  readonly min: number;
}

export function figures(samples: readonly number[]): Figures {
  if (samples.length === 0) return { p50: NaN, p95: NaN, min: NaN };
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
  return { p50: at(0.5), p95: at(0.95), min: sorted[0]! };
}

/** Milliseconds as seconds with two decimals, the unit every figure of bench-e2e is read in. */
export function seconds(ms: number): string {
  return Number.isFinite(ms) ? (ms / 1000).toFixed(2) : '-';
}

/** A markdown table, so the output can be pasted into docs/benchmarks.md as it is. */
export function table(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}
