import { describe, expect, it } from 'vitest';
import { setCondition } from './condition.js';

describe('setCondition', () => {
  const t0 = new Date('2026-01-01T00:00:00.000Z');
  const t1 = new Date('2026-01-01T01:00:00.000Z');

  it('moves lastTransitionTime only when the status changes', () => {
    const a = setCondition(undefined, { type: 'Ready', status: 'False', reason: 'Planning' }, t0);
    const b = setCondition(a, { type: 'Ready', status: 'False', reason: 'Applying', message: 'm' }, t1);
    const c = setCondition(b, { type: 'Ready', status: 'True', reason: 'Applied' }, t1);
    expect(a[0]?.lastTransitionTime).toBe('2026-01-01T00:00:00Z');
    expect(b[0]?.lastTransitionTime).toBe('2026-01-01T00:00:00Z');
    expect(b[0]?.reason).toBe('Applying');
    expect(c[0]?.lastTransitionTime).toBe('2026-01-01T01:00:00Z');
    expect(c).toHaveLength(1);
    expect(a[0]?.reason).toBe('Planning');
  });

  it('keeps one entry per type', () => {
    const list = setCondition(
      setCondition(undefined, { type: 'Ready', status: 'True', reason: 'A' }, t0),
      { type: 'Expiring', status: 'True', reason: 'B' },
      t0,
    );
    expect(list.map((c) => c.type)).toEqual(['Ready', 'Expiring']);
  });
});
