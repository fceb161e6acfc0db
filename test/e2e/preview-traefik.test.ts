/**
 * Previews through the local cluster's real ingress controller and Gateway API implementation,
 * Traefik, fetched from the host at its documented address: as Ingresses of class traefik, and as
 * HTTPRoutes attached to the Gateway traefik/preview. vibe-allow-preview lets Traefik's pods reach
 * the pods a preview exposes and no other pod of the environment.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { VibeEnvironment } from '../../operator/src/api/vibe-environment.js';
import { installGatewayApi } from '../support/gateway-api.js';
import { httpGet } from '../support/http-get.js';
import { CONTROLLER_FLAGS, ingressUrl, PREVIEW_GATEWAY } from '../support/ingress.js';
import {
  createNamespace,
  deleteNamespace,
  environmentsPath,
  getEnvironment,
  installCrds,
  testClient,
  waitFor,
  waitForPhase,
} from '../support/kube.js';
import { OperatorProcess } from '../support/operator-process.js';

const client = testClient();
const namespaces: string[] = [];
const operators: OperatorProcess[] = [];

interface Condition {
  type: string;
  status: string;
}

interface HttpRouteStatus {
  status?: { parents?: { controllerName: string; parentRef: { name: string }; conditions: Condition[] }[] };
}

beforeAll(async () => {
  await installCrds(client);
  await installGatewayApi(client);
  await waitFor(
    'Traefik to be ready',
    async () => {
      const deployment = await client.request<{ status?: { readyReplicas?: number } }>({
        method: 'GET',
        path: '/apis/apps/v1/namespaces/traefik/deployments/traefik',
      });
      return (deployment.status?.readyReplicas ?? 0) >= 1;
    },
    120_000,
  );
});

afterAll(async () => {
  for (const operator of operators) await operator.stop();
  for (const ns of namespaces) await deleteNamespace(client, ns);
  client.close();
});

/** A test namespace with an operator for it, started with the given preview flags. */
async function operatorFor(prefix: string, flags: string[]): Promise<string> {
  const ns = await createNamespace(client, prefix);
  namespaces.push(ns);
  const operator = await OperatorProcess.start([
    '--namespace',
    ns,
    '--planner',
    'offline',
    '--executor',
    'runsc',
    ...CONTROLLER_FLAGS,
    ...flags,
  ]);
  operators.push(operator);
  await operator.ready(60_000);
  return ns;
}

/** Applies examples/web-app.yaml in ns and waits for Ready; returns its preview URL. */
async function webAppReady(ns: string): Promise<string> {
  const example = parse(readFileSync('examples/web-app.yaml', 'utf8')) as VibeEnvironment;
  await client.request({ method: 'POST', path: environmentsPath(ns), body: example });
  await waitForPhase(client, ns, 'web', 'Ready', 240_000);
  return (await getEnvironment<VibeEnvironment>(client, ns, 'web'))?.status?.previewUrl ?? '';
}

/** GETs host from Traefik until it answers 200 (it picks up new routes within a few seconds). */
async function throughTraefik(host: string) {
  return waitFor(
    `${host} to answer through Traefik`,
    async () => {
      const res = await httpGet(ingressUrl(), host);
      return res.status === 200 ? res : undefined;
    },
    60_000,
    500,
  );
}

const get = <T>(path: string) => client.request<T>({ method: 'GET', path });

