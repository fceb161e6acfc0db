/**
 * Wake on request through the operator's preview router (ADR 0096), on the control-plane tier: a
 * process of the test stands in for the environment's pods (PodReadiness mirrors their readiness
 * into an EndpointSlice at its address). While the environment sleeps, requests to the preview are
 * held, the environment wakes, and every request is answered by the app; a browser waiting past the
 * threshold gets the waking page; requests count as activity for the idle timer.
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
  eventsFor,
  getEnvironment,
  installCrds,
  testClient,
  waitFor,
} from '../support/kube.js';
import { hostAddress, requestHost, webPlan } from '../support/activator-fixtures.js';
import { OperatorProcess } from '../support/operator-process.js';
import { PodReadiness } from '../support/ready-pods.js';

const manifestPlanner = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../support/manifest-planner.ts',
);

describe('the activator behind the preview router', () => {
  const client: KubeClient = testClient();
  let ns: string;
  let host: string;
  let app: http.Server;
  let appRequests = 0;
  let operator: OperatorProcess;
  let routerPort: number;
  let pods: PodReadiness;
  let environments: EnvironmentClient;
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

  /** Until the slice standing in for the pods is empty and the router's informer had time to see it. */
  const noEndpoints = async () => {
    await waitFor('no endpoints', async () => {
      const slice = await client.request<{ endpoints?: unknown[] | null }>({
        method: 'GET',
        path: `/apis/discovery.k8s.io/v1/namespaces/vibe-${ns}-web/endpointslices/web-test`,
      });
      return (slice.endpoints ?? []).length === 0;
    });
    await new Promise((resolve) => setTimeout(resolve, 1000));
  };

  beforeAll(async () => {
    await installCrds(client);
    app = http.createServer((_req, res) => {
      appRequests++;
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('hello from the app\n');
    });
    await new Promise<void>((resolve) => app.listen(0, '0.0.0.0', resolve));
    const appPort = (app.address() as AddressInfo).port;
    ns = await createNamespace(client, 'activator');
    host = `web-${ns}.vibe.localhost`;
    environments = new EnvironmentClient(client, ns);
    operator = await OperatorProcess.start([
      '--namespace',
      ns,
      '--planner-module',
      manifestPlanner,
      '--preview-router',
      '--preview-router-address',
      '127.0.0.1:0',
    ]);
    await operator.ready();
    routerPort = await operator.previewRouterPort();
    pods = new PodReadiness(client, `vibe-${ns}-web`, {
      service: 'web',
      address: hostAddress(),
      port: appPort,
    });
    pods.start();
    await createEnvironment(client, ns, 'web', {
      intent: JSON.stringify(webPlan(appPort)),
      ttl: '1h',
      sleep: { afterIdle: '1h' },
    });
    await phase('Ready');
  });

  afterAll(async () => {
    pods?.stop();
    await operator?.stop();
    await new Promise((resolve) => app?.close(resolve));
    if (ns) await deleteNamespace(client, ns);
    client.close();
  });

  it('serves the app while awake and counts the request for the idle timer', async () => {
    const answer = await waitFor('the app through the router', async () => {
      const a = await requestHost(routerPort, host);
      return a.status === 200 ? a : undefined;
    });
    expect(answer.body).toBe('hello from the app\n');
    // The lifecycle stores the latest request in status (to the minute) on its next pass.
    await environments.call('extend', { name: 'web', by: '1m' });
    const env = await waitFor('status.sleep.lastRequest', async () => {
      const e = await getEnvironment<VibeEnvironment>(client, ns, 'web');
      return e?.status?.sleep?.lastRequest ? e : undefined;
    });
    expect(Date.now() - Date.parse(env.status!.sleep!.lastRequest!)).toBeLessThan(120_000);
  });

  it('holds concurrent requests while the environment wakes, and answers every one with the app', async () => {
    await environments.call('sleep', { name: 'web' });
    await phase('Sleeping');
    await noEndpoints();
    const before = appRequests;
    const answers = await Promise.all(Array.from({ length: 8 }, () => requestHost(routerPort, host)));
    expect(answers.map((a) => a.status)).toEqual(Array(8).fill(200));
    expect(answers.every((a) => a.body === 'hello from the app\n')).toBe(true);
    expect(appRequests - before).toBe(8);
    const woken = await getEnvironment<VibeEnvironment>(client, ns, 'web');
    expect(woken?.status?.phase).toBe('Ready');
    const reasons = (await eventsFor(client, ns, 'web')).map((e) => e.reason);
    expect(reasons.filter((r) => r === 'Waking')).toHaveLength(1);
  }, 90_000);

  it('gives a browser the waking page when the wake takes longer than the threshold', async () => {
    await environments.call('sleep', { name: 'web' });
    await phase('Sleeping');
    await noEndpoints();
    // No pod becomes Ready while the mirror is stopped, so the wake outlasts the threshold.
    pods.stop();
    const page = await requestHost(routerPort, host, { accept: 'text/html,application/xhtml+xml' });
    expect(page.status).toBe(503);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.body).toContain('is waking up');
    expect(page.body).toContain('http-equiv="refresh"');
    pods.start();
    await phase('Ready');
    const after = await waitFor('the app again', async () => {
      const a = await requestHost(routerPort, host, { accept: 'text/html' });
      return a.status === 200 ? a : undefined;
    });
    expect(after.body).toBe('hello from the app\n');
  }, 90_000);
});
