/**
 * Previews as Gateway API HTTPRoutes on the full local cluster: the operator
 * runs with --preview-gateway, the offline planner's Ingress becomes an
 * HTTPRoute attached to a Gateway this test creates, no Ingress is applied,
 * and the preview router, standing in for that Gateway, serves the preview.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { VibeEnvironment } from '../../operator/src/api/vibe-environment.js';
import { checkPreviewGateway } from '../../operator/src/preview-router/gateway-check.js';
import { createPreviewGateway, installGatewayApi } from '../support/gateway-api.js';
import {
  createNamespace,
  deleteNamespace,
  environmentsPath,
  getEnvironment,
  installCrds,
  testClient,
  waitFor,
} from '../support/kube.js';
import { httpGet } from '../support/http-get.js';
import { localOperatorArgs, OperatorProcess } from '../support/operator-process.js';

const client = testClient();
let ns: string;
let operator: OperatorProcess;
let routerPort: number;

interface HttpRoute {
  metadata: { name: string };
  spec: {
    hostnames: string[];
    parentRefs: Record<string, string>[];
    rules: { matches: unknown[]; backendRefs: { name: string; port: number }[] }[];
  };
}

const list = <T>(path: string) => client.request<{ items: T[] }>({ method: 'GET', path });

beforeAll(async () => {
  await installCrds(client);
  await installGatewayApi(client);
  ns = await createNamespace(client, 'gw-e2e');
  // The operator does not own the Gateway; its listener admits routes from environment namespaces.
  await createPreviewGateway(client, ns, [
    {
      name: 'http',
      protocol: 'HTTP',
      port: 80,
      allowedRoutes: {
        namespaces: {
          from: 'Selector',
          selector: { matchLabels: { 'app.kubernetes.io/managed-by': 'vibe-operator' } },
        },
      },
    },
  ]);
  operator = await OperatorProcess.start([
    ...localOperatorArgs(ns),
    '--preview-gateway',
    `${ns}/preview`,
    '--preview-gateway-section',
    'http',
  ]);
  await operator.ready(60_000);
  routerPort = await operator.previewRouterPort();
});

afterAll(async () => {
  await operator?.stop();
  if (ns) await deleteNamespace(client, ns);
  client.close();
});

describe('previews as HTTPRoutes', () => {
  it('found the Gateway at start-up with nothing to warn about', () => {
    const warnings = operator.logs.filter((l) => l.level >= 40).map((l) => l.msg);
    expect(warnings.filter((m) => m.includes('Gateway'))).toEqual([]);
    expect(operator.logs.find((l) => l.msg === 'preview router listening')).toMatchObject({
      gateway: `${ns}/preview`,
    });
  });

  it('warns at start-up about a Gateway that does not exist or lacks the listener', async () => {
    expect(await checkPreviewGateway(client, { namespace: ns, name: 'absent' })).toEqual([
      `Gateway ${ns}/absent does not exist; preview HTTPRoutes attach to it but answer only once it is created.`,
    ]);
    expect(
      await checkPreviewGateway(client, { namespace: ns, name: 'preview', sectionName: 'https' }),
    ).toEqual([
      `Gateway ${ns}/preview has no listener named https; set previewGatewaySection to one of its listeners.`,
    ]);
  });

  it('attaches the environment to the Gateway with an HTTPRoute and serves it through the router', async () => {
    const example = parse(readFileSync('examples/web-app.yaml', 'utf8')) as VibeEnvironment;
    await client.request({ method: 'POST', path: environmentsPath(ns), body: example });
    const ready = await waitFor(
      'phase Ready',
      async () => {
        const env = await getEnvironment<VibeEnvironment>(client, ns, 'web');
        if (env?.status?.phase === 'Failed') throw new Error(`failed: ${JSON.stringify(env.status)}`);
        return env?.status?.phase === 'Ready' ? env : undefined;
      },
      240_000,
      250,
    );
    const host = `web-${ns}.vibe.localhost`;
    expect(ready.status?.previewUrl).toBe(`http://${host}:${routerPort}/`);

    const target = `vibe-${ns}-web`;
    const routes = await list<HttpRoute>(
      `/apis/gateway.networking.k8s.io/v1/namespaces/${target}/httproutes`,
    );
    expect(routes.items).toHaveLength(1);
    const [route] = routes.items;
    expect(route!.spec.hostnames).toEqual([host]);
    expect(route!.spec.parentRefs).toEqual([
      {
        group: 'gateway.networking.k8s.io',
        kind: 'Gateway',
        namespace: ns,
        name: 'preview',
        sectionName: 'http',
      },
    ]);
    expect(route!.spec.rules.flatMap((r) => r.backendRefs)).toEqual([
      expect.objectContaining({ name: 'busybox', port: 8080 }),
    ]);
    const ingresses = await list(`/apis/networking.k8s.io/v1/namespaces/${target}/ingresses`);
    expect(ingresses.items).toEqual([]);

    const answer = await waitFor(
      'the preview to answer through the router',
      async () => {
        const res = await httpGet(`http://127.0.0.1:${routerPort}/`, host);
        return res.status === 200 ? res : undefined;
      },
      60_000,
      500,
    );
    expect(answer.body).toContain('hello from vibe busybox');

    const unknown = await httpGet(`http://127.0.0.1:${routerPort}/`, `nothing.${ns}.vibe.localhost`);
    expect(unknown.status).toBe(404);
    expect(unknown.body).toContain(
      `no Ingress of class vibe or HTTPRoute of Gateway ${ns}/preview has this host`,
    );
  }, 600_000);
});
