import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VibeEnvironmentSchedule } from '../../operator/src/api/vibe-environment-schedule.js';
import type { VibeEnvironment } from '../../operator/src/api/vibe-environment.js';
import type { KubeClient } from '../../operator/src/reconciler/kube-client.js';
import {
  createNamespace,
  deleteNamespace,
  environmentsPath,
  installCrds,
  testClient,
  waitFor,
  waitForPhase,
} from '../support/kube.js';
import { OperatorProcess } from '../support/operator-process.js';

const MINUTE = 60_000;

/**
 * The whole operator on the real clock: the schedule controller starts a run
 * each minute, the environment controller builds it, and the history limit
 * removes the older one once the newer is Ready.
 */
describe('a schedule under `vibe operator`', () => {
  let client: KubeClient;
  let ns: string;
  let operator: OperatorProcess;
  const schedulePath = () => `/apis/vibe.dev/v1alpha1/namespaces/${ns}/vibeenvironmentschedules/minutely`;
  const runs = async () => {
    const list = await client.request<{ items: VibeEnvironment[] }>({
      method: 'GET',
      path: environmentsPath(ns),
      query: { labelSelector: 'vibe.dev/schedule=minutely' },
    });
    return list.items;
  };
  const names = async () => (await runs()).map((e) => e.metadata.name).sort();

  beforeAll(async () => {
    client = testClient();
    await installCrds(client);
    ns = await createNamespace(client, 'schedule-op');
    operator = await OperatorProcess.start(['--namespace', ns, '--planner', 'static']);
    await operator.ready();
  });

  afterAll(async () => {
    await operator?.stop();
    if (ns) await deleteNamespace(client, ns);
    client?.close();
  });

  it('builds a run each minute and keeps only the newest Ready one', { timeout: 240_000 }, async () => {
    await client.request({
      method: 'POST',
      path: `/apis/vibe.dev/v1alpha1/namespaces/${ns}/vibeenvironmentschedules`,
      body: {
        apiVersion: 'vibe.dev/v1alpha1',
        kind: 'VibeEnvironmentSchedule',
        metadata: { name: 'minutely' },
        spec: {
          schedule: '* * * * *',
          timeZone: 'UTC',
          concurrencyPolicy: 'Forbid',
          successfulHistoryLimit: 1,
          template: { spec: { intent: 'a scheduled web app', ttl: '1h' } },
        },
      },
    });
    const first = await waitFor('the first run', async () => (await names())[0], 75_000, 500);
    await waitForPhase(client, ns, first, 'Ready');
    const second = await waitFor(
      'the second run',
      async () => (await names()).find((name) => name !== first),
      75_000,
      500,
    );
    expect(Number(second.split('-').at(-1)) - Number(first.split('-').at(-1))).toBe(1);
    await waitForPhase(client, ns, second, 'Ready');
    // Pruning deletes the run; its teardown then waits for the namespace, at the shared cluster's pace.
    await waitFor(
      'the first run to be pruned',
      async () => {
        const env = (await runs()).find((e) => e.metadata.name === first);
        return !env || env.metadata.deletionTimestamp !== undefined;
      },
      30_000,
      500,
    );
    expect((await runs()).filter((e) => !e.metadata.deletionTimestamp).map((e) => e.metadata.name)).toEqual([
      second,
    ]);

    const schedule = await client.request<VibeEnvironmentSchedule>({ method: 'GET', path: schedulePath() });
    const secondTime = new Date(Number(second.split('-').at(-1)) * MINUTE).toISOString().replace('.000', '');
    expect(schedule.status?.lastSuccessfulTime).toBe(secondTime);
    expect(await operator.metric('controller_runtime_reconcile_errors_total')).toBe(0);
    expect(
      await operator.metric('vibe_handler_errors_total', { controller: 'vibeenvironmentschedule' }),
    ).toBe(0);
  });
});
