import { describe, expect, it } from 'vitest';
import { BudgetMeter, emptyUsage, sessionUsageSchema } from './budget.js';
import { BudgetExhaustedError } from './errors.js';

const usage = { inputTokens: 40, outputTokens: 10, cacheCreationTokens: 5, cacheReadTokens: 5 };

describe('BudgetMeter', () => {
  it('admits exactly maxAttempts requests', () => {
    const meter = new BudgetMeter('ns/env', { maxAttempts: 2, maxTokens: 1_000 });
    meter.admitAttempt();
    meter.admitAttempt();
    expect(() => meter.admitAttempt()).toThrow(BudgetExhaustedError);
    expect(meter.usage.attempts).toBe(2);
  });

  it('counts tokens of every kind against maxTokens', () => {
    const meter = new BudgetMeter('ns/env', { maxAttempts: 10, maxTokens: 120 });
    meter.admitAttempt();
    meter.recordAnswer(usage, 0.01);
    meter.admitAttempt();
    meter.recordAnswer(usage, 0.01);
    let error: unknown;
    try {
      meter.admitAttempt();
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ limit: 'tokens', spent: 120, max: 120, environment: 'ns/env' });
    expect((error as Error).message).toBe(
      'Environment ns/env has used 120 of its 120 tokens; raise spec.budget or simplify the intent.',
    );
  });

  it('counts cache hits as round trips but not as attempts', () => {
    const meter = new BudgetMeter('ns/env', { maxAttempts: 1, maxTokens: 1 });
    meter.recordCacheHit();
    expect(meter.usage).toEqual({ ...emptyUsage(), roundTrips: 1, cacheHits: 1 });
  });

  it('reads back what it handed out, and rejects a damaged record', () => {
    const meter = new BudgetMeter('ns/env', { maxAttempts: 5, maxTokens: 1_000 });
    meter.admitAttempt();
    meter.recordAnswer(usage, 0.25);
    const stored = JSON.parse(JSON.stringify(meter.usage));
    expect(sessionUsageSchema.parse(stored)).toEqual(meter.usage);
    expect(sessionUsageSchema.safeParse({ ...stored, attempts: -1 }).success).toBe(false);
  });

  it('hands out copies, so callers cannot change the count', () => {
    const meter = new BudgetMeter('ns/env', { maxAttempts: 5, maxTokens: 100 });
    const copy = meter.usage;
    copy.attempts = 99;
    expect(meter.usage.attempts).toBe(0);
  });
});
