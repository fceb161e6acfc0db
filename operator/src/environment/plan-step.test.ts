import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { AuthorUnavailableError } from '../agent/script-author.js';
import { parseVibeEnvironmentSpec, type VibeEnvironment } from '../api/vibe-environment.js';
import { SandboxSetupError } from '../sandbox/errors.js';
import type { LifecycleDeps } from './deps.js';
import { CODE } from '../errors/index.js';
import { PlanFailedError } from './planning/index.js';
import { ensurePlan, failureReason, PLANNER_RETRY_MS } from './plan-step.js';
import type { Ctx } from './status.js';

const failed = (code: string, gate?: string, refused = false) =>
  new PlanFailedError(code, 'm', refused, 1, undefined, gate);

describe('the reason a failed plan gives', () => {
  it('names the spent token budget before the gate the last attempt failed at', () => {
    expect(failureReason(failed(CODE.VIBE_AGENT_TOKEN_BUDGET_EXHAUSTED, 'policy'))).toBe('BudgetExhausted');
    expect(failureReason(failed(CODE.VIBE_AGENT_TOKEN_BUDGET_EXHAUSTED, 'author'))).toBe('BudgetExhausted');
  });

  it('names refusals, gates and a stuck agent', () => {
    expect(failureReason(failed('VIBE_PLAN_REFUSED', 'author', true))).toBe('IntentRefused');
    expect(failureReason(failed('VIBE_POLICY', 'policy'))).toBe('PolicyViolation');
    expect(failureReason(failed('VIBE_DRY_RUN', 'dry-run'))).toBe('DryRunRefused');
    expect(failureReason(failed('VIBE_AGENT_STUCK', 'typecheck'))).toBe('AgentStuck');
    expect(failureReason(failed('VIBE_AGENT_BUDGET_EXHAUSTED', 'sandbox'))).toBe('PlanFailed');
  });
});

function planningCtx() {
  const events: Array<[string, string, string]> = [];
  const requeues: number[] = [];
  const written: Array<Record<string, unknown>> = [];
  const object: VibeEnvironment = {
    apiVersion: 'vibe.dev/v1alpha1',
    kind: 'VibeEnvironment',
    metadata: { name: 'web', namespace: 'team-a', uid: 'u1', generation: 1 },
    spec: parseVibeEnvironmentSpec({ intent: 'nginx on port 80' }),
  };
  const ctx = {
    cause: 'reconcile',
    object,
    retry: 0,
    signal: new AbortController().signal,
    logger: pino({ level: 'silent' }),
    status: { phase: 'Planning' },
    event: async (type: string, reason: string, message: string) => void events.push([type, reason, message]),
    requeueAfter: (ms: number) => void requeues.push(ms),
    writeStatus: async () => void written.push(structuredClone(ctx.status)),
  } as unknown as Ctx;
  return { ctx, events, requeues, written };
}

describe('ensurePlan', () => {
  const waiting: Array<[string, Error, string]> = [
    [
      'SandboxUnavailable',
      new SandboxSetupError('VIBE_SANDBOX_POD_FORBIDDEN', 'grant the sandbox Role.'),
      'VIBE_SANDBOX_POD_FORBIDDEN',
    ],
    [
      'ModelUnavailable',
      new AuthorUnavailableError('VIBE_MODEL_ALL_PROVIDERS_FAILED', 'No model provider answered.'),
      'VIBE_MODEL_ALL_PROVIDERS_FAILED',
    ],
  ];
  it.each(waiting)(
    'keeps Planning, says %s and retries later, failing nothing',
    async (reason, error, code) => {
      const { ctx, events, requeues } = planningCtx();
      const deps = {
        planner: { id: 'agent/model', plan: () => Promise.reject(error) },
        store: { plan: () => Promise.resolve(undefined) },
        runtime: { createNamespace: () => Promise.resolve(), isolate: () => Promise.resolve() },
        client: { request: () => Promise.resolve({ items: [] }) },
        settings: {
          preview: { ingressClassName: 'vibe', hostTemplate: '{name}.test', previewDomain: 'test' },
        },
      } as unknown as LifecycleDeps;

      expect(await ensurePlan(ctx, deps, 'vibe-team-a-web')).toBeUndefined();
      expect(ctx.status.phase).toBe('Planning');
      expect(ctx.status.conditions).toContainEqual(
        expect.objectContaining({ type: 'Planned', status: 'Unknown', reason }),
      );
      expect(ctx.status.message).toContain(code);
      expect(events).toEqual([['Warning', reason, ctx.status.message]]);
      expect(requeues).toEqual([PLANNER_RETRY_MS]);
    },
  );
});

