import { addAuthorUsage, NO_USAGE } from '../../agent/author-usage.js';
import type { AttemptRecord } from '../../agent/audit.js';
import { runAgent, type AgentOptions } from '../../agent/loop.js';
import type { Authored, AuthorRequest, AuthorUsage, ScriptAuthor } from '../../agent/script-author.js';
import type { ChecksFor } from './plan-checks.js';
import type { VibeEnvironment } from '../../api/vibe-environment.js';
import { CODE } from '../../errors/index.js';
import type { AttemptStore, StoredAttempt } from './attempt-store.js';
import { PlanFailedError, type Plan, type PlanInput, type Planner } from './planner.js';
import type { Manifest } from '../objects.js';
import { addSpending, spendingOf, tokensLeft, usageStatus, type Spending } from './usage.js';

export interface AgentPlannerOptions {
  /** Names the author (offline, anthropic/MODEL, ...); part of the plan hash. */
  id: string;
  /**
   * The script author for one planning round: the offline planner, or a model
   * session that may spend at most `budget.maxTokens` (what the environment has left).
   */
  authorFor(env: VibeEnvironment, budget: { maxTokens: number }, signal: AbortSignal): ScriptAuthor;
  executor: AgentOptions['executor'];
  /** The rewrites, policy gate and dry-run every script's output passes (plan-checks.ts). */
  checks: ChecksFor;
  facts?: AgentOptions['facts'];
  store: Pick<AttemptStore, 'attempts' | 'allAttempts' | 'saveAttempt'>;
}

/** The gateway's refusal to send a request its session budget cannot pay for. */

/** One planning round: what it replays, what it feeds back, and what the environment has spent so far. */
interface Round {
  env: VibeEnvironment;
  inputs: string;
  /** Attempts of earlier rounds for these inputs; this round numbers its attempts after them. */
  offset: number;
  known: Map<number, StoredAttempt>;
  feedback: AuthorRequest['previous'];
  maxTokens: number;
  /** Every attempt of the environment so far, kept current as the author is asked. */
  tally: { spent: Spending };
  signal: AbortSignal;
  /** The namespace's isolation: a model is asked only once it is complete (PlanInput.isolated). */
  isolated: Promise<void> | undefined;
  /** Each author's answer being stored while its script goes through the gates. */
  storing: Promise<void>[];
}

/**
 * The Code Mode agent as the environment's planner. Every attempt is stored
 * as soon as its author answers, and stored attempts are replayed before the
 * author is asked for a new one: a restart, a resync or a TTL change reruns
 * the cheap gates, never the model. Rollout failures stored on the applied
 * attempt start the next round as that attempt's diagnostics (the debugging
 * loop). spec.budget bounds it: attempts across the rounds of one intent,
 * tokens across every round of the environment's life, so a round gets only
 * the tokens the stored attempts have left (ADR 0065).
 */
export class AgentPlanner implements Planner {
  readonly id: string;

  constructor(private readonly o: AgentPlannerOptions) {
    this.id = o.id;
  }

  async plan(input: PlanInput, signal: AbortSignal): Promise<Plan> {
    const env = input.object;
    const [records, everyAttempt] = await Promise.all([
      this.o.store.attempts(env, input.inputs),
      this.o.store.allAttempts(env),
    ]);
    const lastRollout = records.findLastIndex((r) => (r.runtime?.length ?? 0) > 0);
    const failedRollout = lastRollout >= 0 ? records[lastRollout] : undefined;
    const feedback =
      failedRollout?.script && failedRollout.runtime
        ? { script: failedRollout.script, diagnostics: failedRollout.runtime }
        : undefined;
    const offset = failedRollout ? failedRollout.attempt : 0;
    const replay = records.filter((r) => r.attempt > offset);
    const remaining = input.maxAttempts - offset;
    const tally = { spent: spendingOf(everyAttempt) };
    if (remaining <= 0) {
      throw new PlanFailedError(
        CODE.VIBE_AGENT_BUDGET_EXHAUSTED,
        `the rollout failed and the budget of ${input.maxAttempts} attempts is spent: ${feedback?.diagnostics[0]?.message ?? 'no detail'} Raise spec.budget.maxAttempts or change the intent.`,
        false,
        offset,
        usageStatus(tally.spent),
      );
    }
    const known = new Map(replay.map((r) => [r.attempt, r]));
    const storing: Promise<void>[] = [];
    const author = this.replayingAuthor({
      storing,
      env,
      inputs: input.inputs,
      offset,
      known,
      feedback,
      maxTokens: input.maxTokens,
      tally,
      signal,
      isolated: input.isolated,
    });
    const outcome = await runAgent({
      intent: input.intent,
      author,
      executor: this.o.executor,
      ...this.o.checks(env, input.targetNamespace, signal, input.isolated),
      ...(this.o.facts ? { facts: this.o.facts } : {}),
      maxAttempts: remaining,
      // Nothing stays in flight past the round, however it ends.
    }).finally(() => Promise.allSettled(storing));
    // The answers are stored before the records of their gates replace them.
    await Promise.all(storing);
    await this.saveAttempts(env, input.inputs, offset, known, outcome.attempts);
    const attempts = offset + outcome.attempts.length;
    const usage = usageStatus(tally.spent);
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
    return {
      manifests: outcome.manifests as Manifest[],
      script: outcome.script,
      attempt: attempts,
      usage,
      ...(outcome.checkedSha256 ? { checkedSha256: outcome.checkedSha256 } : {}),
    };
  }

