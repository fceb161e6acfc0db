import type { RetryConfig } from './config.js';
import type { ProviderFailure } from './errors.js';

export type RetryDecision =
  | { retry: true; delayMs: number }
  | { retry: false; reason: 'not_retryable' | 'retries_exhausted' | 'retry_after_too_long' };

/**
 * Exponential backoff with equal jitter: half of base * 2^n (capped) for sure,
 * the other half random, so a burst of clients spreads out but none retries at once.
 */
export function backoffDelayMs(retriesDone: number, config: RetryConfig, random: () => number): number {
  const ceiling = Math.min(config.maxDelayMs, config.baseDelayMs * 2 ** retriesDone);
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/**
 * Whether to send the failed request to the same provider again and after how
 * long. A server's retry-after is obeyed as given; one longer than
 * maxRetryAfterMs sends the request to the next provider instead of waiting.
 */
export function decideRetry(
  failure: ProviderFailure,
  retriesDone: number,
  config: RetryConfig,
  random: () => number,
): RetryDecision {
  if (!failure.retryable) return { retry: false, reason: 'not_retryable' };
  if (retriesDone >= config.maxRetries) return { retry: false, reason: 'retries_exhausted' };
  if (failure.retryAfterMs !== undefined) {
    if (failure.retryAfterMs > config.maxRetryAfterMs)
      return { retry: false, reason: 'retry_after_too_long' };
    return { retry: true, delayMs: failure.retryAfterMs };
  }
  return { retry: true, delayMs: backoffDelayMs(retriesDone, config, random) };
}
