/**
 * The Code Mode loop: the author writes one script; it must pass the type-check, run in the sandbox,
 * pass the policy gate and (with a cluster) a server-side dry-run. Each failure goes back to the
 * author as diagnostics; the same diagnostics twice ask for a rewrite, three times end the loop.
 */
import { evaluatePolicy, type GatewayParent, type PolicyDocument } from '../policy/index.js';
import type { ClusterFacts, SandboxExecutor } from '../sandbox/types.js';
import { scriptDigest, type AttemptRecord, type GateRecord } from './audit.js';
import { addAuthorUsage, NO_USAGE } from './author-usage.js';
import { fingerprint, type Diagnostic, type Gate } from './diagnostics.js';
import type { AuthorUsage, ScriptAuthor } from './script-author.js';
import { typecheck } from './typecheck-gate.js';

export type DryRun = (manifests: Record<string, unknown>[]) => Promise<Diagnostic[]>;

export interface AgentOptions {
  readonly intent: string;
  readonly author: ScriptAuthor;
  readonly executor: SandboxExecutor;
  readonly policy: PolicyDocument;
  readonly namespace?: string;
  /** The Gateway preview HTTPRoutes may attach to, when previews are HTTPRoutes. */
  readonly gateway?: GatewayParent;
  readonly facts?: ClusterFacts;
  readonly dryRun?: DryRun;
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
}

const STUCK_AFTER = 3;

async function timed<T>(
  gate: Gate,
  gates: GateRecord[],
  work: () => Promise<T> | T,
  ok: (t: T) => boolean,
): Promise<T> {
  const started = performance.now();
  const result = await work();
  gates.push({ gate, ok: ok(result), ms: Math.round(performance.now() - started) });
  return result;
}

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
    const record = (diagnostics: Diagnostic[]) =>
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
    if (!diagnostics.length) {
      const checked = await timed(
        'policy',
        gates,
        () => evaluatePolicy(manifests, o.policy, { namespace: o.namespace, gateway: o.gateway }),
        (r) => r.violations.length === 0,
      );
      diagnostics = checked.violations.map((v) => ({
        gate: 'policy' as const,
        code: v.code,
        message: v.message,
        object: v.object,
        field: v.field,
        fix: v.fix,
      }));
      manifests = checked.manifests;
    }
    if (!diagnostics.length && o.dryRun) {
      diagnostics = await timed(
        'dry-run',
        gates,
        () => o.dryRun!(manifests),
        (d) => d.length === 0,
      );
    }
    record(diagnostics);
    if (!diagnostics.length) return { ok: true, script, manifests, attempts, diagnostics: [], usage };

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
