/**
 * What the activator suites share: the one-web-app plan their environments are made from, an address
 * of this machine that EndpointSlices may name, a free port, and a request that names its Host.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';

/** An address of this machine other than loopback, which EndpointSlices may name. */
export function hostAddress(): string {
  for (const nets of Object.values(os.networkInterfaces())) {
    for (const net of nets ?? []) if (net.family === 'IPv4' && !net.internal) return net.address;
  }
  throw new Error('no non-loopback IPv4 address on this machine');
}

/** A port nothing listens on at `address` now. */
export async function freePort(address = '127.0.0.1'): Promise<number> {
  const probe = http.createServer();
  await new Promise<void>((resolve) => probe.listen(0, address, resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** The demo app as a Deployment listening on `port`, its Service on 80 and an Ingress for `/`. */
export const webPlan = (port = 8080) => [
  {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web' },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          securityContext: {
            runAsNonRoot: true,
            runAsUser: 1000,
            seccompProfile: { type: 'RuntimeDefault' },
          },
          containers: [
            {
              name: 'main',
              image: 'localhost/vibe/demo-app:test',
              ports: [{ containerPort: port }],
              resources: {
                requests: { cpu: '10m', memory: '16Mi' },
                limits: { cpu: '100m', memory: '64Mi' },
              },
              securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
            },
          ],
        },
      },
    },
  },
  {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web' },
    spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: port }] },
  },
  {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name: 'web' },
    spec: {
      rules: [
        {
          http: {
            paths: [
              { path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } },
            ],
          },
        },
      ],
    },
  },
];

export interface HostAnswer {
  status: number;
  body: string;
  headers: http.IncomingHttpHeaders;
}

/** GET / from 127.0.0.1:port for `host`, as a browser at the preview URL would ask. */
export function requestHost(
  port: number,
  host: string,
  headers: Record<string, string> = {},
): Promise<HostAnswer> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: '/', headers: { host, ...headers } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}
