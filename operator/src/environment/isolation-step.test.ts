import { describe, expect, it } from 'vitest';
import { parseVibeEnvironmentSpec, type VibeEnvironment } from '../api/vibe-environment.js';
import { loadConfig } from '../config.js';
import { DEFAULT_POLICY } from '../policy/index.js';
import type { EnvironmentRuntime } from './cluster/index.js';
import type { LifecycleDeps } from './deps.js';
import { NamespaceIsolation } from './isolation-step.js';
import { planChecks } from './planning/index.js';
import { environmentSettings } from './settings.js';
import type { Ctx } from './status.js';

const env: VibeEnvironment = {
  apiVersion: 'vibe.dev/v1alpha1',
  kind: 'VibeEnvironment',
  metadata: { name: 'shop', namespace: 'team-a' },
  spec: parseVibeEnvironmentSpec({ intent: 'a shop' }),
};
const configMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' }, data: {} };

/** Records what it is asked to do; applies nothing. */
function recordingRuntime(): EnvironmentRuntime & {
  dryRuns: Array<{ dryRun?: boolean }>;
  calls: string[];
} {
  const dryRuns: Array<{ dryRun?: boolean }> = [];
  const calls: string[] = [];
  return {
    dryRuns,
    calls,
    createNamespace: async (_env, namespace) => void calls.push(`namespace ${namespace}`),
    isolate: async (_env, namespace) => void calls.push(`isolate ${namespace}`),
    rollout: async () => ({ ready: true, pending: [], progress: [], failures: [] }),
    async apply(_namespace, _manifests, options) {
      dryRuns.push({ dryRun: options.dryRun });
      return { applied: [], pruned: [] };
    },
  };
}

describe('the dry-run gate of the planning checks', () => {
  it('sends nothing into the namespace before its isolation is complete', async () => {
    const settings = environmentSettings(await loadConfig([]), undefined, DEFAULT_POLICY);
    const runtime = recordingRuntime();
    let isolate!: () => void;
    const isolated = new Promise<void>((resolve) => (isolate = resolve));
    const checks = planChecks({ policy: DEFAULT_POLICY, settings, runtime })(
      env,
      'vibe-team-a-shop',
      new AbortController().signal,
      isolated,
    );
    const verdict = checks.dryRun!([configMap]);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(runtime.dryRuns).toHaveLength(0);
    isolate();
    expect(await verdict).toEqual([]);
    expect(runtime.dryRuns).toEqual([{ dryRun: true }]);
  });

  it('dry-runs at once when no isolation runs before it (the CLI)', async () => {
    const settings = environmentSettings(await loadConfig([]), undefined, DEFAULT_POLICY);
    const runtime = recordingRuntime();
    const checks = planChecks({ policy: DEFAULT_POLICY, settings, runtime })(
      env,
      'vibe-team-a-shop',
      new AbortController().signal,
    );
    expect(await checks.dryRun!([configMap])).toEqual([]);
    expect(runtime.dryRuns).toEqual([{ dryRun: true }]);
  });

  it('refuses to dry-run when isolation failed', async () => {
    const settings = environmentSettings(await loadConfig([]), undefined, DEFAULT_POLICY);
    const runtime = recordingRuntime();
    const refused = new Error('the namespace could not be isolated');
    const isolated = Promise.reject(refused);
    const checks = planChecks({ policy: DEFAULT_POLICY, settings, runtime })(
      env,
      'vibe-team-a-shop',
      new AbortController().signal,
      isolated,
    );
    await expect(checks.dryRun!([configMap])).rejects.toBe(refused);
    expect(runtime.dryRuns).toHaveLength(0);
  });
});

describe('NamespaceIsolation', () => {
  it('creates and isolates the namespace once in a pass, whichever step asks', async () => {
    const runtime = recordingRuntime();
    const ctx = { object: env, status: {}, signal: new AbortController().signal } as unknown as Ctx;
    const isolation = new NamespaceIsolation(
      ctx,
      { runtime } as unknown as LifecycleDeps,
      'vibe-team-a-shop',
    );
    await isolation.namespaceCreated();
    await Promise.all([isolation.isolated(), isolation.isolated()]);
    await isolation.isolated();
    expect(runtime.calls).toEqual(['namespace vibe-team-a-shop', 'isolate vibe-team-a-shop']);
    expect(ctx.status.namespace).toBe('vibe-team-a-shop');
  });
});
