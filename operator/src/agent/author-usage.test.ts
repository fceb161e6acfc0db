import { describe, expect, it } from 'vitest';
import type { PricedResponse } from '../models/index.js';
import { addAuthorUsage, answerUsage, NO_USAGE } from './author-usage.js';

const answer: PricedResponse = {
  text: '',
  toolCalls: [],
  stopReason: 'end',
  usage: { inputTokens: 1200, outputTokens: 150, cacheCreationTokens: 3000, cacheReadTokens: 500 },
  provider: 'anthropic',
  model: 'claude-sonnet-5-5',
  costUsd: 0.0105,
};

describe('author usage', () => {
  it('counts every prompt token and the price of an answer from a provider', () => {
    expect(answerUsage(answer)).toEqual({
      roundTrips: 1,
      inputTokens: 4700,
      outputTokens: 150,
      costUsd: 0.0105,
    });
  });

  it('counts nothing for an answer from the cache, as the gateway does', () => {
    expect(answerUsage({ ...answer, cached: true, costUsd: 0 })).toEqual(NO_USAGE);
  });

  it('adds up turns', () => {
    const two = addAuthorUsage(answerUsage(answer), answerUsage(answer));
    expect(two).toEqual({ roundTrips: 2, inputTokens: 9400, outputTokens: 300, costUsd: 0.021 });
    expect(addAuthorUsage(two, undefined)).toBe(two);
  });
});
