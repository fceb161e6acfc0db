import { createHash } from 'node:crypto';
import { runChecks } from '../agent/checks.js';
import {
  type StoredPlan,
  planStatus,
  summarizePlan,
  PlanFailedError,
  type Plan,
  spendingOf,
  usageStatus,
} from './planning/index.js';
import type { LifecycleDeps } from './deps.js';
import { planHash } from './naming.js';
import { plannerOutage } from '../agent/outage.js';
import { CODE } from '../errors/index.js';
import type { Manifest } from './objects.js';
import { exposedHost, previewHostHolder } from './preview/index.js';
import { CONDITION, condition, fail, setPhase, type Ctx } from './status.js';
import { NamespaceIsolation } from './isolation-step.js';

/**
 * The hash of everything a plan depends on; only a change of it plans again.
 * The uid is part of it so an environment deleted and created again under the
 * same name never picks up its predecessor's plan before the garbage collector
 * removes it.
 */
export function planInputs(ctx: Ctx, deps: LifecycleDeps): string {
  return planHash({
    intent: ctx.object.spec.intent,
    plannerId: deps.planner.id,
    model: { ...ctx.object.spec.model, uid: ctx.object.metadata.uid },
  });
}

/**
 * The planning step: returns the stored plan for the current inputs, or plans
 * one. Planning is announced first (phase Planning written to status at once,
 * an Event), so `kubectl get` shows it while the agent works in the same pass.
 * Returns undefined while there is no usable plan. Planning isolates the
 * namespace (`isolation`, shared with the apply step of the same pass).
 */
export async function ensurePlan(
  ctx: Ctx,
  deps: LifecycleDeps,
  namespace: string,
  isolation = new NamespaceIsolation(ctx, deps, namespace),
): Promise<StoredPlan | undefined> {
  const inputs = planInputs(ctx, deps);
  // In phase Planning a stored plan is the exception (a restart after storing it): who holds the
  // preview host is asked at the same time instead of after.
  const holderAsked =
    ctx.status.phase === 'Planning'
      ? previewHostHolder(deps.environments ?? deps.client, ctx.object, deps.settings.preview)
      : undefined;
  // Settled here too, so an answer nobody reads (a stored plan was found) is not an unhandled rejection.
  void holderAsked?.catch(() => undefined);
  const stored = await deps.store.plan(ctx.object);
  if (stored && stored.inputs === inputs) {
    if (ctx.status.plan?.hash !== stored.hash || !ctx.status.phase || ctx.status.phase === 'Planning') {
      await restorePlanStatus(ctx, deps, stored);
    }
    return stored;
  }
  const announced = holderAsked ? undefined : announcePlanning(ctx, deps);
  const holding =
    holderAsked ?? previewHostHolder(deps.environments ?? deps.client, ctx.object, deps.settings.preview);
  // The namespace is created while Planning is announced, once the preview host is known to be free.
  const created = holding.then((holder) => (holder ? undefined : isolation.namespaceCreated()));
  const [holder] = await settledInOrder([holding, announced, created] as const);
  if (holder) {
    await planFailed(
      ctx,
      'PreviewHostTaken',
      `The preview host is already held by VibeEnvironment ${holder.metadata.namespace}/${holder.metadata.name}, ` +
        'created earlier; set spec.preview.host to a host of its own, or disable the preview.',
    );
    return undefined;
  }
  // The namespace first; the planner then runs while the rest of the isolation is applied. It asks
  // a model and writes into the namespace (the dry-run) only once isolation is complete, and an
  // isolation failure stops it (ADR 0099).
  const isolated = isolation.isolated();
  const isolationFailed = new AbortController();
  void isolated.catch((err: unknown) => isolationFailed.abort(err));
  const signal = AbortSignal.any([ctx.signal, isolationFailed.signal]);
  const { spec, metadata } = ctx.object;
  let result: Plan;
  let checked: { manifests: Manifest[]; checkedSha256: string };
  try {
    result = await deps.planner.plan(
      {
        environment: `${metadata.namespace}/${metadata.name}`,
        intent: spec.intent,
        targetNamespace: namespace,
        ...(spec.model ? { model: spec.model } : {}),
        object: ctx.object,
        inputs,
        maxAttempts: spec.budget.maxAttempts,
        maxTokens: spec.budget.maxTokens,
        isolated,
      },
      signal,
    );
    checked = await checkedManifests(ctx, deps, namespace, result, isolated, signal);
  } catch (err) {
    // When isolation failed, that is what stopped the planner, and the error to report.
    await isolated;
    const outage = plannerOutage(err);
    if (outage) {
      await waitForPlanner(ctx, outage.reason, outage.message);
      return undefined;
    }
    if (!(err instanceof PlanFailedError)) throw err;
    ctx.status.attempts = err.attempts;
    if (err.usage) ctx.status.usage = err.usage;
    await planFailed(ctx, failureReason(err), `Planning failed (${err.code}): ${err.message}`);
    return undefined;
  }
  await isolated;
  return storePlan(ctx, deps, inputs, result, checked);
}

