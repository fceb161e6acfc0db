import { rfc3339 } from '../api/condition.js';
import { API_VERSION } from '../api/group.js';
import { SCHEDULE_KIND, type VibeEnvironmentSchedule } from '../api/vibe-environment-schedule.js';
import { KIND, type VibeEnvironment } from '../api/vibe-environment.js';
import { ScheduleError } from './errors.js';
import { ANNOTATION_SCHEDULED_TIME, LABEL_SCHEDULE } from './run.js';

/** A label value holds at most 63 characters, and every run carries the schedule's name in one. */
export const MAX_SCHEDULE_NAME_LENGTH = 63;

/**
 * The run's name is a function of the schedule and the scheduled minute, so a
 * retried or restarted reconcile that creates it again gets AlreadyExists
 * instead of a second environment.
 */
export function runName(scheduleName: string, scheduledAt: Date): string {
  return `${scheduleName}-${Math.floor(scheduledAt.getTime() / 60_000)}`;
}

export function assertNameFits(schedule: VibeEnvironmentSchedule): void {
  const { name } = schedule.metadata;
  if (name.length > MAX_SCHEDULE_NAME_LENGTH) {
    throw new ScheduleError(
      'VIBE_SCHEDULE_NAME_TOO_LONG',
      `the schedule name "${name}" has ${name.length} characters; runs carry it in the ${LABEL_SCHEDULE} label, which holds at most ${MAX_SCHEDULE_NAME_LENGTH}. Recreate the schedule under a shorter name.`,
    );
  }
}

/** The VibeEnvironment one run creates: the template, marked and owned by the schedule. */
export function runEnvironment(schedule: VibeEnvironmentSchedule, scheduledAt: Date): VibeEnvironment {
  const { metadata, spec } = schedule;
  return {
    apiVersion: API_VERSION,
    kind: KIND,
    metadata: {
      name: runName(metadata.name, scheduledAt),
      namespace: metadata.namespace,
      labels: { ...spec.template.metadata?.labels, [LABEL_SCHEDULE]: metadata.name },
      annotations: {
        ...spec.template.metadata?.annotations,
        [ANNOTATION_SCHEDULED_TIME]: rfc3339(scheduledAt),
      },
      ownerReferences: [
        {
          apiVersion: API_VERSION,
          kind: SCHEDULE_KIND,
          name: metadata.name,
          uid: metadata.uid,
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    },
    spec: structuredClone(spec.template.spec),
  };
}

/** True when the environment is a run of this very schedule, not of an earlier one of the same name. */
export function isRunOf(env: VibeEnvironment, schedule: VibeEnvironmentSchedule): boolean {
  return (
    env.metadata.namespace === schedule.metadata.namespace &&
    env.metadata.labels?.[LABEL_SCHEDULE] === schedule.metadata.name &&
    (env.metadata.ownerReferences ?? []).some(
      (ref) => (ref as { uid?: string; controller?: boolean }).uid === schedule.metadata.uid,
    )
  );
}
