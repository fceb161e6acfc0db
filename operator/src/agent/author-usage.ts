/** What writing a script cost, counted the way the model gateway charges the environment's budget. */
import type { PricedResponse } from '../models/index.js';
import type { AuthorUsage } from './script-author.js';

export const NO_USAGE: AuthorUsage = Object.freeze({
  roundTrips: 0,
  inputTokens: 0,
  outputTokens: 0,
  costUsd: 0,
});

/** A cached answer cost nothing: the gateway counts it in no budget, so neither do we. */
export function answerUsage(answer: PricedResponse): AuthorUsage {
  if (answer.cached) return NO_USAGE;
  const t = answer.usage;
  return {
    roundTrips: 1,
    inputTokens: t.inputTokens + t.cacheCreationTokens + t.cacheReadTokens,
    outputTokens: t.outputTokens,
    costUsd: answer.costUsd,
  };
}

export function addAuthorUsage(total: AuthorUsage, more: AuthorUsage | undefined): AuthorUsage {
  if (!more) return total;
  return {
    roundTrips: total.roundTrips + more.roundTrips,
    inputTokens: total.inputTokens + more.inputTokens,
    outputTokens: total.outputTokens + more.outputTokens,
    costUsd: total.costUsd + more.costUsd,
  };
}