describe('previews as Ingresses of class traefik', () => {
  let ns: string;
  beforeAll(async () => {
    ns = await operatorFor('traefik-ing', ['--preview-ingress-class', 'traefik']);
  });

  it('serves the environment through Traefik, which publishes the node address on the Ingress', async () => {
    const host = `web-${ns}.vibe.localhost`;
    expect(await webAppReady(ns)).toBe(`http://${host}/`);
    const target = `vibe-${ns}-web`;
    const ingresses = await get<{ items: { spec: { ingressClassName: string } }[] }>(
      `/apis/networking.k8s.io/v1/namespaces/${target}/ingresses`,
    );
    expect(ingresses.items.map((i) => i.spec.ingressClassName)).toEqual(['traefik']);

    const answer = await throughTraefik(host);
    expect(answer.body).toContain('hello from vibe busybox');
    const published = await waitFor('Traefik to publish its address', async () => {
      const ingress = (
        await get<{ items: { status?: { loadBalancer?: { ingress?: { ip: string }[] } } }[] }>(
          `/apis/networking.k8s.io/v1/namespaces/${target}/ingresses`,
        )
      ).items[0];
      return ingress?.status?.loadBalancer?.ingress;
    });
    expect(published).toEqual([{ ip: new URL(ingressUrl()).hostname }]);
    expect((await httpGet(ingressUrl(), `nothing.${ns}.vibe.localhost`)).status).toBe(404);
  }, 600_000);

  it('cannot reach a pod of the environment that no preview route exposes', async () => {
    const target = `vibe-${ns}-web`;
    const host = `hidden.${ns}.vibe.localhost`;
    const post = (path: string, body: unknown) => client.request({ method: 'POST', path, body });
    // Admin-made, as a plan could make it: a second web server behind its own Service and an
    // Ingress of class traefik, but the operator did not plan it, so nothing labels it exposed.
    await post(`/api/v1/namespaces/${target}/pods`, {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'hidden', labels: { app: 'hidden' } },
      spec: {
        terminationGracePeriodSeconds: 1,
        securityContext: { runAsNonRoot: true, runAsUser: 65534, seccompProfile: { type: 'RuntimeDefault' } },
        containers: [
          {
            name: 'httpd',
            image: 'localhost/vibe/busybox:test',
            imagePullPolicy: 'Never',
            command: ['httpd', '-f', '-p', '8080', '-h', '/www'],
            ports: [{ containerPort: 8080 }],
            readinessProbe: { httpGet: { path: '/', port: 8080 }, periodSeconds: 1 },
            securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
          },
        ],
      },
    });
    await post(`/api/v1/namespaces/${target}/services`, {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'hidden' },
      spec: { selector: { app: 'hidden' }, ports: [{ port: 8080 }] },
    });
    await post(`/apis/networking.k8s.io/v1/namespaces/${target}/ingresses`, {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: 'hidden' },
      spec: {
        ingressClassName: 'traefik',
        rules: [
          {
            host,
            http: {
              paths: [
                {
                  path: '/',
                  pathType: 'Prefix',
                  backend: { service: { name: 'hidden', port: { number: 8080 } } },
                },
              ],
            },
          },
        ],
      },
    });
    await waitFor(
      'the hidden pod to be ready',
      async () => {
        const pod = await get<{ status?: { conditions?: Condition[] } }>(
          `/api/v1/namespaces/${target}/pods/hidden`,
        );
        return pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');
      },
      120_000,
    );
    // 404 while Traefik has no route for the host yet; then its dial is dropped by the policy.
    const refused = await waitFor(
      'Traefik to route the hidden host',
      async () => {
        const res = await httpGet(ingressUrl(), host, 20_000);
        return res.status === 404 ? undefined : res;
      },
      90_000,
      500,
    );
    expect(refused.status).toBe(504);
    // The exposed pod of the same namespace still answers.
    expect((await throughTraefik(`web-${ns}.vibe.localhost`)).body).toContain('hello from vibe busybox');
  }, 300_000);
});

describe('previews as HTTPRoutes attached to the Gateway traefik/preview', () => {
  let ns: string;
  beforeAll(async () => {
    ns = await operatorFor('traefik-gw', [
      '--preview-gateway',
      `${PREVIEW_GATEWAY.namespace}/${PREVIEW_GATEWAY.name}`,
      '--preview-gateway-section',
      PREVIEW_GATEWAY.sectionName,
    ]);
  });

  it('serves the environment through Traefik, which accepts the HTTPRoute', async () => {
    const host = `web-${ns}.vibe.localhost`;
    expect(await webAppReady(ns)).toBe(`http://${host}/`);
    const target = `vibe-${ns}-web`;
    expect(
      (await get<{ items: unknown[] }>(`/apis/networking.k8s.io/v1/namespaces/${target}/ingresses`)).items,
    ).toEqual([]);

    const accepted = await waitFor('Traefik to accept the HTTPRoute', async () => {
      const routes = await get<{ items: HttpRouteStatus[] }>(
        `/apis/gateway.networking.k8s.io/v1/namespaces/${target}/httproutes`,
      );
      const parent = routes.items[0]?.status?.parents?.find(
        (p) => p.controllerName === 'traefik.io/gateway-controller',
      );
      return parent?.conditions.some((c) => c.type === 'Accepted' && c.status === 'True')
        ? parent
        : undefined;
    });
    expect(accepted.parentRef).toMatchObject({
      name: PREVIEW_GATEWAY.name,
      namespace: PREVIEW_GATEWAY.namespace,
    });

    const answer = await throughTraefik(host);
    expect(answer.body).toContain('hello from vibe busybox');
  }, 600_000);
});
