/**
 * The Code Mode loop: the author writes one script; it must pass the type-check, run in the sandbox,
 * and pass the checks after it (the operator's rewrites, the policy gate and, with a cluster, a
 * server-side dry-run; see checks.ts). Each failure goes back to the author as diagnostics; the
 * same diagnostics twice ask for a rewrite, three times end the loop.
 */
import type { ClusterFacts, SandboxExecutor } from '../sandbox/types.js';
import { scriptDigest, type AttemptRecord, type GateRecord } from './audit.js';
import { addAuthorUsage, NO_USAGE } from './author-usage.js';
import { runChecks, timed, type PlanChecks } from './checks.js';
import { fingerprint, type Diagnostic, type Gate } from './diagnostics.js';
import type { AuthorUsage, ScriptAuthor } from './script-author.js';
import { typecheck } from './typecheck-gate.js';

export type { DryRun } from './checks.js';

export interface AgentOptions extends PlanChecks {
  readonly intent: string;
  readonly author: ScriptAuthor;
  readonly executor: SandboxExecutor;
  readonly facts?: ClusterFacts;
  readonly maxAttempts: number;
}

export interface AgentFailure {
  readonly gate: Gate;
  readonly code: string;
  readonly message: string;
  /** The intent was refused, as opposed to a script that never passed the gates. */
  readonly refused: boolean;
}

export interface AgentOutcome {
  readonly ok: boolean;
  readonly script?: string;
  readonly manifests: Record<string, unknown>[];
  readonly attempts: AttemptRecord[];
  readonly diagnostics: Diagnostic[];
  readonly failure?: AgentFailure;
  readonly usage: AuthorUsage;
  /** The hash of the manifests every gate saw, when the loop succeeded. */
  readonly checkedSha256?: string;
}

const STUCK_AFTER = 3;

export async function runAgent(o: AgentOptions): Promise<AgentOutcome> {
  const attempts: AttemptRecord[] = [];
  let usage: AuthorUsage = NO_USAGE;
  let previous: { script: string; diagnostics: Diagnostic[] } | undefined;
  const seen = new Map<string, number>();
  let lastPrint: string | undefined;

  const fail = (failure: AgentFailure, diagnostics: Diagnostic[]): AgentOutcome => ({
    ok: false,
    script: previous?.script,
    manifests: [],
    attempts,
    diagnostics,
    failure,
    usage,
  });

  for (let attempt = 1; attempt <= o.maxAttempts; attempt++) {
    const rewrite = previous !== undefined && lastPrint !== undefined && (seen.get(lastPrint) ?? 0) >= 2;
    const startedAt = new Date().toISOString();
    const gates: GateRecord[] = [];
    const authored = await timed(
      'author',
      gates,
      () => o.author.write({ intent: o.intent, attempt, previous, rewrite }),
      (a) => a.ok,
    );
    usage = addAuthorUsage(usage, authored.usage);
    if (!authored.ok) {
      const diagnostic: Diagnostic = { gate: 'author', code: authored.code, message: authored.message };
      attempts.push({
        attempt,
        author: o.author.name,
        startedAt,
        rewriteRequested: rewrite,
        gates,
        diagnostics: [diagnostic],
        usage: authored.usage,
      });
      if (!authored.refused && previous) {
        const last = previous.diagnostics[0]!;
        const message = `${authored.message} The last attempt failed at the ${last.gate} gate: ${last.message}`;
        return fail({ gate: last.gate, code: authored.code, message, refused: false }, previous.diagnostics);
      }
      return fail(
        { gate: 'author', code: authored.code, message: authored.message, refused: authored.refused },
        [diagnostic],
      );
    }
    const script = authored.script;
    const record = (diagnostics: Diagnostic[], checkedSha256?: string) =>
      attempts.push({
        attempt,
        author: o.author.name,
        startedAt,
        script,
        scriptSha256: scriptDigest(script),
        rewriteRequested: rewrite,
        gates,
        diagnostics,
        usage: authored.usage,
        ...(checkedSha256 ? { checkedSha256 } : {}),
      });

    let diagnostics: Diagnostic[] = await timed(
      'typecheck',
      gates,
      () => typecheck(script),
      (d) => d.length === 0,
    );
    let manifests: Record<string, unknown>[] = [];
    if (!diagnostics.length) {
      const run = await timed(
        'sandbox',
        gates,
        () => o.executor.run({ source: script, facts: o.facts }),
        (r) => r.ok,
      );
      if (!run.ok) diagnostics = [{ gate: 'sandbox', code: run.code, message: run.message }];
      else manifests = run.manifests;
    }
    let checkedSha256: string | undefined;
    if (!diagnostics.length) {
      const checked = await runChecks(o, manifests, gates);
      diagnostics = checked.diagnostics;
      manifests = checked.manifests;
      checkedSha256 = checked.checkedSha256;
    }
    record(diagnostics, checkedSha256);
    if (!diagnostics.length) {
      return { ok: true, script, manifests, attempts, diagnostics: [], usage, checkedSha256 };
    }

    previous = { script, diagnostics };
    lastPrint = fingerprint(diagnostics);
    const count = (seen.get(lastPrint) ?? 0) + 1;
    seen.set(lastPrint, count);
    if (count >= STUCK_AFTER) {
      return fail(
        {
          gate: diagnostics[0]!.gate,
          code: 'VIBE_AGENT_STUCK',
          message: `the same ${diagnostics[0]!.gate} error came back ${count} times, even after asking for a rewrite; stopping.`,
          refused: false,
        },
        diagnostics,
      );
    }
  }
  const last = previous!.diagnostics[0]!;
  return fail(
    {
      gate: last.gate,
      code: 'VIBE_AGENT_BUDGET_EXHAUSTED',
      message: `no script passed every gate within ${o.maxAttempts} attempts; the last failure was at the ${last.gate} gate: ${last.message}`,
      refused: false,
    },
    previous!.diagnostics,
  );
}
