/** What a failed gate tells the script's author: structured, so a model can act on each line. */
import { createHash } from 'node:crypto';

export type Gate = 'author' | 'typecheck' | 'sandbox' | 'preview' | 'policy' | 'dry-run' | 'rollout';

export interface Diagnostic {
  readonly gate: Gate;
  readonly code: string;
  readonly message: string;
  /** 1-based line in the script, for type-check and compile errors. */
  readonly line?: number;
  /** `Kind/name` for policy and dry-run findings. */
  readonly object?: string;
  readonly field?: string;
  readonly fix?: string;
}

/** Identifies "the same error again" across attempts, ignoring line numbers that shift with edits. */
export function fingerprint(diagnostics: readonly Diagnostic[]): string {
  const keys = diagnostics
    .map((d) => `${d.gate}|${d.code}|${d.object ?? ''}|${d.field ?? ''}|${d.message.replace(/\d+/g, '#')}`)
    .sort();
  return createHash('sha256').update(keys.join('\n')).digest('hex').slice(0, 16);
}

export function formatDiagnostic(d: Diagnostic): string {
  const where = [d.line !== undefined ? `line ${d.line}` : '', d.object ?? '', d.field ?? '']
    .filter(Boolean)
    .join(' ');
  return `[${d.gate}] ${d.code}${where ? ` (${where})` : ''}: ${d.message}${d.fix ? ` Fix: ${d.fix}` : ''}`;
}
