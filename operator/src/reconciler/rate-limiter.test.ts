import { describe, expect, it } from 'vitest';
import { BucketRateLimiter, ExponentialRateLimiter, MaxOfRateLimiter } from './rate-limiter.js';

describe('rate limiters', () => {
  it('caps exponential backoff at the maximum', () => {
    const limiter = new ExponentialRateLimiter(5, 1_000_000);
    let last = 0;
    for (let i = 0; i < 40; i++) last = limiter.when('k');
    expect(last).toBe(1_000_000);
  });

  it('lets a burst through at once, then paces to the rate', () => {
    let t = 0;
    const bucket = new BucketRateLimiter(10, 100, () => t);
    const delays = Array.from({ length: 102 }, () => bucket.when());
    expect(delays.slice(0, 100).every((d) => d === 0)).toBe(true);
    expect(delays[100]).toBe(100);
    expect(delays[101]).toBe(200);
    t += 10_000;
    expect(bucket.when()).toBe(0);
  });

  it('waits for the slower of its limiters', () => {
    const t = 0;
    const combined = new MaxOfRateLimiter(
      new ExponentialRateLimiter(5, 1000),
      new BucketRateLimiter(1, 1, () => t),
    );
    expect(combined.when('a')).toBe(5);
    expect(combined.when('a')).toBe(1000);
  });
});
