/**
 * What can be wrong with a schedule itself. Each error names the field to
 * change and carries a stable code and the CamelCase reason its condition shows.
 */
export type ScheduleErrorCode =
  | 'VIBE_SCHEDULE_INVALID_CRON'
  | 'VIBE_SCHEDULE_INVALID_TIME_ZONE'
  | 'VIBE_SCHEDULE_NAME_TOO_LONG'
  | 'VIBE_SCHEDULE_NAME_TAKEN';

const REASONS: Record<ScheduleErrorCode, string> = {
  VIBE_SCHEDULE_INVALID_CRON: 'InvalidSchedule',
  VIBE_SCHEDULE_INVALID_TIME_ZONE: 'InvalidTimeZone',
  VIBE_SCHEDULE_NAME_TOO_LONG: 'NameTooLong',
  VIBE_SCHEDULE_NAME_TAKEN: 'NameTaken',
};

export class ScheduleError extends Error {
  readonly reason: string;
  constructor(
    readonly code: ScheduleErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ScheduleError';
    this.reason = REASONS[code];
  }
}
