/**
 * Idle measured from the ingress controller's request counters (ADR 0097), on the control-plane
 * tier: a process of the test serves Traefik's metric traefik_service_requests_total for the
 * environment's Service, and the operator reads it every 30 s. While the count rises the
 * environment with afterIdle 1m stays awake past its idle time; once it stops, the environment sleeps.
 * While the counters cannot be read, it stays awake.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VibeEnvironment } from '../../operator/src/api/vibe-environment.js';
import { EnvironmentClient } from '../../operator/src/client/index.js';
import type { KubeClient } from '../../operator/src/reconciler/kube-client.js';
import {
  createEnvironment,
  createNamespace,
  deleteNamespace,
  getEnvironment,
  installCrds,
  testClient,
  waitFor,
} from '../support/kube.js';
import { webPlan } from '../support/activator-fixtures.js';
import { OperatorProcess } from '../support/operator-process.js';
import { PodReadiness } from '../support/ready-pods.js';

const manifestPlanner = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../support/manifest-planner.ts',
);

describe("idle from the ingress controller's request counters", () => {
  const client: KubeClient = testClient();
  let ns: string;
  let metrics: http.Server;
  let reads = 0;
  /** Whether each read of the metrics shows one more request to the environment's Service. */
  let busy = true;
  /** Whether the metrics endpoint fails, as a controller that restarts or moves does. */
  let broken = false;
  let requests = 0;
  let operator: OperatorProcess;
  let pods: PodReadiness;
  let readyAt = 0;
  const environment = () => getEnvironment<VibeEnvironment>(client, ns, 'web');

  beforeAll(async () => {
    await installCrds(client);
    ns = await createNamespace(client, 'ctl-traffic');
    metrics = http.createServer((_req, res) => {
      reads++;
      if (broken) {
        res.writeHead(500);
        res.end();
        return;
      }
      if (busy) requests++;
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
      res.end(
        [
          '# TYPE traefik_service_requests_total counter',
          `traefik_service_requests_total{code="200",method="GET",protocol="http",service="vibe-${ns}-web-web-80@kubernetes"} ${requests}`,
          `traefik_service_requests_total{code="200",method="GET",protocol="http",service="other-web-80@kubernetes"} ${reads * 10}`,
          '',
        ].join('\n'),
      );
    });
    await new Promise<void>((resolve) => metrics.listen(0, '127.0.0.1', resolve));
    operator = await OperatorProcess.start([
      '--namespace',
      ns,
      '--planner-module',
      manifestPlanner,
      '--preview-ingress-class',
      'traefik',
      '--preview-controller-metrics',
      `http://127.0.0.1:${(metrics.address() as AddressInfo).port}/metrics`,
    ]);
    await operator.ready();
    pods = new PodReadiness(client, `vibe-${ns}-web`);
    pods.start();
    await createEnvironment(client, ns, 'web', {
      intent: JSON.stringify(webPlan()),
      ttl: '1h',
      sleep: { afterIdle: '1m' },
    });
    await waitFor('web to be Ready', async () => (await environment())?.status?.phase === 'Ready', 60_000);
    readyAt = Date.now();
  });

  afterAll(async () => {
    pods?.stop();
    await operator?.stop();
    await new Promise((resolve) => metrics?.close(resolve));
    if (ns) await deleteNamespace(client, ns);
    client.close();
  });

  it('takes afterIdle as measured, and stays awake past it while the counter rises', async () => {
    const valid = (await environment())?.status?.conditions?.find((c) => c.type === 'SleepSpecValid');
    expect(valid?.status).not.toBe('False');
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, readyAt + 80_000 - Date.now())));
    const env = await environment();
    expect(env?.status?.phase).toBe('Ready');
    expect(reads).toBeGreaterThanOrEqual(3);
    expect(env?.status?.sleep?.lastRequest).toBeDefined();
  }, 120_000);

  it('sleeps for Idle once the counter stops rising', async () => {
    busy = false;
    const asleep = await waitFor(
      'web to sleep',
      async () => {
        const env = await environment();
        return env?.status?.phase === 'Sleeping' ? env : undefined;
      },
      150_000,
      1000,
    );
    expect(asleep.status?.sleep?.reason).toBe('Idle');
  }, 180_000);
  it('keeps the environment awake while the counters cannot be read', async () => {
    broken = true;
    await new EnvironmentClient(client, ns).call('wake', { name: 'web' });
    await waitFor('web to be Ready', async () => (await environment())?.status?.phase === 'Ready', 60_000);
    const readsBefore = reads;
    await new Promise((resolve) => setTimeout(resolve, 80_000));
    expect(reads - readsBefore).toBeGreaterThanOrEqual(2);
    expect((await environment())?.status?.phase).toBe('Ready');
  }, 150_000);
});
