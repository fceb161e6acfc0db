import type { ErrorFamily } from './entry.js';

export const SLEEP_ERRORS = {
  title: 'Sleep and wake',
  about:
    "An environment's spec.sleep, read on every reconcile (shown in the Sleeping condition and events), and the activator that wakes a sleeping environment on a preview request (its 503 answers).",
  codes: {
    VIBE_SLEEP_INVALID_SCHEDULE: {
      message:
        'spec.sleep.schedule[{index}].{field} "{expression}" is not a valid cron expression: {problem}',
      action:
        'Write five fields (minute hour day-of-month month day-of-week), e.g. "0 20 * * 1-5", or a macro such as @daily; put the time zone in spec.sleep.timeZone.',
    },
    VIBE_SLEEP_INVALID_TIME_ZONE: {
      message: 'spec.sleep.timeZone "{timeZone}" is not an IANA time zone',
      action: 'Use a name such as Europe/Berlin or UTC.',
    },
    VIBE_SLEEP_INVALID_AFTER_IDLE: {
      message: 'spec.sleep.afterIdle "{value}" is not a duration',
      action: 'Write it like 30m, 4h or 1h30m.',
    },
    VIBE_SLEEP_IDLE_UNMEASURED: {
      message:
        'spec.sleep.afterIdle "{value}" needs the requests to the preview, which this operator does not see',
      action:
        "Run the operator with --preview-controller-metrics (the ingress controller's request counters) or --preview-router (ADR 0097), or use spec.sleep.schedule or vibe sleep instead.",
    },
    VIBE_WAKE_FAILED: {
      message: 'the environment {name} could not be woken: {reason}',
      action:
        "Read the environment's Ready condition (`vibe get NAME`); fix the workload it names, then `vibe wake NAME`.",
    },
    VIBE_WAKE_TIMEOUT: {
      message: 'the environment {name} did not wake within {seconds} s',
      action: 'Retry the request; if it keeps timing out, read `vibe get NAME` and its events.',
    },
  },
} as const satisfies ErrorFamily;
