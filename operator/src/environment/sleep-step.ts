import { findCondition, rfc3339 } from '../api/condition.js';
import { parseDuration } from '../api/duration.js';
import { ANNOTATION_SLEEP, ANNOTATION_WAKE } from '../api/labels.js';
import { keyOf } from '../reconciler/resource.js';
import type { LifecycleDeps } from './deps.js';
import type { StoredPlan } from './planning/index.js';
import {
  activatorRoutes,
  decideSleep,
  putActivatorRoutes,
  removeActivatorRoutes,
  restoreReplicas,
  scalableWorkloads,
  scaleToZero,
  SleepSpecError,
  windowTimes,
  type SleepDecision,
} from './sleep/index.js';
import { CONDITION, condition, setPhase, type Ctx } from './status.js';

/** Requests are stored in status to the minute: at most one status write a minute for traffic. */
const LAST_REQUEST_RESOLUTION_MS = 60_000;

/**
 * The sleep step, run after the TTL and before planning (ADR 0096). Puts a Ready environment to
 * sleep (its workloads scaled to zero, phase Sleeping) and wakes a sleeping one (replicas restored,
 * phase Progressing, the rollout step takes it to Ready). Returns true while the environment sleeps:
 * the lifecycle stops here, so a sleeping environment is never planned again, also after a restart.
 */
export async function sleepStep(ctx: Ctx, deps: LifecycleDeps, namespace: string): Promise<boolean> {
  const sleeping = ctx.status.phase === 'Sleeping';
  const { spec, metadata } = ctx.object;
  const annotations = metadata.annotations ?? {};
  if (!sleeping && !spec.sleep && annotations[ANNOTATION_SLEEP] === undefined) return false;
  recordLastRequest(ctx, deps);
  const decision = decide(ctx, deps, sleeping);
  if (!decision) return sleeping;
  if (decision.recheckAt !== undefined) ctx.requeueAfter(Math.max(decision.recheckAt - deps.now(), 1000));
  if (decision.asleep && sleeping) {
    // Level-triggered like the rest: routes lost (deleted, or the activator configured since) come back.
    if (deps.settings.activator)
      await routeToActivator(ctx, deps, namespace, await deps.store.plan(ctx.object));
    return true;
  }
  if (decision.asleep) {
    if (ctx.status.phase !== 'Ready') return false;
    await fallAsleep(ctx, deps, namespace, decision);
    return true;
  }
  if (sleeping) await wake(ctx, deps, namespace);
  return false;
}

function decide(ctx: Ctx, deps: LifecycleDeps, sleeping: boolean): SleepDecision | undefined {
  const { spec, metadata } = ctx.object;
  const now = deps.now();
  try {
    const afterIdleMs = spec.sleep?.afterIdle ? afterIdle(spec.sleep.afterIdle) : undefined;
    if (afterIdleMs !== undefined && !deps.activity) {
      // Idle is measured from requests; an operator that sees none would sleep environments in use.
      throw new SleepSpecError(
        'VIBE_SLEEP_IDLE_UNMEASURED',
        `spec.sleep.afterIdle "${spec.sleep?.afterIdle}" needs the requests to the preview, which this operator does not see ` +
          '(previews are served by an ingress controller whose request counters it does not read); use spec.sleep.schedule or vibe sleep, or run the operator with --preview-controller-metrics (or --preview-router).',
      );
    }
    const ready = findCondition(ctx.status.conditions, CONDITION.ready);
    const decision = decideSleep({
      now,
      afterIdleMs,
      sleepRequested: timeOf(metadata.annotations?.[ANNOTATION_SLEEP]),
      wakeRequested: timeOf(metadata.annotations?.[ANNOTATION_WAKE]),
      windows: windowTimes(spec.sleep, now, keyOf(metadata)),
      activity: [
        timeOf(ctx.status.sleep?.lastRequest),
        deps.activity?.lastRequest(keyOf(metadata)),
        // The operator's start keeps an awake environment awake for afterIdle (the requests before
        // it are unknown) but wakes no sleeping one.
        sleeping ? undefined : deps.activity?.startedAt,
        ready?.status === 'True' ? timeOf(ready.lastTransitionTime) : undefined,
        timeOf(metadata.creationTimestamp),
      ],
    });
    if (findCondition(ctx.status.conditions, CONDITION.sleepSpec)?.status === 'False') {
      condition(ctx, CONDITION.sleepSpec, 'True', 'Valid', 'spec.sleep is valid.');
    }
    return decision;
  } catch (err) {
    if (!(err instanceof SleepSpecError)) throw err;
    const message = `${err.code}: ${err.message}`;
    if (findCondition(ctx.status.conditions, CONDITION.sleepSpec)?.message !== message) {
      condition(ctx, CONDITION.sleepSpec, 'False', 'InvalidSleepSpec', message);
      void ctx.event('Warning', 'InvalidSleepSpec', message);
    }
    return undefined;
  }
}

