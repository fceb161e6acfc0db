/**
 * Wake on request through an in-cluster ingress controller (ADR 0096), on the control-plane tier. A
 * process of the test stands in for the controller, routing as Traefik does: a host goes to the
 * environment's pods while its Service has a ready endpoint, otherwise to the lowest-priority route,
 * the operator's copy to the Service vibe-activator, whose one endpoint is the activator. Another
 * stands in for the pods (PodReadiness mirrors their readiness into an EndpointSlice).
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
import { hostAddress, freePort, requestHost, webPlan } from '../support/activator-fixtures.js';
import { OperatorProcess } from '../support/operator-process.js';
import { PodReadiness } from '../support/ready-pods.js';

const manifestPlanner = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../support/manifest-planner.ts',
);

/** Proxies req to 127.0.0.1:port as it came (Host and every header kept), and pipes the answer back. */
function proxy(req: http.IncomingMessage, res: http.ServerResponse, port: number): void {
  const upstream = http.request(
    { host: '127.0.0.1', port, method: req.method, path: req.url, headers: req.headers },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    },
  );
  upstream.on('error', (err) => {
    res.writeHead(502);
    res.end(err.message);
  });
  req.pipe(upstream);
}

interface Slice {
  endpoints?: { addresses: string[]; conditions?: { ready?: boolean } }[] | null;
  ports?: { name?: string; port?: number }[];
}

