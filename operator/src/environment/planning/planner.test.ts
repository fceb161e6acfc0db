import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseVibeEnvironmentSpec } from '../../api/vibe-environment.js';
import { PlannerModuleError, StaticPlanner, loadPlannerModule } from './planner.js';
import { temporaryDirectory } from '../../../../test/support/temp-dir.js';

describe('planners', () => {
  it('the static planner plans one ConfigMap holding the intent', async () => {
    const plan = await new StaticPlanner().plan({
      environment: 'ns/e',
      intent: 'hello',
      targetNamespace: 't',
      object: {
        apiVersion: 'vibe.dev/v1alpha1',
        kind: 'VibeEnvironment',
        metadata: { name: 'e', namespace: 'ns' },
        spec: parseVibeEnvironmentSpec({ intent: 'hello' }),
      },
      inputs: 'abc',
      maxAttempts: 1,
      maxTokens: 1000,
    });
    expect(plan.manifests).toEqual([
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'intent' },
        data: { intent: 'hello', environment: 'ns/e' },
      },
    ]);
  });

  it('loads a planner module and explains what a bad one lacks', async () => {
    const dir = temporaryDirectory('vibe-planner-');
    const good = path.join(dir, 'good.mjs');
    writeFileSync(
      good,
      "export function createPlanner() { return { id: 'x/v1', plan: async () => ({ manifests: [] }) }; }\n",
    );
    const bad = path.join(dir, 'bad.mjs');
    writeFileSync(bad, 'export const nothing = 1;\n');
    expect((await loadPlannerModule(good)).id).toBe('x/v1');
    const err = await loadPlannerModule(bad).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PlannerModuleError);
    expect((err as PlannerModuleError).code).toBe('VIBE_PLANNER_MODULE_INVALID');
    expect((err as Error).message).toContain('has no createPlanner export');
    await expect(loadPlannerModule(path.join(dir, 'missing.mjs'))).rejects.toThrow(/could not be loaded/);
  });
});
