import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeClient } from '../../operator/src/reconciler/kube-client.js';
import {
  createEnvironment,
  createNamespace,
  deleteNamespace,
  installCrds,
  testClient,
  waitFor,
  waitForPhase,
} from '../support/kube.js';
import { OperatorProcess } from '../support/operator-process.js';

/** With nothing changing, the operator must not write to the API server at all. */
describe('a quiet minute', () => {
  let client: KubeClient;
  let ns: string;
  let operator: OperatorProcess;

  beforeAll(async () => {
    client = testClient();
    await installCrds(client);
    ns = await createNamespace(client, 'quiet');
    operator = await OperatorProcess.start(['--namespace', ns, '--planner', 'static']);
    await operator.ready();
  });

  afterAll(async () => {
    await operator?.stop();
    if (ns) await deleteNamespace(client, ns);
    client?.close();
  });

  it(
    'makes zero write requests over 60 s once every environment is Ready',
    { timeout: 180_000 },
    async () => {
      for (const name of ['q1', 'q2', 'q3'])
        await createEnvironment(client, ns, name, { intent: name, ttl: '1h' });
      for (const name of ['q1', 'q2', 'q3']) await waitForPhase(client, ns, name, 'Ready');
      let settled = -1;
      await waitFor(
        'the writes to settle',
        async () => {
          const now = await operator.writes();
          const same = now === settled;
          settled = now;
          return same;
        },
        30_000,
        2_000,
      );
      expect(settled).toBeGreaterThan(0);
      const reconcilesBefore = await operator.metric('controller_runtime_reconcile_total');
      await new Promise((r) => setTimeout(r, 60_000));
      expect(await operator.writes()).toBe(settled);
      expect(await operator.metric('workqueue_depth')).toBe(0);
      expect(await operator.metric('controller_runtime_reconcile_errors_total')).toBe(0);
      // Reconciles may happen (TTL requeues) but read only the cache.
      expect(await operator.metric('controller_runtime_reconcile_total')).toBeGreaterThanOrEqual(
        reconcilesBefore,
      );
    },
  );
});
