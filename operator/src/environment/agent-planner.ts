import type { Diagnostic } from '../agent/diagnostics.js';
import { runAgent, type AgentOptions } from '../agent/loop.js';
import type { Authored, AuthorRequest, ScriptAuthor } from '../agent/script-author.js';
import type { GatewayParent, PolicyDocument } from '../policy/index.js';
import type { VibeEnvironment } from '../api/vibe-environment.js';
import type { AttemptStore, StoredAttempt } from './attempt-store.js';
import { PlanFailedError, type Manifest, type Plan, type PlanInput, type Planner } from './planner.js';

export interface AgentPlannerOptions {
  /** Names the author (offline, anthropic/MODEL, ...); part of the plan hash. */
  id: string;
  /** The script author for one environment: the offline planner, or a model session with its budget. */
  authorFor(env: VibeEnvironment, signal: AbortSignal): ScriptAuthor;
  executor: AgentOptions['executor'];
  policy: PolicyDocument;
  /** The Gateway preview HTTPRoutes may attach to, when previews are HTTPRoutes. */
  gateway?: GatewayParent;
  facts?: AgentOptions['facts'];
  /** Server-side dry-run of manifests in the environment namespace. */
  dryRun?(namespace: string, manifests: Manifest[], signal: AbortSignal): Promise<Diagnostic[]>;
  store: Pick<AttemptStore, 'attempts' | 'saveAttempt'>;
}

const NO_USAGE = { roundTrips: 0, inputTokens: 0, outputTokens: 0 };

/**
 * The Code Mode agent as the environment's planner. Every attempt is stored
 * as soon as its author answers, and stored attempts are replayed before the
 * author is asked for a new one: a restart, a resync or a TTL change reruns
 * the cheap gates, never the model. Rollout failures stored on the applied
 * attempt start the next round as that attempt's diagnostics (the debugging
 * loop), bounded by the budget across all rounds.
 */
export class AgentPlanner implements Planner {
  readonly id: string;

  constructor(private readonly o: AgentPlannerOptions) {
    this.id = o.id;
  }

  async plan(input: PlanInput, signal: AbortSignal): Promise<Plan> {
    const env = input.object;
    const records = await this.o.store.attempts(env, input.inputs);
    const lastRollout = records.findLastIndex((r) => (r.runtime?.length ?? 0) > 0);
    const failedRollout = lastRollout >= 0 ? records[lastRollout] : undefined;
    const feedback =
      failedRollout?.script && failedRollout.runtime
        ? { script: failedRollout.script, diagnostics: failedRollout.runtime }
        : undefined;
    const offset = failedRollout ? failedRollout.attempt : 0;
    const replay = records.filter((r) => r.attempt > offset);
    const remaining = input.maxAttempts - offset;
    const tokensSoFar = sumTokens(records.filter((r) => r.attempt <= offset));
    if (remaining <= 0) {
      throw new PlanFailedError(
        'VIBE_AGENT_BUDGET_EXHAUSTED',
        `the rollout failed and the budget of ${input.maxAttempts} attempts is spent: ${feedback?.diagnostics[0]?.message ?? 'no detail'} Raise spec.budget.maxAttempts or change the intent.`,
        false,
        offset,
      );
    }
    const known = new Map(replay.map((r) => [r.attempt, r]));
    const author = this.replayingAuthor(env, input.inputs, offset, known, feedback, signal);
    const outcome = await runAgent({
      intent: input.intent,
      author,
      executor: this.o.executor,
      policy: this.o.policy,
      namespace: input.targetNamespace,
      ...(this.o.gateway ? { gateway: this.o.gateway } : {}),
      ...(this.o.facts ? { facts: this.o.facts } : {}),
      ...(this.o.dryRun
        ? {
            dryRun: (m: Record<string, unknown>[]) =>
              this.o.dryRun!(input.targetNamespace, m as Manifest[], signal),
          }
        : {}),
      maxAttempts: remaining,
    });
    const saved: StoredAttempt[] = [];
    for (const a of outcome.attempts) {
      const n = offset + a.attempt;
      const before = known.get(n);
      const record: StoredAttempt = {
        ...(before ?? { attempt: n, author: a.author }),
        attempt: n,
        diagnostics: a.diagnostics,
        gates: a.gates,
        ...(a.script ? { script: a.script } : {}),
      };
      await this.o.store.saveAttempt(env, input.inputs, record);
      saved.push(record);
    }
    const attempts = offset + outcome.attempts.length;
    const tokens = tokensSoFar + sumTokens(saved);
    const usage = { tokens, cost: '0' };
    if (!outcome.ok || !outcome.script) {
      const f = outcome.failure;
      // The loop never saw the rollout failure as its own attempt, so it cannot name it; the user needs both.
      const rollout =
        feedback && f?.gate === 'author'
          ? ` The rollout of attempt ${offset} had failed: ${feedback.diagnostics[0]?.message ?? 'no detail'}`
          : '';
      throw new PlanFailedError(
        f?.code ?? 'VIBE_AGENT_FAILED',
        f ? `${f.message}${rollout}` : 'the agent gave up without saying why.',
        f?.refused ?? false,
        attempts,
        usage,
        f?.gate,
      );
    }
    return { manifests: outcome.manifests as Manifest[], script: outcome.script, attempt: attempts, usage };
  }

  private replayingAuthor(
    env: VibeEnvironment,
    inputs: string,
    offset: number,
    known: Map<number, StoredAttempt>,
    feedback: AuthorRequest['previous'],
    signal: AbortSignal,
  ): ScriptAuthor {
    const real = this.o.authorFor(env, signal);
    const { store } = this.o;
    return {
      name: real.name,
      async write(request: AuthorRequest): Promise<Authored> {
        const n = offset + request.attempt;
        const stored = known.get(n);
        if (stored?.script) return { ok: true, script: stored.script, usage: NO_USAGE };
        if (stored?.authorFailure) return { ok: false, ...stored.authorFailure };
        const asked = { ...request, attempt: n, previous: request.previous ?? feedback };
        const authored = await real.write(asked);
        const record: StoredAttempt = {
          attempt: n,
          author: real.name,
          diagnostics: [],
          ...(authored.usage ? { usage: authored.usage } : {}),
          ...(authored.ok
            ? { script: authored.script }
            : {
                authorFailure: { code: authored.code, message: authored.message, refused: authored.refused },
              }),
        };
        await store.saveAttempt(env, inputs, record);
        known.set(n, record);
        return authored;
      },
    };
  }
}

function sumTokens(records: StoredAttempt[]): number {
  return records.reduce((sum, r) => sum + (r.usage ? r.usage.inputTokens + r.usage.outputTokens : 0), 0);
}
