import { describe, expect, it } from 'vitest';
import { formatUsd, NOTHING_SPENT, spendingOf, tokensLeft, usageStatus } from './usage.js';

describe('environment usage', () => {
  it('sums tokens of every attempt and their cost; attempts without usage or cost count nothing', () => {
    const spent = spendingOf([
      { usage: { inputTokens: 1200, outputTokens: 150, costUsd: 0.00945 } },
      {},
      { usage: { inputTokens: 300, outputTokens: 50 } },
      { usage: { inputTokens: 0, outputTokens: 0, costUsd: 0 } },
    ]);
    expect(spent.tokens).toBe(1700);
    expect(spent.costUsd).toBeCloseTo(0.00945, 12);
    expect(spendingOf([])).toEqual(NOTHING_SPENT);
  });

  it('leaves what the budget has not spent, never less than nothing', () => {
    expect(tokensLeft(1000, { tokens: 890, costUsd: 0 })).toBe(110);
    expect(tokensLeft(1000, { tokens: 1000, costUsd: 0 })).toBe(0);
    expect(tokensLeft(1000, { tokens: 1450, costUsd: 0 })).toBe(0);
  });

  it('writes the cost as a decimal string to the micro-dollar', () => {
    expect(formatUsd(0)).toBe('0');
    expect(formatUsd(0.1 + 0.2)).toBe('0.3');
    expect(formatUsd(0.0000004)).toBe('0');
    expect(formatUsd(12.3456789)).toBe('12.345679');
    expect(usageStatus({ tokens: 42, costUsd: 0.0025 })).toEqual({ tokens: 42, cost: '0.0025' });
  });
});
