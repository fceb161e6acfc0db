/**
 * The Code Mode loop: the author writes one script; it must pass the type-check, run in the sandbox,
 * and pass the checks after it (the operator's rewrites, the policy gate and, with a cluster, a
 * server-side dry-run; see checks.ts). Each failure goes back to the author as diagnostics; the
 * same diagnostics twice ask for a rewrite, three times end the loop.
 */
import type { ClusterFacts, SandboxExecutor } from '../sandbox/types.js';
import { scriptDigest, type AttemptRecord, type GateRecord } from './audit.js';
import { addAuthorUsage, NO_USAGE } from './author-usage.js';
import { runChecks, timed, type Checked, type PlanChecks } from './checks.js';
import { fingerprint, type Diagnostic, type Gate } from './diagnostics.js';
import type { Authored, AuthorUsage, ScriptAuthor } from './script-author.js';
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
      const { failure, diagnostics } = authorFailure(authored, diagnostic, previous);
      return fail(failure, diagnostics);
    }
    const script = authored.script;
    const { diagnostics, manifests, checkedSha256 } = await passGates(o, script, gates);
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
    if (!diagnostics.length) {
      return { ok: true, script, manifests, attempts, diagnostics: [], usage, checkedSha256 };
    }

    previous = { script, diagnostics };
    lastPrint = fingerprint(diagnostics);
    const count = (seen.get(lastPrint) ?? 0) + 1;
    seen.set(lastPrint, count);
    if (count >= STUCK_AFTER) return fail(stuck(diagnostics[0]!, count), diagnostics);
  }
  return fail(budgetExhausted(o.maxAttempts, previous!.diagnostics[0]!), previous!.diagnostics);
}

/** The same diagnostics came back `count` times, a rewrite asked for in between. */
function stuck(first: Diagnostic, count: number): AgentFailure {
  return {
    gate: first.gate,
    code: 'VIBE_AGENT_STUCK',
    message: `the same ${first.gate} error came back ${count} times, even after asking for a rewrite; stopping.`,
    refused: false,
  };
}

/** Every attempt was spent; `last` is the first diagnostic of the last one. */
function budgetExhausted(maxAttempts: number, last: Diagnostic): AgentFailure {
  return {
    gate: last.gate,
    code: 'VIBE_AGENT_BUDGET_EXHAUSTED',
    message: `no script passed every gate within ${maxAttempts} attempts; the last failure was at the ${last.gate} gate: ${last.message}`,
    refused: false,
  };
}

/**
 * The gates a script passes in order (type-check, sandbox run, then the checks), each timed into
 * `gates`; the first that fails ends the attempt with its diagnostics.
 */
async function passGates(o: AgentOptions, script: string, gates: GateRecord[]): Promise<Checked> {
  const typeErrors = await timed(
    'typecheck',
    gates,
    () => typecheck(script),
    (d) => d.length === 0,
  );
  if (typeErrors.length) return { diagnostics: typeErrors, manifests: [] };
  const run = await timed(
    'sandbox',
    gates,
    () => o.executor.run({ source: script, facts: o.facts }),
    (r) => r.ok,
  );
  if (!run.ok)
    return { diagnostics: [{ gate: 'sandbox', code: run.code, message: run.message }], manifests: [] };
  return runChecks(o, run.manifests, gates);
}

/**
 * How the loop ends when the author wrote no script: its refusal as it is, or, when a script of an
 * earlier attempt failed a gate, that failure with the author's reason for not revising it.
 */
function authorFailure(
  authored: Extract<Authored, { ok: false }>,
  diagnostic: Diagnostic,
  previous: { diagnostics: Diagnostic[] } | undefined,
): { failure: AgentFailure; diagnostics: Diagnostic[] } {
  if (!authored.refused && previous) {
    const last = previous.diagnostics[0]!;
    const message = `${authored.message} The last attempt failed at the ${last.gate} gate: ${last.message}`;
    return {
      failure: { gate: last.gate, code: authored.code, message, refused: false },
      diagnostics: previous.diagnostics,
    };
  }
  return {
    failure: { gate: 'author', code: authored.code, message: authored.message, refused: authored.refused },
    diagnostics: [diagnostic],
  };
}
