import { describe, expect, it } from 'vitest';
import { deepEqual, diff, touches } from './diff.js';

describe('diff', () => {
  it('reports added, changed and removed leaves with dotted paths', () => {
    const entries = diff(
      { spec: { intent: 'a', ttl: '1h', preview: { enabled: true } } },
      { spec: { intent: 'b', preview: { enabled: true, host: 'x.dev' } } },
    );
    expect(entries).toEqual([
      { op: 'change', path: 'spec.intent', old: 'a', new: 'b' },
      { op: 'add', path: 'spec.preview.host', new: 'x.dev' },
      { op: 'remove', path: 'spec.ttl', old: '1h' },
    ]);
    expect(touches(entries, 'spec.preview')).toBe(true);
    expect(touches(entries, 'spec.budget')).toBe(false);
  });

  it('compares arrays whole and ignores undefined keys in equality', () => {
    expect(diff({ a: [1, 2] }, { a: [1, 2] })).toEqual([]);
    expect(diff({ a: [1, 2] }, { a: [2, 1] })).toHaveLength(1);
    expect(deepEqual({ a: 1, b: undefined }, { a: 1 })).toBe(true);
  });
});
