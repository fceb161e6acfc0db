import type { VibeEnvironmentScheduleSpec } from '../api/vibe-environment-schedule.js';
import { byScheduledTime, type Run } from './run.js';

export type ConcurrencyDecision =
  { action: 'start' } | { action: 'wait'; blockers: Run[] } | { action: 'replace'; replaced: Run[] };

/** What a due run may do given the runs still active, under the schedule's concurrencyPolicy. */
export function decideConcurrency(
  policy: VibeEnvironmentScheduleSpec['concurrencyPolicy'],
  runs: readonly Run[],
): ConcurrencyDecision {
  const active = runs.filter((r) => r.state === 'active').sort(byScheduledTime);
  if (active.length === 0 || policy === 'Allow') return { action: 'start' };
  return policy === 'Forbid' ? { action: 'wait', blockers: active } : { action: 'replace', replaced: active };
}
