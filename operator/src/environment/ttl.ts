import { findCondition, rfc3339 } from '../api/condition.js';
import { API_VERSION } from '../api/group.js';
import { KIND } from '../api/vibe-environment.js';
import { deleteObject } from '../reconciler/apply.js';
import type { LifecycleDeps } from './deps.js';
import { ANNOTATION_EXTEND } from '../api/labels.js';
import { computeExpiry } from './expiry.js';
import { pausedMs } from './sleep/index.js';
import { CONDITION, condition, fail, setPhase, type Ctx } from './status.js';
import { teardownNamespace } from './teardown.js';

/** setTimeout cannot wait longer than about 24.8 days; recheck TTLs at least daily. */
const MAX_REQUEUE_MS = 24 * 3_600_000;
const TEARDOWN_POLL_MS = 2000;

/**
 * The TTL step, run first on every reconcile: sets expiresAt, warns once
 * before it, and at expiry tears the environment down. Returns true when the
 * lifecycle stops here (the TTL is invalid or the environment has expired).
 */
export async function enforceTtl(ctx: Ctx, deps: LifecycleDeps, namespace: string): Promise<boolean> {
  const now = deps.now();
  const expiry = computeExpiry(ctx.object, deps.settings.maxTtlMs, now);
  if (!expiry.ok) {
    fail(ctx, expiry.reason, expiry.message);
    return true;
  }
  const sleep = ctx.status.sleep;
  const since = ctx.status.phase === 'Sleeping' && sleep?.since ? Date.parse(sleep.since) : undefined;
  const endsAt =
    expiry.expiresAt + pausedMs(ctx.object.spec.sleep?.pauseTtl, sleep?.pausedSeconds, since, now);
  const expiresAt = rfc3339(new Date(endsAt));
  ctx.status.expiresAt = expiresAt;
  if (expiry.message) await ctx.event('Warning', 'ExtensionIgnored', expiry.message);
  if (now >= endsAt) {
    await expire(ctx, deps, namespace);
    return true;
  }
  if (ctx.status.phase === 'Expired' || ctx.status.phase === 'Terminating') {
    setPhase(ctx, 'Applying', `The TTL was extended to ${expiresAt}; recreating the environment.`);
    await ctx.event('Normal', 'Revived', `The TTL was extended to ${expiresAt}; recreating the environment.`);
  }
  const warnAt = endsAt - deps.settings.expiryWarningMs;
  const warned = findCondition(ctx.status.conditions, CONDITION.expiring);
  if (now >= warnAt) {
    if (warned?.status !== 'True' || !warned.message.includes(expiresAt)) {
      const message =
        `The environment expires at ${expiresAt} and will then be deleted; extend it with ` +
        `kubectl annotate vibeenvironment ${ctx.object.metadata.name} --overwrite ${ANNOTATION_EXTEND}=2h`;
      condition(ctx, CONDITION.expiring, 'True', 'ExpiringSoon', message);
      await ctx.event('Warning', 'ExpiringSoon', message);
    }
    ctx.requeueAfter(endsAt - now);
  } else {
    if (warned?.status === 'True') {
      condition(ctx, CONDITION.expiring, 'False', 'Extended', `The environment now expires at ${expiresAt}.`);
    }
    ctx.requeueAfter(Math.min(warnAt - now, MAX_REQUEUE_MS));
  }
  return false;
}

async function expire(ctx: Ctx, deps: LifecycleDeps, namespace: string): Promise<void> {
  const { spec, metadata } = ctx.object;
  if (ctx.status.phase !== 'Expired' && ctx.status.phase !== 'Terminating') {
    setPhase(ctx, 'Terminating', `The TTL of ${spec.ttl} ended; deleting namespace ${namespace}.`);
    delete ctx.status.previewUrl;
    condition(ctx, CONDITION.ready, 'False', 'Expired', `The TTL of ${spec.ttl} ended.`);
    await ctx.event('Normal', 'Expired', `The TTL of ${spec.ttl} ended; deleting namespace ${namespace}.`);
  }
  if (!(await teardownNamespace(ctx, deps, namespace))) {
    ctx.requeueAfter(TEARDOWN_POLL_MS);
    return;
  }
  if (spec.onExpiry === 'Delete') {
    await ctx.event('Normal', 'Deleting', `Namespace ${namespace} is gone; deleting the VibeEnvironment.`);
    await deleteObject(deps.client, deps.mapper, {
      apiVersion: API_VERSION,
      kind: KIND,
      name: metadata.name,
      namespace: metadata.namespace,
    });
    return;
  }
  if (ctx.status.phase !== 'Expired') {
    setPhase(
      ctx,
      'Expired',
      `The TTL of ${spec.ttl} ended; namespace ${namespace} was deleted and this record kept.`,
    );
    await ctx.event(
      'Normal',
      'Retained',
      `Namespace ${namespace} is gone; the record is kept (onExpiry: Retain).`,
    );
  }
}
