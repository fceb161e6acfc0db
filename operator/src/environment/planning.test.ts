import { describe, expect, it } from 'vitest';
import { PlanFailedError, TOKEN_BUDGET_EXHAUSTED } from './planner.js';
import { failureReason } from './planning.js';

const failed = (code: string, gate?: string, refused = false) =>
  new PlanFailedError(code, 'm', refused, 1, undefined, gate);

describe('the reason a failed plan gives', () => {
  it('names the spent token budget before the gate the last attempt failed at', () => {
    expect(failureReason(failed(TOKEN_BUDGET_EXHAUSTED, 'policy'))).toBe('BudgetExhausted');
    expect(failureReason(failed(TOKEN_BUDGET_EXHAUSTED, 'author'))).toBe('BudgetExhausted');
  });

  it('names refusals, gates and a stuck agent', () => {
    expect(failureReason(failed('VIBE_PLAN_REFUSED', 'author', true))).toBe('IntentRefused');
    expect(failureReason(failed('VIBE_POLICY', 'policy'))).toBe('PolicyViolation');
    expect(failureReason(failed('VIBE_DRY_RUN', 'dry-run'))).toBe('DryRunRefused');
    expect(failureReason(failed('VIBE_AGENT_STUCK', 'typecheck'))).toBe('AgentStuck');
    expect(failureReason(failed('VIBE_AGENT_BUDGET_EXHAUSTED', 'sandbox'))).toBe('PlanFailed');
  });
});
