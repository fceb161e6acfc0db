import { setCondition, type ConditionStatus } from '../api/condition.js';
import type { Phase, VibeEnvironment } from '../api/vibe-environment.js';
import type { HandlerContext } from '../reconciler/handler-types.js';

export type Ctx = HandlerContext<VibeEnvironment>;

/** Condition types the lifecycle reports, one per step a user may wait on with `kubectl wait`. */
export const CONDITION = {
  planned: 'Planned',
  approved: 'Approved',
  applied: 'Applied',
  ready: 'Ready',
  expiring: 'Expiring',
  namespaceDeleted: 'NamespaceDeleted',
  /** False while spec.sleep cannot be read (a bad cron expression or time zone): the environment stays awake. */
  sleepSpec: 'SleepSpecValid',
} as const;

/** status.message holds at most 4096 characters; rollout detail can run longer. */
const MAX_MESSAGE = 4096;

export function setPhase(ctx: Ctx, phase: Phase, message: string): void {
  ctx.status.phase = phase;
  ctx.status.message = message.length > MAX_MESSAGE ? `${message.slice(0, MAX_MESSAGE - 1)}…` : message;
}

export function condition(
  ctx: Ctx,
  type: string,
  status: ConditionStatus,
  reason: string,
  message: string,
): void {
  ctx.status.conditions = setCondition(ctx.status.conditions, {
    type,
    status,
    reason,
    message,
    observedGeneration: ctx.object.metadata.generation ?? 0,
  });
}

/** Ends the lifecycle in Failed: the Ready condition says which step failed and why. */
export function fail(ctx: Ctx, reason: string, message: string): void {
  setPhase(ctx, 'Failed', message);
  condition(ctx, CONDITION.ready, 'False', reason, message);
}
