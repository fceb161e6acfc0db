import { describe, expect, it } from 'vitest';
import { retryConfigSchema } from './config.js';
import { backoffDelayMs, decideRetry } from './retry-policy.js';

const config = retryConfigSchema.parse({
  maxRetries: 3,
  baseDelayMs: 500,
  maxDelayMs: 4_000,
  maxRetryAfterMs: 30_000,
});
const failure = { provider: 'p', model: 'm', retryable: true };

describe('backoffDelayMs', () => {
  it('doubles the ceiling each retry up to the maximum and keeps at least half of it', () => {
    const low = [0, 1, 2, 3, 4].map((n) => backoffDelayMs(n, config, () => 0));
    const high = [0, 1, 2, 3, 4].map((n) => backoffDelayMs(n, config, () => 1));
    expect(low).toEqual([250, 500, 1000, 2000, 2000]);
    expect(high).toEqual([500, 1000, 2000, 4000, 4000]);
  });
});

describe('decideRetry', () => {
  it('obeys a retry-after as given', () => {
    expect(decideRetry({ ...failure, retryAfterMs: 7_000 }, 0, config, () => 0)).toEqual({
      retry: true,
      delayMs: 7_000,
    });
  });

  it('gives up on the provider when retry-after is longer than the gateway waits', () => {
    expect(decideRetry({ ...failure, retryAfterMs: 30_001 }, 0, config, () => 0)).toEqual({
      retry: false,
      reason: 'retry_after_too_long',
    });
  });

  it('stops after maxRetries and never retries a final failure', () => {
    expect(decideRetry(failure, 3, config, () => 0)).toEqual({ retry: false, reason: 'retries_exhausted' });
    expect(decideRetry({ ...failure, retryable: false }, 0, config, () => 0)).toEqual({
      retry: false,
      reason: 'not_retryable',
    });
  });

  it('backs off when the server named no delay', () => {
    expect(decideRetry(failure, 1, config, () => 0.5)).toEqual({ retry: true, delayMs: 750 });
  });
});
