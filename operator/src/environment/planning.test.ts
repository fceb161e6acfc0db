import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { parseVibeEnvironmentSpec, type VibeEnvironment } from '../api/vibe-environment.js';
import { SandboxSetupError } from '../sandbox/errors.js';
import type { LifecycleDeps } from './deps.js';
import { ensurePlan, SANDBOX_RETRY_MS } from './planning.js';
import type { Ctx } from './status.js';

function planningCtx() {
  const events: Array<[string, string, string]> = [];
  const requeues: number[] = [];
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
  } as unknown as Ctx;
  return { ctx, events, requeues };
}

describe('ensurePlan', () => {
  it('keeps Planning, says SandboxUnavailable and retries later when the sandbox cannot be set up', async () => {
    const { ctx, events, requeues } = planningCtx();
    const deps = {
      planner: {
        id: 'agent/offline',
        plan: () =>
          Promise.reject(new SandboxSetupError('VIBE_SANDBOX_POD_FORBIDDEN', 'grant the sandbox Role.')),
      },
      store: { plan: () => Promise.resolve(undefined) },
      runtime: { isolate: () => Promise.resolve() },
    } as unknown as LifecycleDeps;

    expect(await ensurePlan(ctx, deps, 'vibe-team-a-web')).toBeUndefined();
    expect(ctx.status.phase).toBe('Planning');
    expect(ctx.status.conditions).toContainEqual(
      expect.objectContaining({ type: 'Planned', status: 'Unknown', reason: 'SandboxUnavailable' }),
    );
    expect(ctx.status.message).toContain('VIBE_SANDBOX_POD_FORBIDDEN');
    expect(events).toEqual([['Warning', 'SandboxUnavailable', ctx.status.message]]);
    expect(requeues).toEqual([SANDBOX_RETRY_MS]);
  });
});
