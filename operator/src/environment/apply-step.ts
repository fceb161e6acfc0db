import { keyOf } from '../reconciler/resource.js';
import { type StoredPlan, uncheckedPlanError } from './planning/index.js';
import type { LifecycleDeps } from './deps.js';
import type { ObjectRef } from './objects.js';
import { CONDITION, condition, fail, setPhase, type Ctx } from './status.js';
import { planInputs, plannedThisPass } from './plan-step.js';
import type { NamespaceIsolation } from './isolation-step.js';
import { previewUrl } from './preview/index.js';
import { leaveActivator } from './sleep-step.js';

/**
 * Applies the plan into the isolated namespace; the rollout is watched from here on. Returns false,
 * with the environment Failed, when the plan is not the one the checks passed. A plan stored in an
 * earlier pass is held against its attempt record; one planned in this pass is the checks' own.
 * The namespace is isolated first, unless planning did so in this pass.
 */
export async function applyStep(
  ctx: Ctx,
  deps: LifecycleDeps,
  isolation: NamespaceIsolation,
  plan: StoredPlan,
): Promise<boolean> {
  const { namespace } = isolation;
  const record = plannedThisPass(plan)
    ? undefined
    : (await deps.store.attempts(ctx.object, plan.inputs)).find((a) => a.attempt === plan.attempt);
  const unchecked = uncheckedPlanError(plan, record);
  if (unchecked) {
    const message = `${unchecked.code}: ${unchecked.message}`;
    condition(ctx, CONDITION.applied, 'False', 'UncheckedPlan', message);
    fail(ctx, 'UncheckedPlan', message);
    await ctx.event('Warning', 'UncheckedPlan', message);
    return false;
  }
  await isolation.isolated();
  const { applied, pruned } = await deps.runtime.apply(namespace, plan.manifests, { signal: ctx.signal });
  const message =
    `Applied plan ${plan.hash}: ${applied.length} objects into namespace ${namespace}` +
    (pruned.length ? `, pruned ${pruned.map(refName).join(', ')}.` : '.');
  condition(ctx, CONDITION.applied, 'True', 'Applied', message);
  await ctx.event('Normal', 'Applied', message);
  setPhase(ctx, 'Progressing', 'Waiting for the workloads to roll out.');
  return true;
}

/**
 * Checks the rollout, woken by changes of its workloads (deps.rollouts) and polled as a fallback
 * for what no workload status shows. Ready sets the preview URL; runtime failures
 * (ImagePullBackOff, CrashLoopBackOff, unschedulable, ...) are stored on the
 * applied attempt and the plan is dropped, so the next reconcile asks the
 * agent for a fix with them as its diagnostics, within the attempt budget.
 */
export async function rolloutStep(ctx: Ctx, deps: LifecycleDeps, namespace: string, plan: StoredPlan) {
  // Followed before the check: a workload that changes while it runs still wakes this environment.
  deps.rollouts?.follow(namespace, keyOf(ctx.object.metadata));
  const rollout = await deps.runtime.rollout(namespace, refsOf(plan, namespace));
  if (!rollout.ready && rollout.failures.length === 0) {
    const message = `Waiting for the rollout: ${rollout.progress.join('; ') || rollout.pending.join(', ')}.`;
    setPhase(ctx, 'Progressing', message);
    ctx.requeueAfter(deps.settings.rolloutPollMs);
    return;
  }
  deps.rollouts?.forget(namespace);
  if (rollout.ready) {
    const url = plan.previewHost ? previewUrl(plan.previewHost, deps.settings.preview) : undefined;
    if (url) ctx.status.previewUrl = url;
    if (ctx.status.phase === 'Ready') return;
    await leaveActivator(ctx, deps, namespace);
    const where = url ? ` at ${url}` : '';
    setPhase(ctx, 'Ready', `The environment is ready${where}.`);
    condition(ctx, CONDITION.ready, 'True', 'RolledOut', `Every workload rolled out${where}.`);
    // Written now, beside its Event, not after it: whoever waits on the phase (kubectl wait, vibe
    // create --wait) sees Ready one round trip sooner.
    await Promise.all([ctx.writeStatus(), ctx.event('Normal', 'Ready', `The environment is ready${where}.`)]);
    return;
  }
  const first = rollout.failures[0]!;
  const summary = `${first.object ? `${first.object}: ` : ''}${first.message}`;
  const attempts = ctx.status.attempts ?? plan.attempt;
  const budget = ctx.object.spec.budget.maxAttempts;
  const inputs = planInputs(ctx, deps);
  const record = (await deps.store.attempts(ctx.object, inputs)).find((a) => a.attempt === plan.attempt);
  if (record) await deps.store.saveAttempt(ctx.object, inputs, { ...record, runtime: rollout.failures });
  if (!record || attempts >= budget) {
    const why = record
      ? `the budget of ${budget} attempts is spent`
      : 'this planner keeps no attempts to revise';
    const message = `The rollout failed and ${why}: ${summary}`;
    condition(ctx, CONDITION.applied, 'False', 'RolloutFailed', message);
    fail(ctx, 'RolloutFailed', message);
    await ctx.event('Warning', 'RolloutFailed', message);
    return;
  }
  await deps.store.dropPlan(ctx.object);
  const message = `The rollout failed (${summary}); asking the agent for a fix (attempt ${attempts + 1} of ${budget}).`;
  condition(ctx, CONDITION.ready, 'False', 'RolloutFailed', message);
  condition(ctx, CONDITION.planned, 'Unknown', 'Replanning', message);
  await ctx.event('Warning', 'RolloutFailed', message);
  setPhase(ctx, 'Planning', message);
  ctx.requeueAfter(0);
}

function refsOf(plan: StoredPlan, namespace: string): ObjectRef[] {
  return plan.manifests.map((m) => ({
    apiVersion: m.apiVersion,
    kind: m.kind,
    name: m.metadata.name,
    namespace,
  }));
}

function refName(ref: ObjectRef): string {
  return `${ref.kind}/${ref.name}`;
}
