import { describe, expect, it } from 'vitest';
import { pausedMs } from './activity.js';

describe('pausedMs', () => {
  it('leaves the TTL running unless pauseTtl', () => {
    expect(pausedMs(false, 100, 0, 60_000)).toBe(0);
    expect(pausedMs(undefined, 100, 0, 60_000)).toBe(0);
  });

  it('adds the earlier sleeps and the current one with pauseTtl', () => {
    expect(pausedMs(true, 100, 0, 60_000)).toBe(160_000);
    expect(pausedMs(true, undefined, undefined, 60_000)).toBe(0);
  });
});
