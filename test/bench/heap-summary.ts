/**
 * Summarizes a V8 heap snapshot the way the DevTools "Summary" view starts: shallow bytes and
 * counts per constructor (objects), or per node type (strings, arrays, code, ...), largest first.
 * bench-reconciler takes the snapshot (BENCH_HEAP_SNAPSHOT=1); docs/benchmarks.md keeps the table.
 *
 *   npx tsx test/bench/heap-summary.ts file.heapsnapshot [rows]
 */
import { readFileSync } from 'node:fs';

export interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]] } };
  nodes: number[];
  strings: string[];
}

export function heapSummary(snapshot: Snapshot): Array<{ what: string; bytes: number; count: number }> {
  const fields = snapshot.snapshot.meta.node_fields;
  const types = snapshot.snapshot.meta.node_types[0];
  const [typeAt, nameAt, sizeAt] = ['type', 'name', 'self_size'].map((f) => fields.indexOf(f)) as [
    number,
    number,
    number,
  ];
  const totals = new Map<string, { bytes: number; count: number }>();
  for (let i = 0; i < snapshot.nodes.length; i += fields.length) {
    const type = types[snapshot.nodes[i + typeAt]!]!;
    const what = type === 'object' ? snapshot.strings[snapshot.nodes[i + nameAt]!]! : `(${type})`;
    const total = totals.get(what) ?? { bytes: 0, count: 0 };
    total.bytes += snapshot.nodes[i + sizeAt]!;
    total.count += 1;
    totals.set(what, total);
  }
  return [...totals].map(([what, t]) => ({ what, ...t })).sort((a, b) => b.bytes - a.bytes);
}

const [file, rows = '25'] = process.argv.slice(2);
if (file && import.meta.url === `file://${process.argv[1]}`) {
  const summary = heapSummary(JSON.parse(readFileSync(file, 'utf8')) as Snapshot);
  const total = summary.reduce((n, s) => n + s.bytes, 0);
  process.stdout.write(`| what | MiB | objects |\n|---|---|---|\n`);
  for (const { what, bytes, count } of summary.slice(0, Number(rows)))
    process.stdout.write(`| \`${what.slice(0, 60)}\` | ${(bytes / 2 ** 20).toFixed(1)} | ${count} |\n`);
  process.stdout.write(`| total | ${(total / 2 ** 20).toFixed(1)} | |\n`);
}
