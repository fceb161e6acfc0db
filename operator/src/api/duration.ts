/**
 * Durations in the style users already know from kube-janitor and kubectl:
 * "30m", "4h", "2d", "1h30m". Days are allowed on their own only, so every
 * value is either whole days or a Go duration that CEL's duration() accepts.
 */
export const DURATION_PATTERN = '^([1-9][0-9]{0,3}d|([0-9]{1,5}h)?([0-9]{1,5}m)?([0-9]{1,5}s)?)$';

/** The longest TTL the CRD admits; the operator may enforce a lower one from its config. */
export const SCHEMA_MAX_TTL_DAYS = 30;

const UNIT_MS: Record<string, number> = { d: 86_400_000, h: 3_600_000, m: 60_000, s: 1000 };

export class DurationError extends Error {
  readonly code = 'VIBE_API_INVALID_DURATION';
  constructor(value: string) {
    super(`"${value}" is not a duration; write it like 30m, 4h, 1h30m or 2d.`);
    this.name = 'DurationError';
  }
}

/** Parses a duration into milliseconds; throws DurationError for anything else. */
export function parseDuration(value: string): number {
  if (value === '' || !new RegExp(DURATION_PATTERN).test(value)) throw new DurationError(value);
  let total = 0;
  for (const [, amount, unit] of value.matchAll(/([0-9]+)([dhms])/g)) {
    total += Number(amount) * (UNIT_MS[unit as string] as number);
  }
  if (total === 0) throw new DurationError(value);
  return total;
}

/** Formats milliseconds as the shortest duration string parseDuration reads back. */
export function formatDuration(ms: number): string {
  if (ms % UNIT_MS.d! === 0) return `${ms / UNIT_MS.d!}d`;
  let rest = Math.floor(ms / 1000);
  const h = Math.floor(rest / 3600);
  rest -= h * 3600;
  const m = Math.floor(rest / 60);
  const s = rest - m * 60;
  return `${h ? `${h}h` : ''}${m ? `${m}m` : ''}${s ? `${s}s` : ''}` || '0s';
}

/**
 * CEL rules for a duration field. The shape rule guards the bound rule so a
 * malformed value yields one readable message instead of an evaluation error.
 */
export function durationValidations(field: string, maxDays: number) {
  return [
    {
      rule: `self.matches('${DURATION_PATTERN}') && self != ''`,
      message: `${field} must be a duration such as 30m, 4h, 1h30m or 2d`,
    },
    {
      rule:
        `!self.matches('${DURATION_PATTERN}') || self == '' || ` +
        `(self.endsWith('d') ? int(self.substring(0, size(self) - 1)) <= ${maxDays} ` +
        `: duration(self) <= duration('${maxDays * 24}h'))`,
      message: `${field} must be at most ${maxDays}d`,
    },
  ];
}
