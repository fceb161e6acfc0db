import { describe, expect, it } from 'vitest';
import type { Manifest } from '../objects.js';
import { activatorEndpoint, activatorRoutes } from './activator-routes.js';

const ingress = (name: string, spec: unknown): Manifest => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'Ingress',
  metadata: { name, annotations: { 'example.com/kept-out': 'x' } },
  spec,
});

const web = ingress('web', {
  ingressClassName: 'traefik',
  tls: [{ hosts: ['web.vibe.localhost'], secretName: 'preview-tls' }],
  rules: [
    {
      host: 'web.vibe.localhost',
      http: {
        paths: [
          { path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 8080 } } } },
          { path: '/api', pathType: 'Exact', backend: { service: { name: 'api', port: { name: 'http' } } } },
        ],
      },
    },
  ],
});

describe('activatorRoutes', () => {
  const endpoint = activatorEndpoint('10.250.0.1:8089');

  it('reads the endpoint the config validated', () => {
    expect(endpoint).toEqual({ address: '10.250.0.1', port: 8089 });
  });

  it('routes every host and path of each plan Ingress to the activator Service, at the lowest priority', () => {
    const routes = activatorRoutes([web], endpoint);
    expect(routes.map((r) => `${r.kind}/${r.metadata.name}`)).toEqual([
      'Service/vibe-activator',
      'EndpointSlice/vibe-activator',
      'Ingress/vibe-activator-web',
    ]);
    const copy = routes[2]!;
    expect(copy.metadata.annotations).toEqual({ 'traefik.ingress.kubernetes.io/router.priority': '1' });
    expect(copy.metadata.labels).toEqual({ 'vibe.dev/activator-route': 'true' });
    const backend = { service: { name: 'vibe-activator', port: { number: 80 } } };
    expect(copy.spec).toEqual({
      ingressClassName: 'traefik',
      tls: [{ hosts: ['web.vibe.localhost'], secretName: 'preview-tls' }],
      rules: [
        {
          host: 'web.vibe.localhost',
          http: {
            paths: [
              { path: '/', pathType: 'Prefix', backend },
              { path: '/api', pathType: 'Exact', backend },
            ],
          },
        },
      ],
    });
  });

  it('gives the Service no selector and its slice only the activator address, on a port of the same name', () => {
    const [service, slice] = activatorRoutes([web], endpoint);
    expect(service!.spec).toEqual({
      type: 'ClusterIP',
      ports: [{ name: 'http', port: 80, targetPort: 8089, protocol: 'TCP' }],
    });
    expect(slice!.metadata.labels).toMatchObject({
      'kubernetes.io/service-name': 'vibe-activator',
      'endpointslice.kubernetes.io/managed-by': 'vibe-operator',
    });
    expect(slice!.endpoints).toEqual([
      { addresses: ['10.250.0.1'], conditions: { ready: true, serving: true } },
    ]);
    expect(slice!.ports).toEqual([{ name: 'http', port: 8089, protocol: 'TCP' }]);
  });

  it('makes nothing for a plan without a routable Ingress: no host, no paths, other kinds', () => {
    const hostless = ingress('any', {
      rules: [
        { http: { paths: [{ path: '/', backend: { service: { name: 'web', port: { number: 80 } } } }] } },
      ],
    });
    const pathless = ingress('empty', { rules: [{ host: 'x.vibe.localhost' }] });
    const service: Manifest = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' } };
    expect(activatorRoutes([hostless, pathless, service], endpoint)).toEqual([]);
  });

  it('keeps a long copy name within the object name limit', () => {
    const long = ingress('a'.repeat(253), web.spec);
    const copy = activatorRoutes([long], endpoint)[2]!;
    expect(copy.metadata.name).toHaveLength(253);
    expect(copy.metadata.name.startsWith('vibe-activator-a')).toBe(true);
  });
});
