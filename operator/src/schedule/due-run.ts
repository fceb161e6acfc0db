import type { CronSchedule } from './cron.js';

/** Beyond this many, missed runs are not counted one by one: counting costs a cron step each. */
export const MISSED_COUNT_LIMIT = 1000;

export interface DueRunInput {
  /** Runs after this instant are owed: the last scheduled run, or the schedule's creation. */
  since: Date;
  now: Date;
  startingDeadlineSeconds?: number;
}

export interface DueRun {
  /** The scheduled time to start now, if any: always the latest owed one, as a CronJob does. */
  due?: Date;
  /** The latest owed time, when it is too late to start it (past startingDeadlineSeconds). */
  tooLate?: Date;
  /** Owed times that will never start: older than the latest, or past the deadline. */
  missed: number;
  /** True when missed reached MISSED_COUNT_LIMIT and more may exist. */
  missedAtLeast: boolean;
  /** The first scheduled time after now; undefined when the expression never fires again. */
  next?: Date;
}

/**
 * Decides which scheduled time, if any, is owed at now. Like the CronJob
 * controller, only the latest owed time is ever started: after an outage the
 * older ones are counted and reported, never created one by one.
 */
export function dueRun(cron: CronSchedule, input: DueRunInput): DueRun {
  const { since, now, startingDeadlineSeconds } = input;
  const next = cron.firstAfter(now);
  const owed = cron.runsBetween(since, now, MISSED_COUNT_LIMIT);
  const latest = owed.latest;
  if (!latest) return { missed: 0, missedAtLeast: false, next };
  const missedAtLeast = !owed.complete;
  const late =
    startingDeadlineSeconds !== undefined &&
    now.getTime() - latest.getTime() > startingDeadlineSeconds * 1000;
  if (late) return { tooLate: latest, missed: owed.count, missedAtLeast, next };
  return { due: latest, missed: owed.count - 1, missedAtLeast, next };
}
