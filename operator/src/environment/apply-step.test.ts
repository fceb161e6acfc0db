import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { parseVibeEnvironmentSpec, type VibeEnvironment } from '../api/vibe-environment.js';
import { rolloutStep } from './apply-step.js';
import type { LifecycleDeps } from './deps.js';
import type { StoredPlan } from './planning/index.js';
import type { Ctx } from './status.js';

describe('rolloutStep', () => {
  it('writes phase Ready beside the Ready event, not after it', async () => {
    const steps: string[] = [];
    let eventSent!: () => void;
    const object: VibeEnvironment = {
      apiVersion: 'vibe.dev/v1alpha1',
      kind: 'VibeEnvironment',
      metadata: { name: 'web', namespace: 'team-a', uid: 'u1', generation: 1 },
      spec: parseVibeEnvironmentSpec({ intent: 'nginx on port 80' }),
    };
    const ctx = {
      object,
      signal: new AbortController().signal,
      logger: pino({ level: 'silent' }),
      status: { phase: 'Progressing' },
      event: (_type: string, reason: string) => {
        steps.push(`event ${reason} sent`);
        return new Promise<void>((resolve) => (eventSent = resolve));
      },
      requeueAfter: () => undefined,
      writeStatus: async () => void steps.push(`status ${String(ctx.status.phase)} written`),
    } as unknown as Ctx;
    const deps = {
      runtime: { rollout: async () => ({ ready: true, pending: [], progress: [], failures: [] }) },
      settings: { preview: {} },
    } as unknown as LifecycleDeps;
    const plan = { hash: 'h', inputs: 'i', attempt: 1, script: '', manifests: [] } as unknown as StoredPlan;

    const step = rolloutStep(ctx, deps, 'vibe-team-a-web', plan);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(steps).toEqual(['status Ready written', 'event Ready sent']);
    eventSent();
    await step;
    expect(ctx.status.phase).toBe('Ready');
  });
});
