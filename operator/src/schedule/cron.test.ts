import { describe, expect, it } from 'vitest';
import { parseCron } from './cron.js';
import { ScheduleError } from './errors.js';

const iso = (d: Date | undefined) => d?.toISOString();

function nextTimes(expression: string, timeZone: string, from: string, n: number): string[] {
  const cron = parseCron(expression, timeZone, 'ns/s');
  const out: string[] = [];
  let t = new Date(from);
  for (let i = 0; i < n; i++) {
    t = cron.firstAfter(t) as Date;
    out.push(t.toISOString());
  }
  return out;
}

describe('parseCron', () => {
  it('keeps 02:30 Berlin time across the spring DST change, moving the skipped hour to 03:30', () => {
    expect(nextTimes('30 2 * * *', 'Europe/Berlin', '2026-03-27T00:00:00Z', 4)).toEqual([
      '2026-03-27T01:30:00.000Z',
      '2026-03-28T01:30:00.000Z',
      // 02:30 does not exist on 29 March; the run comes at 03:30 CEST instead of being lost.
      '2026-03-29T01:30:00.000Z',
      '2026-03-30T00:30:00.000Z',
    ]);
  });

  it('runs once, not twice, on the autumn day whose 02:30 happens twice', () => {
    expect(nextTimes('30 2 * * *', 'Europe/Berlin', '2026-10-24T12:00:00Z', 3)).toEqual([
      '2026-10-25T00:30:00.000Z',
      '2026-10-26T01:30:00.000Z',
      '2026-10-27T01:30:00.000Z',
    ]);
  });

  it('counts a repeated autumn hour once when looking back, as when looking forward', () => {
    const cron = parseCron('30 2 * * *', 'Europe/Berlin', 'ns/s');
    const now = new Date('2026-10-25T05:00:00Z');
    expect(cron.runsBetween(new Date('2026-10-24T00:30:00Z'), now, 1000)).toEqual({
      count: 1,
      complete: true,
      latest: new Date('2026-10-25T00:30:00Z'),
    });
    expect(cron.runsBetween(new Date('2026-10-25T00:30:00Z'), now, 1000)).toEqual({
      count: 0,
      complete: true,
    });
    const long = cron.runsBetween(new Date('2025-01-01T00:00:00Z'), now, 100);
    expect(long).toEqual({ count: 100, complete: false, latest: new Date('2026-10-25T00:30:00Z') });
  });

  it('finds the run the spring change moved, even after too many to count', () => {
    const cron = parseCron('30 2 * * *', 'Europe/Berlin', 'ns/s');
    const now = new Date('2026-03-29T23:59:00Z');
    const long = cron.runsBetween(new Date('2025-01-01T00:00:00Z'), now, 100);
    expect(long).toEqual({ count: 100, complete: false, latest: new Date('2026-03-29T01:30:00Z') });
  });

  it('follows the zone named, not UTC', () => {
    expect(nextTimes('0 9 * * *', 'America/New_York', '2026-03-07T00:00:00Z', 2)).toEqual([
      '2026-03-07T14:00:00.000Z',
      '2026-03-08T13:00:00.000Z',
    ]);
  });

  it('counts the end of the interval but not its start', () => {
    const cron = parseCron('*/5 * * * *', 'UTC', 'ns/s');
    const from = new Date('2026-01-01T00:05:00Z');
    expect(cron.runsBetween(from, new Date('2026-01-01T00:10:00Z'), 1000)).toEqual({
      count: 1,
      complete: true,
      latest: new Date('2026-01-01T00:10:00Z'),
    });
    expect(cron.runsBetween(from, new Date('2026-01-01T00:09:59.999Z'), 1000)).toEqual({
      count: 0,
      complete: true,
    });
    expect(iso(cron.firstAfter(new Date('2026-01-01T00:10:00Z')))).toBe('2026-01-01T00:15:00.000Z');
  });

  it('stops counting at the limit and still finds the latest time', () => {
    const cron = parseCron('* * * * *', 'UTC', 'ns/s');
    const from = new Date('2026-01-01T00:00:00Z');
    expect(cron.runsBetween(from, new Date('2026-01-01T00:10:00Z'), 1000)).toMatchObject({ count: 10 });
    expect(cron.runsBetween(from, new Date('2026-01-02T00:00:30Z'), 100)).toEqual({
      count: 100,
      complete: false,
      latest: new Date('2026-01-02T00:00:00Z'),
    });
  });

  it('runs when either day-of-month or day-of-week matches, as cron and CronJob do', () => {
    expect(nextTimes('0 0 14 * 5', 'UTC', '2026-02-01T00:00:00Z', 4)).toEqual([
      '2026-02-06T00:00:00.000Z',
      '2026-02-13T00:00:00.000Z',
      '2026-02-14T00:00:00.000Z',
      '2026-02-20T00:00:00.000Z',
    ]);
  });

  it('accepts the CronJob macros', () => {
    expect(iso(parseCron('@midnight', 'UTC', 'ns/s').firstAfter(new Date('2026-01-01T05:00:00Z')))).toBe(
      '2026-01-02T00:00:00.000Z',
    );
    expect(iso(parseCron('@hourly', 'UTC', 'ns/s').firstAfter(new Date('2026-01-01T05:00:00Z')))).toBe(
      '2026-01-01T06:00:00.000Z',
    );
  });

  it('picks H fields from the seed, the same on every parse', () => {
    const times = (seed: string) =>
      Array.from({ length: 3 }, () =>
        iso(parseCron('H H * * *', 'UTC', seed).firstAfter(new Date('2026-01-01T00:00:00Z'))),
      );
    const a = times('team-a/nightly');
    expect(new Set(a).size).toBe(1);
    const spread = new Set(['b', 'c', 'd', 'e', 'f', 'g'].map((s) => times(`team-a/${s}`)[0]));
    expect(spread.size).toBeGreaterThan(1);
  });

  it.each([
    ['banana', 'VIBE_SCHEDULE_INVALID_CRON', /spec\.schedule "banana"/],
    ['61 * * * *', 'VIBE_SCHEDULE_INVALID_CRON', /spec\.schedule "61 \* \* \* \*" is not a valid cron/],
    ['* * * *', 'VIBE_SCHEDULE_INVALID_CRON', /must have five fields/],
    ['0 * * * * *', 'VIBE_SCHEDULE_INVALID_CRON', /must have five fields/],
    ['@secondly', 'VIBE_SCHEDULE_INVALID_CRON', /must have five fields/],
    ['CRON_TZ=UTC 0 * * * *', 'VIBE_SCHEDULE_INVALID_CRON', /move it to spec\.timeZone/],
  ])('rejects the expression %s with a sentence naming spec.schedule', (expression, code, message) => {
    const err = catchError(() => parseCron(expression, 'UTC', 'ns/s'));
    expect(err).toBeInstanceOf(ScheduleError);
    expect(err).toMatchObject({ code, reason: 'InvalidSchedule' });
    expect(err.message).toMatch(message);
  });

  it('rejects a time zone that is not in the IANA database, naming spec.timeZone', () => {
    const err = catchError(() => parseCron('0 * * * *', 'Mars/Olympus', 'ns/s'));
    expect(err).toMatchObject({ code: 'VIBE_SCHEDULE_INVALID_TIME_ZONE', reason: 'InvalidTimeZone' });
    expect(err.message).toBe(
      'spec.timeZone "Mars/Olympus" is not an IANA time zone; use a name such as Europe/Berlin or UTC.',
    );
  });
});

function catchError(fn: () => unknown): ScheduleError {
  try {
    fn();
  } catch (err) {
    return err as ScheduleError;
  }
  throw new Error('expected an error');
}
