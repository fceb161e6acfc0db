/**
 * The preview router on the full local cluster: an Ingress of class `vibe`
 * routes a host to a Service, and the router proxies to the Service's ready
 * pod by pod IP. Unknown hosts and Services without a ready pod get an answer
 * that says why.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { PreviewRouter } from '../../operator/src/preview-router/router.js';
import { httpGet } from '../support/http-get.js';
import { createNamespace, deleteNamespace, testClient, waitFor } from '../support/kube.js';

const client = testClient();
let namespace: string;
let router: PreviewRouter;
let url: string;

const post = (path: string, body: unknown) => client.request({ method: 'POST', path, body });

beforeAll(async () => {
  namespace = await createNamespace(client, 'preview');
  await waitFor('the default service account', () =>
    client.request({ method: 'GET', path: `/api/v1/namespaces/${namespace}/serviceaccounts/default` }),
  );
  await post(`/api/v1/namespaces/${namespace}/pods`, {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web', labels: { app: 'web' } },
    spec: {
      terminationGracePeriodSeconds: 1,
      containers: [
        {
          name: 'httpd',
          image: 'localhost/vibe/busybox:test',
          imagePullPolicy: 'Never',
          command: ['httpd', '-f', '-p', '8080', '-h', '/www'],
          ports: [{ name: 'http', containerPort: 8080 }],
          readinessProbe: { httpGet: { path: '/', port: 8080 }, periodSeconds: 1 },
        },
      ],
    },
  });
  for (const [name, selector] of [
    ['web', { app: 'web' }],
    ['nobody', { app: 'nobody' }],
  ] as const) {
    await post(`/api/v1/namespaces/${namespace}/services`, {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name },
      spec: { selector, ports: [{ name: 'http', port: 80, targetPort: 'http' }] },
    });
  }
  await post(`/apis/networking.k8s.io/v1/namespaces/${namespace}/ingresses`, {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name: 'preview' },
    spec: {
      ingressClassName: 'vibe',
      rules: [
        {
          host: `web.${namespace}.vibe.localhost`,
          http: {
            paths: [
              { path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } },
            ],
          },
        },
        {
          host: `empty.${namespace}.vibe.localhost`,
          http: {
            paths: [
              {
                path: '/',
                pathType: 'Prefix',
                backend: { service: { name: 'nobody', port: { name: 'http' } } },
              },
            ],
          },
        },
      ],
    },
  });
  router = new PreviewRouter({
    client,
    logger: pino({ level: 'silent' }),
    ingressClassName: 'vibe',
    host: '127.0.0.1',
    port: 0,
  });
  ({ url } = await router.start());
});

afterAll(async () => {
  await router?.stop();
  await deleteNamespace(client, namespace);
});

describe('the preview router', () => {
  it('proxies a preview host to the ready pod behind the Ingress', async () => {
    const body = await waitFor(
      'the preview to answer',
      async () => {
        const res = await httpGet(`${url}/`, `web.${namespace}.vibe.localhost`);
        return res.status === 200 ? res.body : undefined;
      },
      120_000,
      500,
    );
    expect(body).toContain('hello from vibe busybox');
  });

  it('answers 404 with the reason for a host no Ingress names', async () => {
    const res = await httpGet(`${url}/`, `nothing.${namespace}.vibe.localhost`);
    expect(res.status).toBe(404);
    expect(res.body).toContain('no Ingress of class vibe has this host');
  });

  it('answers 503 with the Service name when no pod is ready behind it', async () => {
    const res = await httpGet(`${url}/`, `empty.${namespace}.vibe.localhost`);
    expect(res.status).toBe(503);
    expect(res.body).toContain(`no ready pod behind Service ${namespace}/nobody`);
  });
});
