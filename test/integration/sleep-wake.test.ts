/**
 * Sleep and wake on the control-plane tier (ADR 0096): an environment whose plan runs two
 * Deployments sleeps on `vibe sleep` (every workload at zero, replicas remembered), stays asleep
 * across an operator restart without planning again, wakes on `vibe wake` with exactly the replicas
 * it had, and sleeps and wakes on a schedule window. Pods are marked Ready by the test (no kubelet).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANNOTATION_SLEEP_REPLICAS } from '../../operator/src/api/labels.js';
import type { VibeEnvironment } from '../../operator/src/api/vibe-environment.js';
import { EnvironmentClient } from '../../operator/src/client/index.js';
import { PATCH, type KubeClient } from '../../operator/src/reconciler/kube-client.js';
import {
  createEnvironment,
  createNamespace,
  deleteNamespace,
  environmentsPath,
  eventsFor,
  getEnvironment,
  installCrds,
  testClient,
  waitFor,
} from '../support/kube.js';
import { OperatorProcess } from '../support/operator-process.js';
import { PodReadiness } from '../support/ready-pods.js';

const manifestPlanner = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../support/manifest-planner.ts',
);

const deployment = (name: string, replicas: number) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name },
  spec: {
    replicas,
    selector: { matchLabels: { app: name } },
    template: {
      metadata: { labels: { app: name } },
      spec: {
        securityContext: { runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: 'RuntimeDefault' } },
        containers: [
          {
            name: 'main',
            image: 'localhost/vibe/demo-app:test',
            resources: { requests: { cpu: '10m', memory: '16Mi' }, limits: { cpu: '100m', memory: '64Mi' } },
            securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
          },
        ],
      },
    },
  },
});

interface Workload {
  metadata: { annotations?: Record<string, string> };
  spec: { replicas: number };
}

describe('sleep and wake', () => {
  const client: KubeClient = testClient();
  let ns: string;
  let envNs: string;
  let operator: OperatorProcess;
  let pods: PodReadiness;
  let environments: EnvironmentClient;
  const start = () => OperatorProcess.start(['--namespace', ns, '--planner-module', manifestPlanner]);
  const phase = (want: string, timeoutMs = 60_000) =>
    waitFor(
      `web to be ${want}`,
      async () => {
        const env = await getEnvironment<VibeEnvironment>(client, ns, 'web');
        if (env?.status?.phase === 'Failed') throw new Error(`web failed: ${env.status.message}`);
        return env?.status?.phase === want ? env : undefined;
      },
      timeoutMs,
    );
  const workload = (name: string) =>
    client.request<Workload>({
      method: 'GET',
      path: `/apis/apps/v1/namespaces/${envNs}/deployments/${name}`,
    });

  beforeAll(async () => {
    await installCrds(client);
    ns = await createNamespace(client, 'sleep');
    envNs = `vibe-${ns}-web`;
    environments = new EnvironmentClient(client, ns);
    operator = await start();
    await operator.ready();
    pods = new PodReadiness(client, envNs);
    pods.start();
  });

  afterAll(async () => {
    pods?.stop();
    await operator?.stop();
    if (ns) await deleteNamespace(client, ns);
    client.close();
  });

  it('comes up Ready with both Deployments running', async () => {
    await createEnvironment(client, ns, 'web', {
      intent: JSON.stringify([deployment('web', 2), deployment('worker', 1)]),
      ttl: '2h',
    });
    await phase('Ready');
    expect((await pods.pods()).length).toBe(3);
  });

  it('sleeps on vibe sleep: every workload at zero, its replicas remembered, no pod left', async () => {
    await environments.call('sleep', { name: 'web' });
    const asleep = await phase('Sleeping');
    expect(asleep.status?.sleep?.reason).toBe('Requested');
    // creationTimestamp has whole seconds: an environment put to sleep within its first second ties.
    expect(Date.parse(asleep.status!.sleep!.since!)).toBeGreaterThanOrEqual(
      Date.parse(asleep.metadata.creationTimestamp!),
    );
    expect(asleep.status?.conditions?.find((c) => c.type === 'Ready')).toMatchObject({
      status: 'False',
      reason: 'Sleeping',
    });
    for (const [name, replicas] of [
      ['web', '2'],
      ['worker', '1'],
    ] as const) {
      const w = await workload(name);
      expect(w.spec.replicas).toBe(0);
      expect(w.metadata.annotations?.[ANNOTATION_SLEEP_REPLICAS]).toBe(replicas);
    }
    await waitFor('no pods', async () => (await pods.pods()).length === 0);
    expect((await environments.call('get', { name: 'web' })).sleepingSince).toBe(asleep.status?.sleep?.since);
  });

  it('stays asleep across an operator restart without planning again', async () => {
    const before = await getEnvironment<VibeEnvironment>(client, ns, 'web');
    const planned = (await eventsFor(client, ns, 'web')).filter((e) => e.reason === 'Planning').length;
    await operator.stop();
    operator = await start();
    await operator.ready();
    await waitFor('the restarted operator to reconcile web', async () => {
      return (await operator.metric('controller_runtime_reconcile_total')) > 0;
    });
    const after = await getEnvironment<VibeEnvironment>(client, ns, 'web');
    expect(after?.status?.phase).toBe('Sleeping');
    expect(after?.status?.attempts).toBe(before?.status?.attempts);
    expect(after?.status?.sleep?.since).toBe(before?.status?.sleep?.since);
    expect((await eventsFor(client, ns, 'web')).filter((e) => e.reason === 'Planning').length).toBe(planned);
    expect((await workload('web')).spec.replicas).toBe(0);
  });

  it('wakes on vibe wake with exactly the replicas it had', async () => {
    await environments.call('wake', { name: 'web' });
    const ready = await phase('Ready');
    expect(ready.status?.sleep?.since).toBeUndefined();
    expect(ready.status?.sleep?.pausedSeconds).toBeGreaterThanOrEqual(0);
    for (const [name, replicas] of [
      ['web', 2],
      ['worker', 1],
    ] as const) {
      const w = await workload(name);
      expect(w.spec.replicas).toBe(replicas);
      expect(w.metadata.annotations?.[ANNOTATION_SLEEP_REPLICAS]).toBeUndefined();
    }
    expect((await pods.pods()).length).toBe(3);
    const reasons = (await eventsFor(client, ns, 'web')).map((e) => e.reason);
    expect(reasons).toEqual(expect.arrayContaining(['Sleeping', 'Waking']));
  });

  it('refuses vibe sleep before the environment is Ready, naming the phase', async () => {
    await createEnvironment(client, ns, 'early', {
      intent: JSON.stringify([deployment('early', 1)]),
      ttl: '1h',
    });
    await expect(environments.call('sleep', { name: 'early' })).rejects.toThrow(
      /VIBE_CLIENT_NOT_READY|only a Ready environment can sleep/,
    );
  });

  it('shows a bad schedule in a condition naming the field, and stays awake', async () => {
    await client.request({
      method: 'PATCH',
      path: environmentsPath(ns, 'web'),
      contentType: PATCH.merge,
      body: { spec: { sleep: { schedule: [{ sleep: '0 20 * *', wake: '0 8 * * *' }], timeZone: 'UTC' } } },
    });
    const flagged = await waitFor('the SleepSpecValid condition', async () => {
      const env = await getEnvironment<VibeEnvironment>(client, ns, 'web');
      const c = env?.status?.conditions?.find((x) => x.type === 'SleepSpecValid');
      return c?.status === 'False' ? c : undefined;
    });
    expect(flagged.message).toMatch(
      /^VIBE_SLEEP_INVALID_SCHEDULE: spec\.sleep\.schedule\[0\]\.sleep "0 20 \* \*"/,
    );
    expect((await getEnvironment<VibeEnvironment>(client, ns, 'web'))?.status?.phase).toBe('Ready');
  });

  it('sleeps when a schedule window begins and wakes when it ends', async () => {
    // A window from the next minute to the one after, in UTC: cron has whole minutes only.
    const now = new Date();
    const minute = (ahead: number) => new Date(now.getTime() + ahead * 60_000).getUTCMinutes();
    await client.request({
      method: 'PATCH',
      path: environmentsPath(ns, 'web'),
      contentType: PATCH.merge,
      body: {
        spec: {
          sleep: {
            schedule: [{ sleep: `${minute(1)} * * * *`, wake: `${minute(2)} * * * *` }],
            timeZone: 'UTC',
          },
        },
      },
    });
    const patched = await getEnvironment<VibeEnvironment>(client, ns, 'web');
    expect(patched?.spec.sleep?.schedule, 'the cluster serves a CRD with spec.sleep').toHaveLength(1);
    const asleep = await phase('Sleeping', 100_000);
    expect(asleep.status?.sleep?.reason).toBe('Schedule');
    expect((await workload('web')).spec.replicas).toBe(0);
    await phase('Ready', 100_000);
    expect((await workload('web')).spec.replicas).toBe(2);
  }, 240_000);
});
