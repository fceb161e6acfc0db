import { z } from 'zod';
import type { Budget } from './config.js';
import { BudgetExhaustedError } from './errors.js';
import { addUsage, totalTokens, ZERO_USAGE, type TokenUsage } from './types.js';

const count = z.number().int().nonnegative();

/**
 * What one environment has spent on models; stored in its status so a restart
 * resumes the count. The schema validates it when read back.
 */
export const sessionUsageSchema = z.object({
  /** Requests sent to providers, retries and fallbacks included. */
  attempts: count,
  /** Answers handed to the caller, from a provider or the cache. */
  roundTrips: count,
  cacheHits: count,
  tokens: z.object({
    inputTokens: count,
    outputTokens: count,
    cacheCreationTokens: count,
    cacheReadTokens: count,
  }),
  costUsd: z.number().nonnegative(),
});

export type SessionUsage = z.infer<typeof sessionUsageSchema>;

export function emptyUsage(): SessionUsage {
  return { attempts: 0, roundTrips: 0, cacheHits: 0, tokens: { ...ZERO_USAGE }, costUsd: 0 };
}

/**
 * Counts one environment's spending against its budget. The check runs before
 * each request, so the request that crosses the token limit still completes
 * (it is already paid for) and the next one is refused.
 */
export class BudgetMeter {
  readonly #environment: string;
  readonly #budget: Budget;
  #usage: SessionUsage;

  constructor(environment: string, budget: Budget, spent: SessionUsage = emptyUsage()) {
    this.#environment = environment;
    this.#budget = budget;
    this.#usage = structuredClone(spent);
  }

  get usage(): SessionUsage {
    return structuredClone(this.#usage);
  }

  /** Throws `BudgetExhaustedError` when no further request may be sent. */
  admitAttempt(): void {
    const { attempts } = this.#usage;
    if (attempts >= this.#budget.maxAttempts) {
      throw new BudgetExhaustedError(this.#environment, 'attempts', attempts, this.#budget.maxAttempts);
    }
    const tokens = totalTokens(this.#usage.tokens);
    if (tokens >= this.#budget.maxTokens) {
      throw new BudgetExhaustedError(this.#environment, 'tokens', tokens, this.#budget.maxTokens);
    }
    this.#usage.attempts += 1;
  }

  recordAnswer(usage: TokenUsage, costUsd: number): void {
    this.#usage.roundTrips += 1;
    this.#usage.tokens = addUsage(this.#usage.tokens, usage);
    this.#usage.costUsd += costUsd;
  }

  recordCacheHit(): void {
    this.#usage.roundTrips += 1;
    this.#usage.cacheHits += 1;
  }
}
