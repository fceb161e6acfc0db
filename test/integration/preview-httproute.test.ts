/**
 * Plans with Ingresses under an operator configured with a preview Gateway:
 * the HTTPRoutes it translates pass the real Gateway API schema (CEL rules
 * included) and carry the https preview URL, and an Ingress with no HTTPRoute
 * equivalent fails the environment with a reason that names the field.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VibeEnvironment } from '../../operator/src/api/vibe-environment.js';
import { createPreviewGateway, installGatewayApi } from '../support/gateway-api.js';
import {
  createEnvironment,
  createNamespace,
  deleteNamespace,
  getEnvironment,
  installCrds,
  testClient,
  waitFor,
} from '../support/kube.js';
import { OperatorProcess } from '../support/operator-process.js';

const manifestPlanner = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../support/manifest-planner.ts',
);
const client = testClient();
let ns: string;
let operator: OperatorProcess;

const service = (name: string, ports: Record<string, unknown>[]) => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name },
  spec: { selector: { app: name }, ports },
});
const backend = (name: string, port: Record<string, unknown>) => ({ service: { name, port } });
const ingress = (name: string, spec: Record<string, unknown>) => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'Ingress',
  metadata: { name },
  spec,
});

function settled(name: string): Promise<VibeEnvironment> {
  return waitFor(
    `${name} to be Ready or Failed`,
    async () => {
      const env = await getEnvironment<VibeEnvironment>(client, ns, name);
      return env?.status?.phase === 'Ready' || env?.status?.phase === 'Failed' ? env : undefined;
    },
    60_000,
  );
}

beforeAll(async () => {
  await installCrds(client);
  await installGatewayApi(client);
  ns = await createNamespace(client, 'gw-int');
  await createPreviewGateway(client, ns, [
    { name: 'https', protocol: 'HTTP', port: 80, allowedRoutes: { namespaces: { from: 'All' } } },
  ]);
  operator = await OperatorProcess.start([
    '--namespace',
    ns,
    '--planner-module',
    manifestPlanner,
    '--preview-gateway',
    `${ns}/preview`,
    '--preview-gateway-section',
    'https',
    '--preview-gateway-tls',
    '--preview-url-port',
    '8443',
  ]);
  await operator.ready();
});

afterAll(async () => {
  await operator?.stop();
  if (ns) await deleteNamespace(client, ns);
  client.close();
});

describe('previews as HTTPRoutes', () => {
  it('applies an HTTPRoute the API server accepts for every kind of Ingress path, and names the https URL', async () => {
    const plan = [
      service('web', [
        { name: 'http', port: 80, targetPort: 8080 },
        { name: 'metrics', port: 9090 },
      ]),
      service('api', [{ port: 9000 }]),
      ingress('site', {
        defaultBackend: backend('web', { number: 80 }),
        rules: [
          {
            host: 'ignored.example.com',
            http: {
              paths: [
                { path: '/', pathType: 'Prefix', backend: backend('web', { name: 'http' }) },
                { path: '/api', pathType: 'Prefix', backend: backend('api', { number: 9000 }) },
                { path: '/healthz', pathType: 'Exact', backend: backend('api', { number: 9000 }) },
                {
                  path: '/static',
                  pathType: 'ImplementationSpecific',
                  backend: backend('web', { number: 80 }),
                },
              ],
            },
          },
        ],
      }),
    ];
    await createEnvironment(client, ns, 'routes', { intent: JSON.stringify(plan) });
    const env = await settled('routes');
    expect(env.status?.phase).toBe('Ready');
    const host = `routes-${ns}.vibe.localhost`;
    expect(env.status?.previewUrl).toBe(`https://${host}:8443/`);

    const route = await client.request<{ spec: Record<string, unknown> }>({
      method: 'GET',
      path: `/apis/gateway.networking.k8s.io/v1/namespaces/vibe-${ns}-routes/httproutes/site`,
    });
    expect(route.spec).toMatchObject({
      hostnames: [host],
      parentRefs: [
        {
          group: 'gateway.networking.k8s.io',
          kind: 'Gateway',
          namespace: ns,
          name: 'preview',
          sectionName: 'https',
        },
      ],
      rules: [
        {
          matches: [
            { path: { type: 'PathPrefix', value: '/' } },
            { path: { type: 'PathPrefix', value: '/static' } },
          ],
          backendRefs: [expect.objectContaining({ name: 'web', port: 80 })],
        },
        {
          matches: [
            { path: { type: 'PathPrefix', value: '/api' } },
            { path: { type: 'Exact', value: '/healthz' } },
          ],
          backendRefs: [expect.objectContaining({ name: 'api', port: 9000 })],
        },
      ],
    });
    const ingresses = await client.request<{ items: unknown[] }>({
      method: 'GET',
      path: `/apis/networking.k8s.io/v1/namespaces/vibe-${ns}-routes/ingresses`,
    });
    expect(ingresses.items).toEqual([]);
  });

  it('fails an environment whose Ingress names a port of a Service the plan does not declare', async () => {
    const plan = [
      ingress('site', {
        rules: [
          {
            http: { paths: [{ path: '/', pathType: 'Prefix', backend: backend('ghost', { name: 'http' }) }] },
          },
        ],
      }),
    ];
    await createEnvironment(client, ns, 'unroutable', { intent: JSON.stringify(plan) });
    const env = await settled('unroutable');
    expect(env.status?.phase).toBe('Failed');
    const ready = env.status?.conditions?.find((c) => c.type === 'Ready');
    expect(ready).toMatchObject({ status: 'False', reason: 'PreviewUnroutable' });
    expect(ready?.message).toContain('VIBE_PREVIEW_PORT_UNRESOLVED');
    expect(ready?.message).toContain('Ingress/site spec.rules[0].http.paths[0].backend.service.port.name');
  });
});
