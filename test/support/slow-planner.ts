/**
 * A planner for the crash test: it records each call's start and end as
 * ConfigMaps in VIBE_TEST_PLANNER_NAMESPACE and sleeps VIBE_TEST_PLANNER_DELAY_MS
 * in between, so a test can kill the operator mid-plan and count afterwards
 * how often planning started and how often it completed.
 */
import type { Planner } from '../../operator/src/environment/planner.js';
import { sleep } from '../../operator/src/reconciler/backoff.js';
import { testClient } from './kube.js';

export function createPlanner(): Planner {
  const client = testClient();
  const namespace = process.env.VIBE_TEST_PLANNER_NAMESPACE ?? 'default';
  const delayMs = Number(process.env.VIBE_TEST_PLANNER_DELAY_MS ?? '5000');
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
    id: 'slow-test/v1',
    async plan(input, signal) {
      await record('started', input.environment);
      await sleep(delayMs, signal);
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
