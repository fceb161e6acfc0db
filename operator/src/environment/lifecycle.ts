import { findCondition } from '../api/condition.js';
import { approvalOf } from './approval.js';
import type { StoredPlan } from './planning/index.js';
import { applyStep, rolloutStep } from './apply-step.js';
import type { LifecycleDeps } from './deps.js';
import { environmentNamespace } from './naming.js';
import { ensurePlan } from './plan-step.js';
import { NamespaceIsolation } from './isolation-step.js';
import { sleepStep } from './sleep-step.js';
import { CONDITION, condition, setPhase, type Ctx } from './status.js';
import { enforceTtl } from './ttl.js';

/**
 * One level-triggered pass over an environment: read what is stored (status,
 * plan, attempts) and take the next step of
 *   Planning -> AwaitingApproval -> Applying -> Progressing -> Ready (<-> Sleeping) -> Expired
 * with the TTL checked first and sleep second. Each step writes its phase and conditions; a
 * step that must wait asks to be reconciled again instead of blocking.
 */
export async function reconcileEnvironment(ctx: Ctx, deps: LifecycleDeps): Promise<void> {
  const namespace = targetNamespace(ctx, deps);
  if (await enforceTtl(ctx, deps, namespace)) return;
  if (ctx.status.phase === 'Failed' && failedThisGeneration(ctx)) return;
  if (await sleepStep(ctx, deps, namespace)) return;
  // Planning and applying isolate the namespace once between them in a pass.
  const isolation = new NamespaceIsolation(ctx, deps, namespace);
  const plan = await ensurePlan(ctx, deps, namespace, isolation);
  if (!plan) return;
  if (!(await approved(ctx, plan))) return;
  switch (ctx.status.phase) {
    case 'Progressing':
    case 'Ready':
      return rolloutStep(ctx, deps, namespace, plan);
    default:
      if (await applyStep(ctx, deps, isolation, plan)) await rolloutStep(ctx, deps, namespace, plan);
  }
}

export function targetNamespace(ctx: Ctx, deps: LifecycleDeps): string {
  const { metadata } = ctx.object;
  return environmentNamespace(deps.settings.namespacePrefix, metadata.namespace ?? 'default', metadata.name);
}

/** A failure stands until the spec changes; a new generation tries again (replaying stored attempts). */
function failedThisGeneration(ctx: Ctx): boolean {
  const ready = findCondition(ctx.status.conditions, CONDITION.ready);
  return ready?.status === 'False' && ready.observedGeneration === (ctx.object.metadata.generation ?? 0);
}

async function approved(ctx: Ctx, plan: StoredPlan): Promise<boolean> {
  const approval = approvalOf(ctx.object, plan.hash);
  if (approval.state === 'approved') {
    if (ctx.status.phase === 'AwaitingApproval') {
      condition(ctx, CONDITION.approved, 'True', 'Approved', `Plan ${plan.hash} was approved.`);
      await ctx.event('Normal', 'Approved', `Plan ${plan.hash} was approved; applying it.`);
      setPhase(ctx, 'Applying', 'Applying the approved plan.');
    }
    return true;
  }
  const reason = approval.state === 'stale' ? 'StaleApproval' : 'AwaitingApproval';
  const known = findCondition(ctx.status.conditions, CONDITION.approved);
  if (known?.reason !== reason || known.message !== approval.message) {
    condition(ctx, CONDITION.approved, 'False', reason, approval.message);
    await ctx.event(approval.state === 'stale' ? 'Warning' : 'Normal', reason, approval.message);
  }
  setPhase(ctx, 'AwaitingApproval', approval.message);
  return false;
}