describe('the activator behind an in-cluster ingress controller', () => {
  const client: KubeClient = testClient();
  let ns: string;
  let target: string;
  let host: string;
  let app: http.Server;
  let appRequests = 0;
  let controller: http.Server;
  let controllerPort: number;
  let controllerToActivator = 0;
  let activatorPort: number;
  let operator: OperatorProcess;
  let pods: PodReadiness;
  let environments: EnvironmentClient;
  const address = hostAddress();
  const get = <T>(p: string) => client.request<T>({ method: 'GET', path: p });
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
  const appReady = async () => {
    const slice = await get<Slice>(
      `/apis/discovery.k8s.io/v1/namespaces/${target}/endpointslices/web-test`,
    ).catch(() => undefined);
    return (slice?.endpoints ?? []).some((e) => e.conditions?.ready !== false);
  };
  const activatorRouteFor = async (h: string) => {
    const copies = await get<{ items: { spec: { rules: { host: string }[] } }[] }>(
      `/apis/networking.k8s.io/v1/namespaces/${target}/ingresses?labelSelector=vibe.dev/activator-route%3Dtrue`,
    );
    return copies.items.some((i) => i.spec.rules.some((r) => r.host === h));
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
    activatorPort = await freePort();
    // The stand-in controller: the environment's route while its Service has a ready endpoint, the
    // activator's copy otherwise (Traefik drops a route whose Service has no endpoint).
    controller = http.createServer((req, res) => {
      void (async () => {
        if (await appReady()) return proxy(req, res, appPort);
        if (await activatorRouteFor(req.headers.host ?? '')) {
          controllerToActivator++;
          return proxy(req, res, activatorPort);
        }
        res.writeHead(404);
        res.end('404 page not found\n');
      })();
    });
    await new Promise<void>((resolve) => controller.listen(0, '127.0.0.1', resolve));
    controllerPort = (controller.address() as AddressInfo).port;

    ns = await createNamespace(client, 'activator-ing');
    target = `vibe-${ns}-web`;
    host = `web-${ns}.vibe.localhost`;
    environments = new EnvironmentClient(client, ns);
    operator = await OperatorProcess.start([
      '--namespace',
      ns,
      '--planner-module',
      manifestPlanner,
      '--preview-ingress-class',
      'traefik',
      '--preview-controller-namespace',
      'traefik',
      '--activator-endpoint',
      `${address}:${activatorPort}`,
      '--activator-address',
      `127.0.0.1:${activatorPort}`,
      '--preview-controller-address',
      `127.0.0.1:${controllerPort}`,
    ]);
    await operator.ready();
    pods = new PodReadiness(client, target, { service: 'web', address: hostAddress(), port: appPort });
    pods.start();
    await createEnvironment(client, ns, 'web', { intent: JSON.stringify(webPlan(appPort)), ttl: '1h' });
    await phase('Ready');
  });

  afterAll(async () => {
    pods?.stop();
    await operator?.stop();
    await new Promise((resolve) => app?.close(resolve));
    await new Promise((resolve) => controller?.close(resolve));
    if (ns) await deleteNamespace(client, ns);
    client.close();
  });

  it('routes the sleeping preview to the activator: a selector-less Service, its one endpoint, a lowest-priority copy', async () => {
    expect((await requestHost(controllerPort, host)).body).toBe('hello from the app\n');
    await environments.call('sleep', { name: 'web' });
    await phase('Sleeping');
    const service = await get<{
      spec: { selector?: unknown; ports: { name: string; targetPort: number }[] };
    }>(`/api/v1/namespaces/${target}/services/vibe-activator`);
    expect(service.spec.selector).toBeUndefined();
    expect(service.spec.ports.map((p) => [p.name, p.targetPort])).toEqual([['http', activatorPort]]);
    const slice = await get<Slice>(
      `/apis/discovery.k8s.io/v1/namespaces/${target}/endpointslices/vibe-activator`,
    );
    expect(slice.endpoints?.map((e) => e.addresses)).toEqual([[address]]);
    expect(slice.ports).toEqual([expect.objectContaining({ name: 'http', port: activatorPort })]);
    const copy = await get<{
      metadata: { annotations: Record<string, string> };
      spec: { ingressClassName: string; rules: { host: string; http: { paths: { backend: unknown }[] } }[] };
    }>(`/apis/networking.k8s.io/v1/namespaces/${target}/ingresses/vibe-activator-web`);
    expect(copy.metadata.annotations['traefik.ingress.kubernetes.io/router.priority']).toBe('1');
    expect(copy.spec.ingressClassName).toBe('traefik');
    expect(copy.spec.rules.map((r) => r.host)).toEqual([host]);
    expect(copy.spec.rules[0]!.http.paths.map((p) => p.backend)).toEqual([
      { service: { name: 'vibe-activator', port: { number: 80 } } },
    ]);
  });

  it('puts a lost route back on the next pass while the environment sleeps', async () => {
    await client.request({
      method: 'DELETE',
      path: `/apis/networking.k8s.io/v1/namespaces/${target}/ingresses/vibe-activator-web`,
    });
    expect(await activatorRouteFor(host)).toBe(false);
    // Any change of the environment is a pass; extending its TTL keeps it asleep.
    await environments.call('extend', { name: 'web', by: '1m' });
    await waitFor('the activator route again', () => activatorRouteFor(host));
    expect((await getEnvironment<VibeEnvironment>(client, ns, 'web'))?.status?.phase).toBe('Sleeping');
  });

  it('answers a request that loops back at once, and no host it does not route', async () => {
    const looped = await requestHost(activatorPort, host, { 'vibe-activator-hop': '1' });
    expect(looped.status).toBe(503);
    expect(looped.headers['vibe-activator-looped']).toBe('1');
    const stranger = await requestHost(activatorPort, `other-${ns}.vibe.localhost`);
    expect(stranger.status).toBe(404);
    expect(stranger.body).toContain('no activator route names this host');
    expect((await getEnvironment<VibeEnvironment>(client, ns, 'web'))?.status?.phase).toBe('Sleeping');
  });

  it('wakes on concurrent requests through the controller, answers each with the app, then removes its routes', async () => {
    await waitFor('no endpoints', async () => !(await appReady()));
    const before = appRequests;
    const answers = await Promise.all(Array.from({ length: 6 }, () => requestHost(controllerPort, host)));
    expect(answers.map((a) => a.status)).toEqual(Array(6).fill(200));
    expect(answers.every((a) => a.body === 'hello from the app\n')).toBe(true);
    expect(appRequests - before).toBe(6);
    expect(controllerToActivator).toBeGreaterThanOrEqual(6);
    await phase('Ready');
    const reasons = (await eventsFor(client, ns, 'web')).map((e) => e.reason);
    expect(reasons.filter((r) => r === 'Waking')).toHaveLength(1);
    await waitFor('the activator routes to be removed', async () => !(await activatorRouteFor(host)));
    const leftovers = await Promise.all(
      [
        `/api/v1/namespaces/${target}/services/vibe-activator`,
        `/apis/discovery.k8s.io/v1/namespaces/${target}/endpointslices/vibe-activator`,
      ].map((p) =>
        get(p).then(
          () => 'present',
          (err: { status?: number }) => err.status,
        ),
      ),
    );
    expect(leftovers).toEqual([404, 404]);
    expect((await requestHost(controllerPort, host)).body).toBe('hello from the app\n');
  }, 90_000);
  it('gives a browser the waking page when the wake takes longer than the threshold', async () => {
    await environments.call('sleep', { name: 'web' });
    await phase('Sleeping');
    await waitFor('no endpoints', async () => !(await appReady()));
    await waitFor('the activator route', () => activatorRouteFor(host));
    // No pod becomes Ready while the mirror is stopped, so the wake outlasts the threshold.
    pods.stop();
    const page = await requestHost(controllerPort, host, { accept: 'text/html,application/xhtml+xml' });
    expect(page.status).toBe(503);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.body).toContain('is waking up');
    pods.start();
    await phase('Ready');
    const after = await waitFor('the app again', async () => {
      const a = await requestHost(controllerPort, host, { accept: 'text/html' });
      return a.status === 200 ? a : undefined;
    });
    expect(after.body).toBe('hello from the app\n');
  }, 90_000);
});
