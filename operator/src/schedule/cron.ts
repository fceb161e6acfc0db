import { CronExpressionParser, type CronExpression } from 'cron-parser';
import { ScheduleError } from './errors.js';

/** The macros Kubernetes CronJobs accept, spelled out as five fields. */
const MACROS: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

/** Further back than any daylight saving shift reaches. */
const DST_SEARCH_MS = 3 * 3_600_000;

/** A validated cron expression bound to a time zone; every instant it yields falls on a whole minute. */
export interface CronSchedule {
  readonly timeZone: string;
  /** The first scheduled time strictly after t, or undefined when there is none. */
  firstAfter(t: Date): Date | undefined;
  /**
   * The scheduled times in (from, to] as the sequence from `from` yields them:
   * how many (counting no further than limit; complete says whether all were
   * counted) and the latest.
   */
  runsBetween(from: Date, to: Date, limit: number): { count: number; complete: boolean; latest?: Date };
}

function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

/** The time zone of the operator's process, used for schedules that name none. */
export function processTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/**
 * Parses spec.schedule in spec.timeZone. Only five-field expressions and the
 * CronJob macros are accepted: cron-parser would also take a seconds field,
 * and runs closer than a minute apart would share one environment name.
 * Jenkins-style H fields pick their value from hashSeed; without a fixed seed
 * cron-parser picks anew on every parse and the schedule would wander.
 */
export function parseCron(expression: string, timeZone: string, hashSeed: string): CronSchedule {
  if (!isValidTimeZone(timeZone)) {
    throw new ScheduleError(
      'VIBE_SCHEDULE_INVALID_TIME_ZONE',
      `spec.timeZone "${timeZone}" is not an IANA time zone; use a name such as Europe/Berlin or UTC.`,
    );
  }
  const trimmed = expression.trim();
  if (/^(CRON_)?TZ=/.test(trimmed)) {
    throw new ScheduleError(
      'VIBE_SCHEDULE_INVALID_CRON',
      `spec.schedule "${expression}" sets a time zone inside the expression; move it to spec.timeZone.`,
    );
  }
  const fields = MACROS[trimmed.toLowerCase()] ?? trimmed;
  if (fields.split(/\s+/).length !== 5) {
    throw new ScheduleError(
      'VIBE_SCHEDULE_INVALID_CRON',
      `spec.schedule "${expression}" must have five fields (minute hour day-of-month month day-of-week) or be one of ${Object.keys(MACROS).join(', ')}.`,
    );
  }
  const at = (currentDate: Date): CronExpression => {
    try {
      return CronExpressionParser.parse(fields, { tz: timeZone, currentDate, hashSeed });
    } catch (err) {
      throw new ScheduleError(
        'VIBE_SCHEDULE_INVALID_CRON',
        `spec.schedule "${expression}" is not a valid cron expression: ${(err as Error).message}.`,
      );
    }
  };
  // next() and prev() throw when no time satisfies the expression within cron-parser's search limit.
  const step = (currentDate: Date, direction: 'next' | 'prev'): Date | undefined => {
    const cron = at(currentDate);
    try {
      return cron[direction]().toDate();
    } catch {
      return undefined;
    }
  };
  // Parsed once here so a bad expression is reported when the schedule is read, not at its first run.
  at(new Date(0));
  const walk = (from: Date, to: Date, limit: number): { count: number; last?: Date } => {
    const cron = at(from);
    let count = 0;
    let last: Date | undefined;
    try {
      while (count < limit) {
        const n = cron.next().toDate();
        if (n.getTime() > to.getTime()) break;
        last = n;
        count++;
      }
    } catch {
      // The expression has no time after `last`: what was counted is all there is.
    }
    return { count, last };
  };
  return {
    timeZone,
    firstAfter: (t) => step(t, 'next'),
    runsBetween(from, to, limit) {
      const counted = walk(from, to, limit);
      if (counted.count < limit) return { count: counted.count, complete: true, latest: counted.last };
      // Too many to walk: jump close to the end with prev() and walk the last stretch. prev() and
      // next() disagree on which local times exist near a DST change, so the stretch starts far
      // enough back to meet the times next() yields there.
      const anchor = step(new Date(to.getTime() + 1), 'prev');
      const start = Math.max((counted.last as Date).getTime(), (anchor?.getTime() ?? 0) - DST_SEARCH_MS);
      const tail = walk(new Date(start), to, Number.MAX_SAFE_INTEGER);
      return { count: limit, complete: false, latest: tail.last ?? counted.last };
    },
  };
}
