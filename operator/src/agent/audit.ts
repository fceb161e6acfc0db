/** The record kept for every attempt: what was written, what each gate said, what it cost. */
import { createHash } from 'node:crypto';
import type { Diagnostic, Gate } from './diagnostics.js';
import type { AuthorUsage } from './script-author.js';

export interface GateRecord {
  readonly gate: Gate;
  readonly ok: boolean;
  readonly ms: number;
}

export interface AttemptRecord {
  readonly attempt: number;
  readonly author: string;
  readonly startedAt: string;
  readonly script?: string;
  readonly scriptSha256?: string;
  readonly rewriteRequested: boolean;
  readonly gates: GateRecord[];
  readonly diagnostics: Diagnostic[];
  readonly usage?: AuthorUsage;
  /** The hash of the manifests the gates passed (checks.ts manifestsDigest); what may be applied. */
  readonly checkedSha256?: string;
}

export function scriptDigest(script: string): string {
  return createHash('sha256').update(script).digest('hex');
}
