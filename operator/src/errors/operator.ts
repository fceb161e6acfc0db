import type { ErrorFamily } from './entry.js';

export const OPERATOR_ERRORS = {
  title: 'Operator, configuration and schedules',
  about:
    "Start-up, the reconciler framework, durations in specs, and VibeEnvironmentSchedules; start-up errors stop `vibe operator` with exit code 2, the others show in the object's status and events.",
  codes: {
    VIBE_API_INVALID_DURATION: {
      message: '"{value}" is not a duration',
      action: 'Write it like 30m, 4h, 1h30m or 2d.',
    },
    VIBE_CONFIG_INVALID: {
      message: 'invalid operator configuration: one line per bad key, {key} (from {source}): {problem}',
      action:
        'Fix each key where the line says it came from: the --config file, a flag, a VIBE_* environment variable, the models mapping or the policy file (`vibe operator --help`).',
    },
    VIBE_HANDLER_PERMANENT: {
      message: '{handler}: {problem}',
      action: "Not retried; fix what the message names and change the object's spec.",
    },
    VIBE_HANDLER_TEMPORARY: {
      message: '{handler}: {problem}; retried in {delay}',
      action: 'Retried by itself.',
    },
    VIBE_HANDLER_TIMEOUT: {
      message: 'handler {handler} did not finish within {timeoutMs} ms and was abandoned',
      action: 'Retried by itself; if it keeps timing out, look at the operator log.',
    },
    VIBE_KUBE_API_ERROR: {
      message: 'the API server answered {status} {reason}: {message}',
      action: 'Read the reason; outages are retried by themselves.',
    },
    VIBE_KUBE_UNKNOWN_KIND: {
      message: 'the API server does not serve kind {kind} in {apiVersion}',
      action: 'Install its CRD, or use a kind the cluster serves.',
    },
    VIBE_SCHEDULE_INVALID_CRON: {
      message: 'spec.schedule "{expression}" is not a cron expression the operator runs',
      action: 'Use five fields (minute hour day month weekday); put the time zone in spec.timeZone.',
    },
    VIBE_SCHEDULE_INVALID_TIME_ZONE: {
      message: 'spec.timeZone "{timeZone}" is not an IANA time zone',
      action: 'Use a name such as Europe/Berlin or UTC.',
    },
    VIBE_SCHEDULE_NAME_TAKEN: {
      message:
        'the run scheduled for {time} needs the name {name}, but a VibeEnvironment this schedule does not own already has it',
      action: 'Delete or rename that environment.',
    },
    VIBE_SCHEDULE_NAME_TOO_LONG: {
      message: 'the schedule name "{name}" has {length} characters; its runs\' label holds at most {max}',
      action: 'Recreate the schedule under a shorter name.',
    },
  },
} as const satisfies ErrorFamily;