  /**
   * Stores the loop's attempts, numbered after the `offset` attempts of earlier rounds; an attempt
   * replayed from the store keeps what was recorded for it and takes the loop's diagnostics and gates.
   */
  private async saveAttempts(
    env: VibeEnvironment,
    inputs: string,
    offset: number,
    known: Map<number, StoredAttempt>,
    attempts: AttemptRecord[],
  ): Promise<void> {
    for (const a of attempts) {
      const n = offset + a.attempt;
      const before = known.get(n);
      const record: StoredAttempt = {
        ...(before ?? { attempt: n, author: a.author }),
        attempt: n,
        diagnostics: a.diagnostics,
        gates: a.gates,
        ...(a.script ? { script: a.script } : {}),
        ...(a.checkedSha256 ? { checkedSha256: a.checkedSha256 } : {}),
      };
      await this.o.store.saveAttempt(env, inputs, record);
    }
  }

  private replayingAuthor(round: Round): ScriptAuthor {
    const { env, inputs, offset, known, feedback, maxTokens, tally, isolated, signal, storing } = round;
    const real = this.o.authorFor(env, { maxTokens: tokensLeft(maxTokens, tally.spent) }, round.signal);
    const { store } = this.o;
    return {
      name: real.name,
      async write(request: AuthorRequest): Promise<Authored> {
        const n = offset + request.attempt;
        const stored = known.get(n);
        if (stored?.script) return { ok: true, script: stored.script, usage: NO_USAGE };
        if (stored?.authorFailure) return { ok: false, ...stored.authorFailure };
        const asked = { ...request, attempt: n, previous: request.previous ?? feedback };
        if (!real.free) await isolated;
        signal.throwIfAborted();
        const authored = await real.write(asked);
        tally.spent = addSpending(tally.spent, authored.usage);
        // Not an answer but a refusal to ask: kept without a failure, so a raised budget asks again.
        const budgetRefused = !authored.ok && authored.code === CODE.VIBE_MODEL_BUDGET_EXHAUSTED;
        const usage = carriedUsage(stored?.usage, authored.usage);
        const record: StoredAttempt = {
          attempt: n,
          author: real.name,
          diagnostics: [],
          ...(usage ? { usage } : {}),
          ...(authored.ok
            ? { script: authored.script }
            : budgetRefused
              ? {}
              : {
                  authorFailure: {
                    code: authored.code,
                    message: authored.message,
                    refused: authored.refused,
                  },
                }),
        };
        // Sent before the gates run, so a crash during them replays the answer instead of asking
        // again; the gates do not wait for it. A failure surfaces when the round awaits it.
        const saving = store.saveAttempt(env, inputs, record);
        saving.catch(() => undefined);
        storing.push(saving);
        known.set(n, record);
        if (budgetRefused && tally.spent.tokens >= maxTokens) {
          return tokenBudgetExhausted(tally.spent, maxTokens, authored.usage);
        }
        return authored;
      },
    };
  }
}

/** An attempt the budget cut short keeps what it had spent when it is asked again. */
function carriedUsage(
  before: StoredAttempt['usage'],
  now: AuthorUsage | undefined,
): StoredAttempt['usage'] | undefined {
  if (!before) return now;
  return addAuthorUsage({ ...before, costUsd: before.costUsd ?? 0 }, now);
}

function tokenBudgetExhausted(spent: Spending, maxTokens: number, usage: AuthorUsage | undefined): Authored {
  return {
    ok: false,
    refused: false,
    code: CODE.VIBE_AGENT_TOKEN_BUDGET_EXHAUSTED,
    message: `the environment has spent ${spent.tokens} of the ${maxTokens} model tokens spec.budget.maxTokens allows over all its planning rounds; raise spec.budget.maxTokens or simplify the intent.`,
    ...(usage ? { usage } : {}),
  };
}