/**
 * Awaits every promise, then throws the first rejection in the order given, so nothing sent is
 * left unawaited when one of them fails.
 */
async function settledInOrder<T extends readonly unknown[]>(
  promises: T,
): Promise<{ -readonly [K in keyof T]: Awaited<T[K]> }> {
  const settled = await Promise.allSettled(promises);
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) throw failed.reason;
  return settled.map((s) => (s as PromiseFulfilledResult<unknown>).value) as {
    -readonly [K in keyof T]: Awaited<T[K]>;
  };
}

/** The operator stopped between storing the plan and writing status: status, usage too, is read back. */
async function restorePlanStatus(ctx: Ctx, deps: LifecycleDeps, stored: StoredPlan): Promise<void> {
  const attempts = await deps.store.allAttempts(ctx.object);
  if (attempts.length) ctx.status.usage = usageStatus(spendingOf(attempts));
  recordPlan(ctx, stored);
  afterPlanning(ctx);
}

/** Shown while the agent works: the phase is written now, and planning goes on in this pass. */
function announcePlanning(ctx: Ctx, deps: LifecycleDeps): Promise<unknown> {
  setPhase(ctx, 'Planning', 'The agent is writing the environment program.');
  condition(ctx, CONDITION.planned, 'Unknown', 'Planning', 'The agent is writing the environment program.');
  return Promise.all([
    ctx.event('Normal', 'Planning', `Planning with ${deps.planner.id}.`),
    ctx.writeStatus(),
  ]);
}

/** Stores the plan the checks passed and records it in status and an event. */
async function storePlan(
  ctx: Ctx,
  deps: LifecycleDeps,
  inputs: string,
  result: Plan,
  { manifests, checkedSha256 }: { manifests: Manifest[]; checkedSha256: string },
): Promise<StoredPlan> {
  const host = exposedHost(manifests, ctx.object, deps.settings.preview);
  const plan: StoredPlan = {
    hash: createHash('sha256').update(inputs).update(JSON.stringify(manifests)).digest('hex').slice(0, 16),
    inputs,
    attempt: result.attempt ?? (ctx.status.attempts ?? 0) + 1,
    script: result.script ?? '',
    manifests,
    ...(host ? { previewHost: host } : {}),
    checkedSha256,
  };
  const summary = summarizePlan(manifests);
  // The Event goes out beside the record (recording one never fails the pass): one round trip, not two.
  await Promise.all([
    deps.store.savePlan(ctx.object, plan),
    ctx.event(
      'Normal',
      'Planned',
      `Plan ${plan.hash}: ${summary.objects} objects (${summary.kinds.join(', ')}) after ${plan.attempt} attempt(s).`,
    ),
  ]);
  ctx.status.attempts = plan.attempt;
  if (result.usage) ctx.status.usage = result.usage;
  recordPlan(ctx, plan);
  afterPlanning(ctx);
  checkedThisPass.add(plan);
  return plan;
}

/**
 * Plans made and checked in this very pass: the manifests in memory are the ones the checks
 * passed, so applying them needs no read-back of the attempt record the planner just wrote.
 */
