import { describe, expect, it } from 'vitest';
import { parseCron } from './cron.js';
import { dueRun, MISSED_COUNT_LIMIT } from './due-run.js';

const everyMinute = parseCron('* * * * *', 'UTC', 'ns/s');
const at = (s: string) => new Date(s);

describe('dueRun', () => {
  it('owes nothing before the first scheduled time and says when it comes', () => {
    const run = dueRun(everyMinute, { since: at('2026-01-01T00:00:00Z'), now: at('2026-01-01T00:00:59Z') });
    expect(run).toEqual({ missed: 0, missedAtLeast: false, next: at('2026-01-01T00:01:00Z') });
  });

  it('owes the scheduled time once it has come, exactly at that time', () => {
    const run = dueRun(everyMinute, { since: at('2026-01-01T00:00:00Z'), now: at('2026-01-01T00:01:00Z') });
    expect(run).toEqual({
      due: at('2026-01-01T00:01:00Z'),
      missed: 0,
      missedAtLeast: false,
      next: at('2026-01-01T00:02:00Z'),
    });
  });

  it('owes nothing again once the last run is recorded', () => {
    const run = dueRun(everyMinute, { since: at('2026-01-01T00:01:00Z'), now: at('2026-01-01T00:01:30Z') });
    expect(run.due).toBeUndefined();
    expect(run.tooLate).toBeUndefined();
  });

  it('after an outage starts only the latest missed time and counts the others', () => {
    const run = dueRun(everyMinute, { since: at('2026-01-01T00:00:00Z'), now: at('2026-01-01T00:10:30Z') });
    expect(run).toMatchObject({ due: at('2026-01-01T00:10:00Z'), missed: 9, missedAtLeast: false });
  });

  it('stops counting after the limit when very many runs were missed, still owing one', () => {
    const run = dueRun(everyMinute, { since: at('2025-01-01T00:00:00Z'), now: at('2026-01-01T00:00:30Z') });
    expect(run).toMatchObject({
      due: at('2026-01-01T00:00:00Z'),
      missed: MISSED_COUNT_LIMIT - 1,
      missedAtLeast: true,
    });
  });

  it('starts a late run within startingDeadlineSeconds', () => {
    const run = dueRun(everyMinute, {
      since: at('2026-01-01T00:00:00Z'),
      now: at('2026-01-01T00:01:20Z'),
      startingDeadlineSeconds: 30,
    });
    expect(run.due).toEqual(at('2026-01-01T00:01:00Z'));
  });

  it('does not start a run later than startingDeadlineSeconds, and counts it as missed', () => {
    const hourly = parseCron('0 * * * *', 'UTC', 'ns/s');
    const run = dueRun(hourly, {
      since: at('2026-01-01T00:00:00Z'),
      now: at('2026-01-01T02:00:31Z'),
      startingDeadlineSeconds: 30,
    });
    expect(run).toEqual({
      tooLate: at('2026-01-01T02:00:00Z'),
      missed: 2,
      missedAtLeast: false,
      next: at('2026-01-01T03:00:00Z'),
    });
  });

  it('keeps local time across a DST change when deciding what is due', () => {
    const nightly = parseCron('0 2 * * *', 'Europe/Berlin', 'ns/s');
    // 02:00 CET is 01:00Z; on 29 March 02:00 does not exist and the run comes at 03:00 CEST, also
    // 01:00Z; from 30 March 02:00 CEST is 00:00Z.
    const before = dueRun(nightly, { since: at('2026-03-28T01:00:00Z'), now: at('2026-03-29T23:59:59Z') });
    expect(before.due).toEqual(at('2026-03-29T01:00:00Z'));
    const after = dueRun(nightly, { since: at('2026-03-29T01:00:00Z'), now: at('2026-03-30T00:00:00Z') });
    expect(after).toMatchObject({
      due: at('2026-03-30T00:00:00Z'),
      missed: 0,
      next: at('2026-03-31T00:00:00Z'),
    });
  });
});
