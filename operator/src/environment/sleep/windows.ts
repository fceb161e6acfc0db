import { SLEEP_WINDOW_LOOKBACK_DAYS, type SleepSpec } from '../../api/vibe-environment.js';
import { parseCron, processTimeZone, type CronSchedule } from '../../schedule/cron.js';
import { ScheduleError } from '../../schedule/errors.js';
import type { WindowTimes } from './decision.js';
import { SleepSpecError } from './sleep-spec-error.js';

const LOOKBACK_MS = SLEEP_WINDOW_LOOKBACK_DAYS * 86_400_000;

interface ParsedWindow {
  sleep: CronSchedule;
  wake: CronSchedule;
}

/**
 * The sleep windows of spec.sleep.schedule read with the schedule resource's cron code: the latest
 * sleep and wake times at or before now (searched back SLEEP_WINDOW_LOOKBACK_DAYS), and the first
 * time after now at which any window begins or ends. Throws SleepSpecError naming the field.
 */
export function windowTimes(sleep: SleepSpec | undefined, now: number, hashSeed: string): WindowTimes {
  const windows = parseWindows(sleep, hashSeed);
  const at = new Date(now);
  const from = new Date(now - LOOKBACK_MS);
  const times: WindowTimes = {};
  for (const window of windows) {
    const lastSleep = window.sleep.runsBetween(from, at, 1).latest?.getTime();
    const lastWake = window.wake.runsBetween(from, at, 1).latest?.getTime();
    times.lastSleep = max(times.lastSleep, lastSleep);
    times.lastWake = max(times.lastWake, lastWake);
    for (const next of [window.sleep.firstAfter(at), window.wake.firstAfter(at)]) {
      const t = next?.getTime();
      if (t !== undefined && (times.next === undefined || t < times.next)) times.next = t;
    }
  }
  return times;
}

/** Checks spec.sleep.schedule and timeZone without evaluating them (for admission-like checks). */
export function parseWindows(sleep: SleepSpec | undefined, hashSeed: string): ParsedWindow[] {
  if (!sleep?.schedule?.length) return [];
  const timeZone = sleep.timeZone ?? processTimeZone();
  return sleep.schedule.map((window, index) => ({
    sleep: parse(window.sleep, timeZone, hashSeed, index, 'sleep'),
    wake: parse(window.wake, timeZone, hashSeed, index, 'wake'),
  }));
}

function parse(
  expression: string,
  timeZone: string,
  hashSeed: string,
  index: number,
  field: 'sleep' | 'wake',
): CronSchedule {
  try {
    return parseCron(expression, timeZone, hashSeed);
  } catch (err) {
    if (!(err instanceof ScheduleError)) throw err;
    if (err.code === 'VIBE_SCHEDULE_INVALID_TIME_ZONE') {
      throw new SleepSpecError(
        'VIBE_SLEEP_INVALID_TIME_ZONE',
        `spec.sleep.timeZone "${timeZone}" is not an IANA time zone; use a name such as Europe/Berlin or UTC.`,
      );
    }
    const problem = err.message.replace(/^spec\.schedule "[^"]*" /, '');
    throw new SleepSpecError(
      'VIBE_SLEEP_INVALID_SCHEDULE',
      `spec.sleep.schedule[${index}].${field} "${expression}" ${problem.replace(/\.$/, '')}; write five fields such as "0 20 * * 1-5" or a macro such as @daily.`,
    );
  }
}

function max(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return Math.max(a, b);
}
