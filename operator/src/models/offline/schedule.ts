/**
 * Reads a schedule phrase ("nightly at 02:30", "every 15 minutes", "hourly", "weekly on sundays at
 * midnight", "on weekdays at 6pm", or a literal cron line) into a five-field cron expression.
 */
import { countOf, NUMBER_WORD_PATTERN } from './lexicon.js';

export type ScheduleReading =
  | { readonly ok: true; readonly cron: string; readonly phrase: string; readonly index: number }
  | { readonly ok: false; readonly phrase: string; readonly reason: string };

const DAYS: Record<string, number> = { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 };
const DAY = /\b(sun|mon|tue|wed|thu|fri|sat)[a-z]*/gi;

const LITERAL = /(?:^|[\s"'`(])((?:[\d*/,-]+\s+){4}[\d*/,A-Za-z-]+)(?=$|[\s"'`).,;])/;
const EVERY_N = new RegExp(
  String.raw`\bevery\s+(\d+|${NUMBER_WORD_PATTERN})\s*(seconds?|secs?|s|minutes?|mins?|m|hours?|hrs?|h|days?|d)\b`,
  'i',
);
const EVERY_UNIT = /\bevery\s+(second|minute|hour|day|night|morning|evening|week|month)\b/i;
const ADVERB =
  /\b(hourly|nightly|daily|weekly|monthly|every\s*day|each\s+(?:day|night)|once\s+a\s+(?:day|week|month))\b/i;
const TIME =
  /\b(?:at\s+)?(midnight|noon|midday|(\d{1,2})(?::(\d{2}))?\s*(a\.?m\.?|p\.?m\.?)|(\d{1,2}):(\d{2})(?:\s*(?:utc|gmt))?)(?![\w:])/i;
const WEEKDAYS = /\b(?:on\s+)?(?:weekdays|every\s+weekday|monday\s+(?:to|through)\s+friday|mon-fri)\b/i;
const WEEKENDS = /\b(?:on\s+)?(?:weekends|every\s+weekend)\b/i;
const MONTH_DAY =
  /\b(?:on\s+the\s+)?(\d{1,2})(?:st|nd|rd|th)\s+(?:day\s+)?of\s+(?:every|each|the)\s+month\b/i;

function timeOfDay(text: string): { minute: number; hour: number } | undefined {
  const m = TIME.exec(text);
  if (!m) return undefined;
  const word = m[1]!.toLowerCase();
  if (word === 'midnight') return { minute: 0, hour: 0 };
  if (word === 'noon' || word === 'midday') return { minute: 0, hour: 12 };
  if (m[2] !== undefined) {
    let hour = Number(m[2]) % 12;
    if (m[4]!.toLowerCase().startsWith('p')) hour += 12;
    return { minute: Number(m[3] ?? 0), hour };
  }
  return { minute: Number(m[6]), hour: Number(m[5]) };
}

function weekDays(text: string): string | undefined {
  if (WEEKDAYS.test(text)) return '1-5';
  if (WEEKENDS.test(text)) return '0,6';
  const days = [...text.matchAll(DAY)]
    .filter((m) =>
      /^(sun|mon|tue|wed|thu|fri|sat)(day|days|s|nesday|nesdays|sday|sdays|urday|urdays|rsday|rsdays)?$/i.test(
        m[0],
      ),
    )
    .map((m) => DAYS[m[1]!.toLowerCase()]!);
  return days.length ? [...new Set(days)].sort().join(',') : undefined;
}

/** "every N seconds/minutes/hours/days" (N in digits or words): N must fit the unit; a CronJob has no seconds. */
function everyNUnits(everyN: RegExpExecArray, text: string): ScheduleReading {
  const n = countOf(everyN[1]!) ?? 1;
  const unit = everyN[2]!.toLowerCase();
  const phrase = everyN[0];
  if (unit.startsWith('s')) {
    return { ok: false, phrase, reason: 'a CronJob runs at most once a minute' };
  }
  if (unit.startsWith('m')) {
    if (n < 1 || n > 59) return { ok: false, phrase, reason: 'minute intervals must be between 1 and 59' };
    return { ok: true, cron: n === 1 ? '* * * * *' : `*/${n} * * * *`, phrase, index: everyN.index };
  }
  if (unit.startsWith('h')) {
    if (n < 1 || n > 23) return { ok: false, phrase, reason: 'hour intervals must be between 1 and 23' };
    return { ok: true, cron: n === 1 ? '0 * * * *' : `0 */${n} * * *`, phrase, index: everyN.index };
  }
  const t = timeOfDay(text) ?? { minute: 0, hour: 0 };
  return {
    ok: true,
    cron: `${t.minute} ${t.hour} ${n === 1 ? '*' : `*/${n}`} * *`,
    phrase,
    index: everyN.index,
  };
}

export function readSchedule(text: string): ScheduleReading | undefined {
  const literal = LITERAL.exec(text);
  if (literal && /[*]/.test(literal[1]!))
    return {
      ok: true,
      cron: literal[1]!.trim().split(/\s+/).join(' '),
      phrase: literal[1]!,
      index: literal.index,
    };

  const everyN = EVERY_N.exec(text);
  if (everyN) return everyNUnits(everyN, text);

  const every = EVERY_UNIT.exec(text);
  const adverb = ADVERB.exec(text);
  const unitMatch = every ?? adverb;
  const days = weekDays(text);
  const monthDay = MONTH_DAY.exec(text);
  const time = timeOfDay(text);
  const unit = unitMatch ? unitMatch[1]!.toLowerCase().replace(/\s+/g, ' ') : undefined;

  if (unit === 'second')
    return { ok: false, phrase: unitMatch![0], reason: 'a CronJob runs at most once a minute' };
  if (unit === 'minute')
    return { ok: true, cron: '* * * * *', phrase: unitMatch![0], index: unitMatch!.index };
  if (unit === 'hour' || unit === 'hourly') {
    const minute =
      /\bat\s+:?(\d{1,2})\s+(?:minutes\s+)?past\b|\bat\s+:(\d{2})\b|\b(?:at\s+)?minute\s+(\d{1,2})\b/i.exec(
        text,
      );
    return {
      ok: true,
      cron: `${minute ? Number(minute[1] ?? minute[2] ?? minute[3]) : 0} * * * *`,
      phrase: unitMatch![0],
      index: unitMatch!.index,
    };
  }
  const t = time ?? { minute: 0, hour: 0 };
  if (unit === 'month' || unit === 'monthly' || unit === 'once a month' || monthDay) {
    const day = monthDay ? Number(monthDay[1]) : 1;
    const index = (unitMatch ?? monthDay)!.index;
    return { ok: true, cron: `${t.minute} ${t.hour} ${day} * *`, phrase: (unitMatch ?? monthDay)![0], index };
  }
  if (unit === 'week' || unit === 'weekly' || unit === 'once a week') {
    return {
      ok: true,
      cron: `${t.minute} ${t.hour} * * ${days ?? '0'}`,
      phrase: unitMatch![0],
      index: unitMatch!.index,
    };
  }
  if (unit) {
    const defaultHour = unit === 'morning' ? 6 : unit === 'evening' ? 18 : 0;
    const at = time ?? { minute: 0, hour: defaultHour };
    return {
      ok: true,
      cron: `${at.minute} ${at.hour} * * ${days ?? '*'}`,
      phrase: unitMatch![0],
      index: unitMatch!.index,
    };
  }
  if (days && time) {
    const m =
      WEEKDAYS.exec(text) ??
      WEEKENDS.exec(text) ??
      /\b(?:on\s+|every\s+)?(sun|mon|tue|wed|thu|fri|sat)[a-z]*/i.exec(text)!;
    return { ok: true, cron: `${time.minute} ${time.hour} * * ${days}`, phrase: m[0], index: m.index };
  }
  const cron = /\b(?:cron\s*job|cronjob|scheduled\s+job|on\s+a\s+schedule)\b/i.exec(text);
  if (cron && time)
    return { ok: true, cron: `${time.minute} ${time.hour} * * *`, phrase: cron[0], index: cron.index };
  if (cron)
    return {
      ok: false,
      phrase: cron[0],
      reason: 'it does not say when to run (say e.g. "every 15 minutes" or "nightly at 02:30")',
    };
  return undefined;
}
