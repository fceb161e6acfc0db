import { describe, expect, it } from 'vitest';
import { decideSleep, type SleepInputs } from './decision.js';

const MIN = 60_000;
const T0 = Date.parse('2026-12-07T10:00:00Z');

function inputs(over: Partial<SleepInputs>): SleepInputs {
  return { now: T0, windows: {}, activity: [], ...over };
}

describe('decideSleep', () => {
  it('stays awake without afterIdle, a window or a request, and asks for no recheck', () => {
    expect(decideSleep(inputs({ activity: [T0 - 600 * MIN] }))).toEqual({ asleep: false });
  });

  it('sleeps once afterIdle passed since the latest request, from the idle deadline on', () => {
    const decision = decideSleep(inputs({ afterIdleMs: 30 * MIN, activity: [T0 - 45 * MIN, T0 - 31 * MIN] }));
    expect(decision).toEqual({ asleep: true, reason: 'Idle', since: T0 - MIN });
  });

  it('stays awake before the idle deadline and rechecks at it', () => {
    const decision = decideSleep(inputs({ afterIdleMs: 30 * MIN, activity: [T0 - 10 * MIN] }));
    expect(decision).toEqual({ asleep: false, recheckAt: T0 + 20 * MIN });
  });

  it('counts the latest of every activity, ignoring unknown ones', () => {
    const decision = decideSleep(
      inputs({ afterIdleMs: 30 * MIN, activity: [undefined, T0 - 90 * MIN, T0 - 5 * MIN, Number.NaN] }),
    );
    expect(decision.asleep).toBe(false);
    expect(decision.recheckAt).toBe(T0 + 25 * MIN);
  });

  it('sleeps on vibe sleep and wakes on a later vibe wake', () => {
    expect(decideSleep(inputs({ sleepRequested: T0 - MIN, activity: [T0 - 2 * MIN] }))).toMatchObject({
      asleep: true,
      reason: 'Requested',
      since: T0 - MIN,
    });
    expect(
      decideSleep(inputs({ sleepRequested: T0 - 2 * MIN, wakeRequested: T0 - MIN, activity: [] })).asleep,
    ).toBe(false);
  });

  it('wakes on a request after vibe sleep: a request always wins over an earlier sleep', () => {
    expect(decideSleep(inputs({ sleepRequested: T0 - 2 * MIN, activity: [T0 - MIN] })).asleep).toBe(false);
  });

  it('ignores a sleep request dated in the future', () => {
    expect(decideSleep(inputs({ sleepRequested: T0 + MIN })).asleep).toBe(false);
  });

  it('sleeps inside a window and rechecks at its next transition', () => {
    const decision = decideSleep(
      inputs({ windows: { lastSleep: T0 - 60 * MIN, lastWake: T0 - 600 * MIN, next: T0 + 120 * MIN } }),
    );
    expect(decision).toEqual({
      asleep: true,
      reason: 'Schedule',
      since: T0 - 60 * MIN,
      recheckAt: T0 + 120 * MIN,
    });
  });

  it('is awake after the window ended, and after a request inside it', () => {
    expect(
      decideSleep(inputs({ windows: { lastSleep: T0 - 600 * MIN, lastWake: T0 - 60 * MIN } })).asleep,
    ).toBe(false);
    expect(
      decideSleep(
        inputs({ windows: { lastSleep: T0 - 60 * MIN, lastWake: T0 - 600 * MIN }, activity: [T0 - MIN] }),
      ).asleep,
    ).toBe(false);
  });

  it('restarts the idle timer at a window wake', () => {
    const decision = decideSleep(
      inputs({
        afterIdleMs: 30 * MIN,
        windows: { lastSleep: T0 - 600 * MIN, lastWake: T0 - 10 * MIN },
        activity: [T0 - 900 * MIN],
      }),
    );
    expect(decision).toEqual({ asleep: false, recheckAt: T0 + 20 * MIN });
  });

  it('names the latest sleep event as the reason when several apply', () => {
    const decision = decideSleep(
      inputs({
        afterIdleMs: 10 * MIN,
        sleepRequested: T0 - 30 * MIN,
        windows: { lastSleep: T0 - 5 * MIN },
        activity: [T0 - 60 * MIN],
      }),
    );
    expect(decision).toMatchObject({ asleep: true, reason: 'Schedule', since: T0 - 5 * MIN });
  });
});
