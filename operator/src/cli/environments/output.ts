/** kubectl-like output for the user commands: a table by default, or -o json|yaml|name. */
import { stringify } from 'yaml';
import type { Environment } from '../../client/schemas.js';

export const OUTPUT_FORMATS = ['table', 'json', 'yaml', 'name'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

export function isOutputFormat(value: string): value is OutputFormat {
  return (OUTPUT_FORMATS as readonly string[]).includes(value);
}

/** Columns padded to the widest cell, separated by three spaces, as kubectl prints them. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join('   ')
      .trimEnd();
  return `${[header, ...rows].map(line).join('\n')}\n`;
}

/** How long ago (or until) a time, as kubectl's AGE column: 45s, 12m, 3h, 2d. */
export function age(iso: string | undefined, now = Date.now()): string {
  if (!iso) return '<none>';
  const seconds = Math.round(Math.abs(now - Date.parse(iso)) / 1000);
  if (seconds < 120) return `${seconds}s`;
  if (seconds < 7200) return `${Math.floor(seconds / 60)}m`;
  if (seconds < 172_800) return `${Math.floor(seconds / 3600)}h`;
  return `${Math.floor(seconds / 86_400)}d`;
}

function expiresIn(iso: string | undefined, now = Date.now()): string {
  if (!iso) return '<none>';
  return Date.parse(iso) < now ? `${age(iso, now)} ago` : `in ${age(iso, now)}`;
}

export function environmentTable(items: Environment[], withNamespace: boolean): string {
  const header = ['NAME', 'PHASE', 'APPROVAL', 'URL', 'EXPIRES', 'AGE'];
  const rows = items.map((e) => [
    e.name,
    e.phase,
    e.approval === 'Manual' ? (e.plan?.approved ? 'approved' : 'waiting') : 'auto',
    e.previewUrl ?? '<none>',
    expiresIn(e.expiresAt),
    age(e.createdAt),
  ]);
  return withNamespace
    ? table(
        ['NAMESPACE', ...header],
        rows.map((r, i) => [items[i]!.namespace, ...r]),
      )
    : table(header, rows);
}

/** Prints a value in the chosen format; `table` and `name` are the caller's, given as text. */
export function render(
  format: OutputFormat,
  value: unknown,
  views: { table: () => string; name: () => string },
): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify(value, null, 2)}\n`;
    case 'yaml':
      return stringify(value);
    case 'name':
      return views.name();
    default:
      return views.table();
  }
}

export const environmentName = (e: Pick<Environment, 'name'>) => `vibeenvironment.vibe.dev/${e.name}\n`;
