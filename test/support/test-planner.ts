/**
 * A planner for tests that need to see inside planning. Each call is recorded
 * as a ConfigMap (planner-started-*, planner-completed-*) in
 * VIBE_TEST_PLANNER_NAMESPACE, with a sleep of VIBE_TEST_PLANNER_DELAY_MS in
 * between so a test can kill the operator mid-plan. An intent containing
 * "throw-non-error" makes the first call throw a plain object.
 */
import type { Planner } from '../../operator/src/environment/index.js';
import { sleep } from '../../operator/src/reconciler/backoff.js';
import { testClient } from './kube.js';

export function createPlanner(): Planner {
  const client = testClient();
  const namespace = process.env.VIBE_TEST_PLANNER_NAMESPACE ?? 'default';
  const delayMs = Number(process.env.VIBE_TEST_PLANNER_DELAY_MS ?? '0');
  const thrown = new Set<string>();
  const record = (what: string, environment: string) =>
    client.request({
      method: 'POST',
      path: `/api/v1/namespaces/${namespace}/configmaps`,
      body: {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { generateName: `planner-${what}-`, labels: { 'vibe.dev/planner-call': what } },
        data: { environment },
      },
    });
  return {
    id: 'test/v1',
    async plan(input, signal) {
      await record('started', input.environment);
      if (input.intent.includes('throw-non-error') && !thrown.has(input.environment)) {
        thrown.add(input.environment);
        throw { not: 'an Error', environment: input.environment };
      }
      await sleep(delayMs, signal);
      if (signal.aborted) throw new Error('planning was aborted');
      await record('completed', input.environment);
      return {
        manifests: [
          {
            apiVersion: 'v1',
            kind: 'ConfigMap',
            metadata: { name: 'effect' },
            data: { intent: input.intent },
          },
        ],
      };
    },
  };
}
