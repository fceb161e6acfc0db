import { describe, expect, it } from 'vitest';
import { Backoff } from './backoff.js';

describe('Backoff', () => {
  it('stays between the floor and a doubling ceiling capped at the maximum', () => {
    const high = new Backoff(800, 30_000, () => 1);
    expect(Array.from({ length: 8 }, () => high.next())).toEqual([
      800, 1600, 3200, 6400, 12800, 25600, 30000, 30000,
    ]);
    const low = new Backoff(800, 30_000, () => 0);
    expect(low.next()).toBe(800);
    high.reset();
    expect(high.next()).toBe(800);
  });
});