describe('ensurePlan and isolation', () => {
  const preview = { ingressClassName: 'vibe', hostTemplate: '{name}.test', previewDomain: 'test' };

  it('creates the namespace, then plans while the rest of isolation is applied', async () => {
    const { ctx } = planningCtx();
    const steps: string[] = [];
    let isolate!: () => void;
    const deps = {
      planner: {
        id: 'agent/offline',
        plan: async (input: { isolated?: Promise<void> }) => {
          steps.push('planner started');
          await input.isolated;
          steps.push('planner saw isolation');
          return { manifests: [], checkedSha256: 'sha', attempt: 1 };
        },
      },
      store: { plan: () => Promise.resolve(undefined), savePlan: async () => void steps.push('plan stored') },
      runtime: {
        createNamespace: async () => void steps.push('namespace'),
        isolate: () =>
          new Promise<void>((resolve) => {
            steps.push('isolation started');
            isolate = () => (steps.push('isolated'), resolve());
          }),
      },
      client: { request: () => Promise.resolve({ items: [] }) },
      settings: { preview },
    } as unknown as LifecycleDeps;

    const planning = ensurePlan(ctx, deps, 'vibe-team-a-web');
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(steps[0]).toBe('namespace');
    expect(steps.slice(1).sort()).toEqual(['isolation started', 'planner started']);
    isolate();
    expect(await planning).toMatchObject({ attempt: 1 });
    expect(steps.slice(3)).toEqual(['isolated', 'planner saw isolation', 'plan stored']);
    expect(ctx.status.namespace).toBe('vibe-team-a-web');
  });

  it('creates the namespace while Planning is announced, and none when the preview host is taken', async () => {
    const planned = (holders: VibeEnvironment[]) => {
      const { ctx, events } = planningCtx();
      ctx.status.phase = undefined;
      ctx.object.metadata.creationTimestamp = '2026-02-01T00:00:00Z';
      ctx.object.spec.preview = { ...ctx.object.spec.preview, enabled: true, host: 'web.test' };
      const steps: string[] = [];
      let statusWritten!: () => void;
      ctx.writeStatus = () => {
        steps.push('status sent');
        return new Promise<void>(
          (resolve) => (statusWritten = () => (steps.push('status written'), resolve())),
        );
      };
      const deps = {
        planner: {
          id: 'agent/offline',
          plan: async () => ({ manifests: [], checkedSha256: 'sha', attempt: 1 }),
        },
        store: { plan: () => Promise.resolve(undefined), savePlan: async () => undefined },
        runtime: {
          createNamespace: async () => void steps.push('namespace'),
          isolate: () => Promise.resolve(),
        },
        environments: { list: () => holders },
        settings: { preview },
      } as unknown as LifecycleDeps;
      return {
        planning: ensurePlan(ctx, deps, 'vibe-team-a-web'),
        steps,
        release: () => statusWritten(),
        events,
      };
    };

    const free = planned([]);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(free.steps).toEqual(['status sent', 'namespace']);
    free.release();
    expect(await free.planning).toMatchObject({ attempt: 1 });

    const holder: VibeEnvironment = {
      apiVersion: 'vibe.dev/v1alpha1',
      kind: 'VibeEnvironment',
      metadata: { name: 'other', namespace: 'team-b', uid: 'u0', creationTimestamp: '2026-01-01T00:00:00Z' },
      spec: parseVibeEnvironmentSpec({
        intent: 'nginx on port 80',
        preview: { enabled: true, host: 'web.test' },
      }),
    };
    const taken = planned([holder]);
    await new Promise((resolve) => setTimeout(resolve, 10));
    taken.release();
    expect(await taken.planning).toBeUndefined();
    expect(taken.steps).toEqual(['status sent', 'status written']);
    expect(taken.events.map(([, reason]) => reason)).toContain('PreviewHostTaken');
  });

  it('stops the planner when isolation fails, reports that failure and stores nothing', async () => {
    const { ctx, events } = planningCtx();
    const refused = new Error('roles.rbac.authorization.k8s.io "vibe-applier" is forbidden');
    let plannerSignal: AbortSignal | undefined;
    let stored = 0;
    const deps = {
      planner: {
        id: 'agent/model',
        plan: (_input: unknown, signal: AbortSignal) => {
          plannerSignal = signal;
          return new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason)));
        },
      },
      store: { plan: () => Promise.resolve(undefined), savePlan: async () => void stored++ },
      runtime: { createNamespace: () => Promise.resolve(), isolate: () => Promise.reject(refused) },
      client: { request: () => Promise.resolve({ items: [] }) },
      settings: { preview },
    } as unknown as LifecycleDeps;

    await expect(ensurePlan(ctx, deps, 'vibe-team-a-web')).rejects.toBe(refused);
    expect(plannerSignal?.aborted).toBe(true);
    expect(stored).toBe(0);
    expect(events).toEqual([]);
    expect(ctx.status.namespace).toBeUndefined();
  });

  it('announces Planning in status and an Event, then plans in the same pass', async () => {
    const { ctx, events, requeues, written } = planningCtx();
    ctx.status = {};
    const deps = {
      planner: {
        id: 'agent/offline',
        plan: async () => ({ manifests: [], checkedSha256: 'sha', attempt: 1 }),
      },
      store: { plan: () => Promise.resolve(undefined), savePlan: async () => undefined },
      runtime: { createNamespace: () => Promise.resolve(), isolate: () => Promise.resolve() },
      client: { request: () => Promise.resolve({ items: [] }) },
      settings: { preview },
    } as unknown as LifecycleDeps;

    expect(await ensurePlan(ctx, deps, 'vibe-team-a-web')).toMatchObject({ attempt: 1 });
    expect(written).toEqual([expect.objectContaining({ phase: 'Planning' })]);
    expect(events.map(([, reason]) => reason)).toEqual(['Planning', 'Planned']);
    expect(requeues).toEqual([]);
    expect(ctx.status.phase).toBe('Applying');
  });
});
