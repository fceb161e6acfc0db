import type { VibeEnvironment } from '../api/vibe-environment.js';

/** Marks a VibeEnvironment as a run of the schedule named by the value. */
export const LABEL_SCHEDULE = 'vibe.dev/schedule';
/** The scheduled time a run was created for, RFC 3339. */
export const ANNOTATION_SCHEDULED_TIME = 'vibe.dev/scheduled-time';

/**
 * A run still provisioning is active; Ready and Expired runs succeeded,
 * Failed ones failed; a run being deleted counts as neither.
 */
export type RunState = 'active' | 'succeeded' | 'failed' | 'deleting';

export interface Run {
  name: string;
  uid?: string;
  scheduledAt: Date;
  state: RunState;
}

export function runState(env: VibeEnvironment): RunState {
  if (env.metadata.deletionTimestamp) return 'deleting';
  switch (env.status?.phase) {
    case 'Ready':
    case 'Expired':
      return 'succeeded';
    case 'Failed':
      return 'failed';
    default:
      return 'active';
  }
}

/** Reads a VibeEnvironment a schedule created as one of its runs. */
export function toRun(env: VibeEnvironment): Run {
  const annotated = Date.parse(env.metadata.annotations?.[ANNOTATION_SCHEDULED_TIME] ?? '');
  const created = Date.parse(env.metadata.creationTimestamp ?? '');
  return {
    name: env.metadata.name,
    ...(env.metadata.uid ? { uid: env.metadata.uid } : {}),
    scheduledAt: new Date(Number.isNaN(annotated) ? (Number.isNaN(created) ? 0 : created) : annotated),
    state: runState(env),
  };
}

/** Oldest first, ties broken by name, so every decision over runs is deterministic. */
export function byScheduledTime(a: Run, b: Run): number {
  return a.scheduledAt.getTime() - b.scheduledAt.getTime() || a.name.localeCompare(b.name);
}