function afterIdle(value: string): number {
  try {
    return parseDuration(value);
  } catch {
    throw new SleepSpecError(
      'VIBE_SLEEP_INVALID_AFTER_IDLE',
      `spec.sleep.afterIdle "${value}" is not a duration; write it like 30m, 4h or 1h30m.`,
    );
  }
}

/** Carries the activity the operator saw into status, so a restart keeps the idle timer. */
function recordLastRequest(ctx: Ctx, deps: LifecycleDeps): void {
  const seen = deps.activity?.lastRequest(keyOf(ctx.object.metadata));
  if (seen === undefined) return;
  const minute = Math.floor(seen / LAST_REQUEST_RESOLUTION_MS) * LAST_REQUEST_RESOLUTION_MS;
  const stored = timeOf(ctx.status.sleep?.lastRequest);
  if (stored !== undefined && stored >= minute) return;
  ctx.status.sleep = { ...ctx.status.sleep, lastRequest: rfc3339(new Date(minute)) };
}

async function fallAsleep(ctx: Ctx, deps: LifecycleDeps, namespace: string, decision: SleepDecision) {
  const plan = await deps.store.plan(ctx.object);
  const workloads = plan ? scalableWorkloads(plan.manifests) : [];
  const scaled = await scaleToZero(deps.client, namespace, workloads, ctx.signal);
  deps.rollouts?.forget(namespace);
  const routes = await routeToActivator(ctx, deps, namespace, plan);
  const since = rfc3339(new Date(deps.now()));
  const why = {
    Idle: `no request reached the preview for ${ctx.object.spec.sleep?.afterIdle ?? 'its idle time'}`,
    Schedule: 'a sleep window of spec.sleep.schedule began',
    Requested: 'vibe sleep asked for it',
  }[decision.reason ?? 'Requested'];
  const message =
    `Asleep since ${since}: ${why}; ${scaled.length} workloads scaled to zero, volumes kept. ` +
    `A request to the preview${routes > 0 ? ' (routed to the activator)' : ''} or vibe wake wakes it.`;
  ctx.status.sleep = { ...ctx.status.sleep, since, reason: decision.reason };
  setPhase(ctx, 'Sleeping', message);
  condition(ctx, CONDITION.ready, 'False', 'Sleeping', message);
  await ctx.event('Normal', 'Sleeping', message);
}

async function wake(ctx: Ctx, deps: LifecycleDeps, namespace: string) {
  const plan = await deps.store.plan(ctx.object);
  const workloads = plan ? scalableWorkloads(plan.manifests) : [];
  const restored = await restoreReplicas(deps.client, namespace, workloads, ctx.signal);
  const since = timeOf(ctx.status.sleep?.since);
  const slept = since !== undefined ? Math.max(0, Math.round((deps.now() - since) / 1000)) : 0;
  const { lastRequest, pausedSeconds } = ctx.status.sleep ?? {};
  ctx.status.sleep = { lastRequest, pausedSeconds: (pausedSeconds ?? 0) + slept };
  if (lastRequest === undefined) delete ctx.status.sleep.lastRequest;
  const message = `Waking up: ${restored.map((w) => `${w.kind}/${w.name} to ${w.replicas}`).join(', ') || 'no workloads'} after ${slept} s asleep.`;
  setPhase(ctx, 'Progressing', message);
  condition(ctx, CONDITION.ready, 'False', 'Waking', message);
  await ctx.event('Normal', 'Waking', message);
}

/**
 * Routes the sleeping environment's preview Ingresses to the activator, when the operator has one
 * for an ingress controller (ADR 0096); server-side apply, so repeating it changes nothing. Returns
 * how many objects route there.
 */
async function routeToActivator(
  ctx: Ctx,
  deps: LifecycleDeps,
  namespace: string,
  plan: StoredPlan | undefined,
): Promise<number> {
  const { activator } = deps.settings;
  if (!activator) return 0;
  const routes = plan ? activatorRoutes(plan.manifests, activator) : [];
  if (routes.length > 0)
    await putActivatorRoutes(deps.client, namespace, routes, deps.settings.fieldManager, ctx.signal);
  return routes.length;
}

/**
 * Takes the activator routes out of an environment that slept, as it becomes Ready: its previews go
 * to its own pods only again (ADR 0096). Called on the transition to Ready, so once per wake.
 */
export async function leaveActivator(ctx: Ctx, deps: LifecycleDeps, namespace: string): Promise<void> {
  if (!deps.settings.activator || ctx.status.sleep === undefined) return;
  await removeActivatorRoutes(deps.client, namespace, ctx.signal);
}

function timeOf(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const t = Date.parse(value);
  return Number.isNaN(t) ? undefined : t;
}
