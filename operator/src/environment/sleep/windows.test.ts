import { describe, expect, it } from 'vitest';
import { SleepSpecError } from './sleep-spec-error.js';
import { windowTimes } from './windows.js';

const at = (iso: string) => Date.parse(iso);
const nights = (timeZone?: string) => ({
  pauseTtl: false,
  timeZone,
  schedule: [{ sleep: '0 20 * * 1-5', wake: '0 8 * * 1-5' }],
});

describe('windowTimes', () => {
  it('finds the latest sleep and wake times and the next transition, in the time zone', () => {
    // Monday 7 December 2026, 22:00 in Berlin (21:00 UTC): inside the night window.
    const times = windowTimes(nights('Europe/Berlin'), at('2026-12-07T21:00:00Z'), 'ns/web');
    expect(times).toEqual({
      lastSleep: at('2026-12-07T19:00:00Z'),
      lastWake: at('2026-12-07T07:00:00Z'),
      next: at('2026-12-08T07:00:00Z'),
    });
  });

  it('spans the weekend: Saturday still sees Friday night as the latest sleep', () => {
    const times = windowTimes(nights('UTC'), at('2026-12-12T12:00:00Z'), 'ns/web');
    expect(times.lastSleep).toBe(at('2026-12-11T20:00:00Z'));
    expect(times.lastWake).toBe(at('2026-12-11T08:00:00Z'));
    expect(times.next).toBe(at('2026-12-14T08:00:00Z'));
  });

  it('takes the latest over several windows', () => {
    const times = windowTimes(
      {
        pauseTtl: false,
        timeZone: 'UTC',
        schedule: [
          { sleep: '0 12 * * *', wake: '0 13 * * *' },
          { sleep: '@daily', wake: '0 6 * * *' },
        ],
      },
      at('2026-12-07T12:30:00Z'),
      'ns/web',
    );
    expect(times).toEqual({
      lastSleep: at('2026-12-07T12:00:00Z'),
      lastWake: at('2026-12-07T06:00:00Z'),
      next: at('2026-12-07T13:00:00Z'),
    });
  });

  it('is empty without a schedule', () => {
    expect(windowTimes(undefined, at('2026-12-07T12:30:00Z'), 'ns/web')).toEqual({});
    expect(windowTimes({ pauseTtl: false, afterIdle: '30m' }, at('2026-12-07T12:30:00Z'), 'ns/web')).toEqual(
      {},
    );
  });

  it('names the field and the fix for a bad expression', () => {
    const bad = { pauseTtl: false, timeZone: 'UTC', schedule: [{ sleep: '0 20 * * 1-5', wake: '0 8 * *' }] };
    expect(() => windowTimes(bad, 0, 'ns/web')).toThrow(SleepSpecError);
    expect(() => windowTimes(bad, 0, 'ns/web')).toThrow(
      /^spec\.sleep\.schedule\[0\]\.wake "0 8 \* \*" must have five fields.*; write five fields/,
    );
  });

  it('names spec.sleep.timeZone for an unknown time zone', () => {
    try {
      windowTimes(nights('Mars/Olympus'), 0, 'ns/web');
      expect.unreachable();
    } catch (err) {
      expect((err as SleepSpecError).code).toBe('VIBE_SLEEP_INVALID_TIME_ZONE');
      expect((err as Error).message).toContain('spec.sleep.timeZone "Mars/Olympus"');
    }
  });
});
