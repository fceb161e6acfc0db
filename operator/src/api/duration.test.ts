import { describe, expect, it } from 'vitest';
import { DurationError, formatDuration, parseDuration } from './duration.js';

describe('durations', () => {
  it('reads the forms users write', () => {
    expect(parseDuration('30m')).toBe(1_800_000);
    expect(parseDuration('4h')).toBe(14_400_000);
    expect(parseDuration('1h30m')).toBe(5_400_000);
    expect(parseDuration('2d')).toBe(172_800_000);
    expect(parseDuration('90s')).toBe(90_000);
  });

  it.each(['banana', '', '0m', '1d2h', '-1h', '1.5h', '4H'])('rejects %j with a stable code', (bad) => {
    expect(() => parseDuration(bad)).toThrow(DurationError);
    try {
      parseDuration(bad);
    } catch (err) {
      expect((err as DurationError).code).toBe('VIBE_API_INVALID_DURATION');
    }
  });

  it('formats back to a string it reads', () => {
    for (const s of ['30m', '4h', '1h30m', '2d', '45s']) expect(formatDuration(parseDuration(s))).toBe(s);
  });
});
