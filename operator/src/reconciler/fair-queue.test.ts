import { describe, expect, it } from 'vitest';
import { FairQueue } from './fair-queue.js';

const drain = (q: FairQueue) => {
  const out: string[] = [];
  for (let key = q.shift(); key !== undefined; key = q.shift()) out.push(key);
  return out;
};

describe('FairQueue', () => {
  it('serves namespaces in turn and each namespace in arrival order', () => {
    const q = new FairQueue();
    for (const key of ['a/1', 'a/2', 'a/3', 'b/1', 'c/1', 'b/2']) q.add(key);
    expect(q.size).toBe(6);
    expect(drain(q)).toEqual(['a/1', 'b/1', 'c/1', 'a/2', 'b/2', 'a/3']);
    expect(q.size).toBe(0);
  });

  it('gives a namespace that arrives behind a backlog the next turn', () => {
    const q = new FairQueue();
    for (let i = 0; i < 1000; i++) q.add(`burst/env-${i}`);
    q.shift();
    q.add('user/mine');
    expect(q.shift()).toBe('burst/env-1');
    expect(q.shift()).toBe('user/mine');
  });

  it('stores a key once and forgets deleted keys', () => {
    const q = new FairQueue();
    q.add('a/1');
    q.add('a/1');
    q.add('b/1');
    expect(q.size).toBe(2);
    expect(q.delete('a/1')).toBe(true);
    expect(q.delete('a/1')).toBe(false);
    expect(q.has('b/1')).toBe(true);
    expect(drain(q)).toEqual(['b/1']);
  });

  it('treats keys without a namespace as one more tenant', () => {
    const q = new FairQueue();
    for (const key of ['node-a', 'node-b', 'x/1']) q.add(key);
    expect(drain(q)).toEqual(['node-a', 'x/1', 'node-b']);
  });
});
