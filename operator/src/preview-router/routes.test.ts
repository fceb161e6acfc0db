import { describe, expect, it } from 'vitest';
import {
  buildRoutes,
  claimedEntries,
  ingressEntries,
  matchRoute,
  type EndpointSliceObject,
  type IngressObject,
  type ServiceObject,
} from './routes.js';

const ingress = (
  name: string,
  host: string,
  paths: { path: string; service: string; port: number | string; exact?: boolean }[],
  cls = 'vibe',
): IngressObject => ({
  metadata: { name, namespace: 'env' },
  spec: {
    ingressClassName: cls,
    rules: [
      {
        host,
        http: {
          paths: paths.map((p) => ({
            path: p.path,
            pathType: p.exact ? 'Exact' : 'Prefix',
            backend: {
              service: {
                name: p.service,
                port: typeof p.port === 'number' ? { number: p.port } : { name: p.port },
              },
            },
          })),
        },
      },
    ],
  },
});

const services = new Map<string, ServiceObject>([
  [
    'env/web',
    {
      metadata: { name: 'web', namespace: 'env' },
      spec: { ports: [{ name: 'http', port: 80, targetPort: 8080 }] },
    },
  ],
  ['env/api', { metadata: { name: 'api', namespace: 'env' }, spec: { ports: [{ port: 9000 }] } }],
]);

const slices = new Map<string, EndpointSliceObject[]>([
  [
    'env/web',
    [
      {
        metadata: { name: 'web-abc', namespace: 'env' },
        ports: [{ name: 'http', port: 8080 }],
        endpoints: [
          { addresses: ['10.244.0.5'], conditions: { ready: true } },
          { addresses: ['10.244.0.6'], conditions: { ready: false } },
        ],
      },
    ],
  ],
  [
    'env/api',
    [
      {
        metadata: { name: 'api-x', namespace: 'env' },
        ports: [{ name: '', port: 9000 }],
        endpoints: [{ addresses: ['10.244.0.7'] }],
      },
    ],
  ],
]);

const routesOf = (
  ingresses: IngressObject[],
  known: Map<string, ServiceObject>,
  ready: Map<string, EndpointSliceObject[]>,
) => buildRoutes(ingressEntries('vibe', ingresses), known, ready);

describe('buildRoutes', () => {
  it('resolves a Service port to the ready endpoints only', () => {
    const table = routesOf(
      [ingress('a', 'web.vibe.localhost', [{ path: '/', service: 'web', port: 80 }])],
      services,
      slices,
    );
    expect(table.get('web.vibe.localhost')).toEqual([
      {
        path: '/',
        exact: false,
        backend: { namespace: 'env', service: 'web', addresses: ['10.244.0.5:8080'] },
      },
    ]);
  });

  it('resolves named and unnamed ports', () => {
    const table = routesOf(
      [
        ingress('a', 'h', [
          { path: '/web', service: 'web', port: 'http' },
          { path: '/api', service: 'api', port: 9000 },
        ]),
      ],
      services,
      slices,
    );
    expect(table.get('h')?.map((r) => r.backend.addresses)).toEqual([
      ['10.244.0.5:8080'],
      ['10.244.0.7:9000'],
    ]);
  });

  it('ignores Ingresses of another class', () => {
    const table = routesOf(
      [ingress('a', 'h', [{ path: '/', service: 'web', port: 80 }], 'nginx')],
      services,
      slices,
    );
    expect(table.size).toBe(0);
  });

  it('has no addresses for an unknown Service or port', () => {
    const table = routesOf(
      [
        ingress('a', 'h', [
          { path: '/', service: 'nope', port: 80 },
          { path: '/x', service: 'web', port: 81 },
        ]),
      ],
      services,
      slices,
    );
    expect(table.get('h')?.map((r) => r.backend.addresses)).toEqual([[], []]);
  });
});

describe('matchRoute', () => {
  const table = routesOf(
    [
      ingress('a', 'h.example', [
        { path: '/', service: 'web', port: 80 },
        { path: '/api', service: 'api', port: 9000 },
        { path: '/exact', service: 'api', port: 9000, exact: true },
      ]),
    ],
    services,
    slices,
  );

  it('prefers the longest matching prefix, by whole path segments', () => {
    expect(matchRoute(table, 'h.example', '/api/orders')?.backend.service).toBe('api');
    expect(matchRoute(table, 'h.example', '/api')?.backend.service).toBe('api');
    expect(matchRoute(table, 'h.example', '/apix')?.backend.service).toBe('web');
  });

  it('honours Exact paths', () => {
    expect(matchRoute(table, 'h.example', '/exact')?.path).toBe('/exact');
    expect(matchRoute(table, 'h.example', '/exact/more')?.backend.service).toBe('web');
  });

  it('matches hosts without their port and case-insensitively', () => {
    expect(matchRoute(table, 'H.Example:8088', '/')?.backend.service).toBe('web');
    expect(matchRoute(table, 'other.example', '/')).toBeUndefined();
  });
});

describe('a host claimed from two namespaces', () => {
  const entry = (namespace: string, created: string, path = '/') => ({
    host: 'shop.vibe.localhost',
    path,
    exact: false,
    namespace,
    service: { name: 'web', port: { number: 80 } },
    created,
  });

  it('is served for the namespace that claimed it first, never merged', () => {
    const kept = claimedEntries([
      entry('vibe-b', '2026-01-02T00:00:00Z', '/admin'),
      entry('vibe-a', '2026-01-01T00:00:00Z'),
      entry('vibe-b', '2026-01-02T00:00:00Z'),
    ]);
    expect(kept.map((e) => e.namespace)).toEqual(['vibe-a']);
    const table = buildRoutes(
      [entry('vibe-b', '2026-01-02T00:00:00Z', '/admin'), entry('vibe-a', '2026-01-01T00:00:00Z')],
      new Map(),
      new Map(),
    );
    expect(matchRoute(table, 'shop.vibe.localhost', '/admin')?.backend.namespace).toBe('vibe-a');
  });

  it('keeps every route of one namespace', () => {
    const one = [entry('vibe-a', '2026-01-01T00:00:00Z', '/x'), entry('vibe-a', '2026-01-03T00:00:00Z')];
    expect(claimedEntries(one)).toHaveLength(2);
  });
});
