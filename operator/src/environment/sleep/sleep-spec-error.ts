import type { ErrorCode } from '../../errors/index.js';

type SleepSpecCode = Extract<
  ErrorCode,
  | 'VIBE_SLEEP_INVALID_SCHEDULE'
  | 'VIBE_SLEEP_INVALID_TIME_ZONE'
  | 'VIBE_SLEEP_INVALID_AFTER_IDLE'
  | 'VIBE_SLEEP_IDLE_UNMEASURED'
>;

/** spec.sleep cannot be read: the message names the field and the fix; the lifecycle shows it in a condition. */
export class SleepSpecError extends Error {
  constructor(
    readonly code: SleepSpecCode,
    message: string,
  ) {
    super(message);
    this.name = 'SleepSpecError';
  }
}
