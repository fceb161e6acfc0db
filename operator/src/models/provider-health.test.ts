import { describe, expect, it } from 'vitest';
import { ProviderHealth } from './provider-health.js';

describe('ProviderHealth', () => {
  it('cools a provider down after a give-up until the cool-down ends', () => {
    let now = 1_000;
    const health = new ProviderHealth(30_000, () => now);
    health.gaveUp('anthropic');
    expect(health.isCooling('anthropic')).toBe(true);
    expect(health.isCooling('local')).toBe(false);
    now += 29_999;
    expect(health.isCooling('anthropic')).toBe(true);
    now += 1;
    expect(health.isCooling('anthropic')).toBe(false);
  });

  it('stretches the cool-down to a longer retry-after, and ends it on an answer', () => {
    let now = 0;
    const health = new ProviderHealth(30_000, () => now);
    health.gaveUp('anthropic', 120_000);
    now = 60_000;
    expect(health.isCooling('anthropic')).toBe(true);
    health.answered('anthropic');
    expect(health.isCooling('anthropic')).toBe(false);
  });

  it('never cools down when the cool-down is 0', () => {
    const health = new ProviderHealth(0, () => 0);
    health.gaveUp('anthropic', 120_000);
    expect(health.isCooling('anthropic')).toBe(false);
  });
});
