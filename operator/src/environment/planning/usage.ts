/**
 * What an environment spent on models over its whole life, summed from its
 * stored attempts: every planning round (a changed intent, a fix after a
 * failed rollout) draws on one token budget, spec.budget.maxTokens.
 */
import type { VibeEnvironmentStatus } from '../../api/vibe-environment.js';

export interface Spending {
  tokens: number;
  costUsd: number;
}

/** Usage as an attempt records it; `costUsd` is absent from attempts stored before cost was kept. */
export interface RecordedUsage {
  inputTokens: number;
  outputTokens: number;
  costUsd?: number;
}

export const NOTHING_SPENT: Readonly<Spending> = Object.freeze({ tokens: 0, costUsd: 0 });

export function addSpending(total: Spending, usage: RecordedUsage | undefined): Spending {
  if (!usage) return total;
  return {
    tokens: total.tokens + usage.inputTokens + usage.outputTokens,
    costUsd: total.costUsd + (usage.costUsd ?? 0),
  };
}

export function spendingOf(attempts: ReadonlyArray<{ usage?: RecordedUsage }>): Spending {
  return attempts.reduce<Spending>((total, a) => addSpending(total, a.usage), NOTHING_SPENT);
}

/** Tokens a new model request may still spend; never negative, as the request that crossed the limit was paid for. */
export function tokensLeft(maxTokens: number, spent: Spending): number {
  return Math.max(0, maxTokens - spent.tokens);
}

/** Dollars to the micro-dollar, without trailing zeros: `0.0125`, `0`. */
export function formatUsd(costUsd: number): string {
  return String(Number(costUsd.toFixed(6)));
}

export function usageStatus(spent: Spending): NonNullable<VibeEnvironmentStatus['usage']> {
  return { tokens: spent.tokens, cost: formatUsd(spent.costUsd) };
}