const checkedThisPass = new WeakSet<StoredPlan>();

export function plannedThisPass(plan: StoredPlan): boolean {
  return checkedThisPass.has(plan);
}

/**
 * The plan's manifests as the checks passed them. The agent ran the checks on every attempt; any
 * other planner's output (built-in, a planner module) runs them here, once, so nothing reaches
 * the cluster unchecked whichever planner wrote it.
 */
async function checkedManifests(
  ctx: Ctx,
  deps: LifecycleDeps,
  namespace: string,
  result: Plan,
  isolated: Promise<void>,
  signal: AbortSignal,
): Promise<{ manifests: Manifest[]; checkedSha256: string }> {
  if (result.checkedSha256) return { manifests: result.manifests, checkedSha256: result.checkedSha256 };
  const checks = deps.checks(ctx.object, namespace, signal, isolated);
  const checked = await runChecks(checks, result.manifests);
  const first = checked.diagnostics[0];
  if (first || !checked.checkedSha256) {
    const where = [first?.object, first?.field].filter(Boolean).join(' ');
    throw new PlanFailedError(
      first?.code ?? 'VIBE_PLAN_UNCHECKED',
      `${where ? `${where}: ` : ''}${first?.message ?? 'the plan did not pass the checks.'}${first?.fix ? ` Fix: ${first.fix}` : ''}`,
      false,
      result.attempt ?? (ctx.status.attempts ?? 0) + 1,
      result.usage,
      first?.gate,
    );
  }
  return { manifests: checked.manifests as Manifest[], checkedSha256: checked.checkedSha256 };
}

/** Planning ended without a plan: the Planned condition, the phase Failed and a warning say why. */
async function planFailed(ctx: Ctx, reason: string, message: string): Promise<void> {
  condition(ctx, CONDITION.planned, 'False', reason, message);
  fail(ctx, reason, message);
  await ctx.event('Warning', reason, message);
}

/** How long planning waits after the sandbox could not be set up or no model answered, before it tries again. */
export const PLANNER_RETRY_MS = 30_000;

/**
 * The sandbox is misconfigured (no rights in its namespace, no such namespace) or no model answered
 * (every provider down, or the operator's key refused): no fault of the intent and nothing the
 * agent can fix, so nothing is stored as an attempt, the phase stays Planning and says why, and
 * planning tries again until the outage ends or whoever runs the operator fixes it.
 */
async function waitForPlanner(ctx: Ctx, reason: string, message: string): Promise<void> {
  setPhase(ctx, 'Planning', message);
  condition(ctx, CONDITION.planned, 'Unknown', reason, message);
  await ctx.event('Warning', reason, message);
  ctx.requeueAfter(PLANNER_RETRY_MS);
}

function recordPlan(ctx: Ctx, plan: StoredPlan): void {
  const summary = summarizePlan(plan.manifests);
  ctx.status.plan = planStatus(plan.hash, plan.manifests);
  condition(
    ctx,
    CONDITION.planned,
    'True',
    'Planned',
    `Plan ${plan.hash}: ${summary.objects} objects (${summary.kinds.join(', ')}), images ${summary.images.join(', ') || 'none'}.`,
  );
}

function afterPlanning(ctx: Ctx): void {
  if (ctx.object.spec.approval === 'Manual')
    setPhase(ctx, 'AwaitingApproval', 'The plan waits for approval.');
  else setPhase(ctx, 'Applying', 'Applying the plan.');
}

/** The condition reason for a failed plan: what a user reads first in `kubectl get -o wide`. */
export function failureReason(err: PlanFailedError): string {
  if (err.refused) return 'IntentRefused';
  if (err.code === CODE.VIBE_AGENT_TOKEN_BUDGET_EXHAUSTED) return 'BudgetExhausted';
  if (err.gate === 'policy') return 'PolicyViolation';
  if (err.gate === 'preview') return 'PreviewUnroutable';
  if (err.gate === 'dry-run') return 'DryRunRefused';
  if (err.code === CODE.VIBE_AGENT_STUCK) return 'AgentStuck';
  return 'PlanFailed';
}
