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

interface Lease {
  spec: { holderIdentity?: string; leaseTransitions?: number; leaseDurationSeconds?: number };
}

/** Two operator processes share one Lease: exactly one reconciles; the other takes over when it dies. */
describe('leader election', () => {
  let client: KubeClient;
  let ns: string;
  const operators: OperatorProcess[] = [];

  const lease = () =>
    client.request<Lease>({
      method: 'GET',
      path: `/apis/coordination.k8s.io/v1/namespaces/${ns}/leases/vibe-test`,
    });
  const leaders = async () => {
    const flags = await Promise.all(
      operators.filter((o) => o.exitCode === undefined).map((o) => o.metric('leader_election_master_status')),
    );
    return flags.filter((f) => f === 1).length;
  };

  beforeAll(async () => {
    client = testClient();
    await installCrds(client);
    ns = await createNamespace(client, 'leader');
    for (const id of ['a', 'b']) {
      operators.push(
        await OperatorProcess.start([
          '--namespace',
          ns,
          '--planner',
          'static',
          '--leader-elect',
          '--leader-election-namespace',
          ns,
          '--leader-election-id',
          'vibe-test',
          '--identity',
          `operator-${id}`,
        ]),
      );
    }
  });

  afterAll(async () => {
    for (const op of operators) await op.stop();
    if (ns) await deleteNamespace(client, ns);
    client?.close();
  });

  it('exactly one of two processes leads and only the leader reconciles', async () => {
    await waitFor('a leader', async () => (await leaders()) === 1);
    await new Promise((r) => setTimeout(r, 3000));
    expect(await leaders()).toBe(1);
    const holder = (await lease()).spec.holderIdentity;
    expect(['operator-a', 'operator-b']).toContain(holder);
    await createEnvironment(client, ns, 'first', { intent: 'x' });
    await waitForPhase(client, ns, 'first', 'Ready');
    const reconciles = await Promise.all(
      operators.map((o) => o.metric('controller_runtime_reconcile_total')),
    );
    const leaderIndex = holder === 'operator-a' ? 0 : 1;
    expect(reconciles[leaderIndex]).toBeGreaterThan(0);
    expect(reconciles[1 - leaderIndex]).toBe(0);
  });

  it('the standby takes over within the lease time after the leader is SIGKILLed', async () => {
    const before = await lease();
    const leader = operators.find((o, i) =>
      before.spec.holderIdentity === 'operator-a' ? i === 0 : i === 1,
    )!;
    const standby = operators.find((o) => o !== leader)!;
    await leader.kill('SIGKILL');
    const killedAt = Date.now();
    await waitFor(
      'the standby to lead',
      async () => (await standby.metric('leader_election_master_status')) === 1,
      30_000,
    );
    const takeoverMs = Date.now() - killedAt;
    const after = await lease();
    expect(after.spec.holderIdentity).not.toBe(before.spec.holderIdentity);
    expect(after.spec.leaseTransitions).toBe((before.spec.leaseTransitions ?? 0) + 1);
    // The lease lasts 15 s; the standby checks every 2 s (plus up to 20% jitter) and the test polls every 0.2 s.
    expect(takeoverMs).toBeLessThanOrEqual(15_000 + 2_400 + 1_000);
    await createEnvironment(client, ns, 'second', { intent: 'x' });
    await waitForPhase(client, ns, 'second', 'Ready');
  });

  it('a leader stopped with SIGTERM releases the lease so a new process leads at once', async () => {
    const current = operators.find((o) => o.exitCode === undefined)!;
    operators.push(
      await OperatorProcess.start([
        '--namespace',
        ns,
        '--planner',
        'static',
        '--leader-elect',
        '--leader-election-namespace',
        ns,
        '--leader-election-id',
        'vibe-test',
        '--identity',
        'operator-c',
      ]),
    );
    const next = operators[operators.length - 1]!;
    await next.get('/healthz');
    await current.stop();
    expect(current.exitCode).toBe(0);
    expect(current.logs.some((l) => l.msg === 'released the lease')).toBe(true);
    await waitFor(
      'operator-c to lead',
      async () => (await lease()).spec.holderIdentity === 'operator-c',
      10_000,
    );
  });
});
