import { describe, expect, it } from 'vitest';
import { httpRouteFromIngress, PreviewRouteError, type RouteTarget } from './ingress-route.js';
import type { Manifest } from '../objects.js';

type Obj = Record<string, unknown>;

const service = (name: string, ports: Obj[]): Manifest => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name },
  spec: { ports },
});

const target = (services: Manifest[] = [], sectionName?: string): RouteTarget => ({
  host: 'shop-team-a.vibe.example.com',
  parent: { namespace: 'infra', name: 'preview', ...(sectionName ? { sectionName } : {}) },
  services: new Map(services.map((s) => [s.metadata.name, s])),
});

const backend = (name: string, port: Obj) => ({ service: { name, port } });
const path = (p: string | undefined, pathType: string | undefined, b: Obj): Obj => ({
  ...(p !== undefined ? { path: p } : {}),
  ...(pathType ? { pathType } : {}),
  backend: b,
});

const ingress = (spec: Obj, metadata: Obj = {}): Manifest => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'Ingress',
  metadata: { name: 'web', ...metadata },
  spec,
});
const withPaths = (...paths: Obj[]) => ingress({ rules: [{ host: 'ignored.example', http: { paths } }] });

function translateError(ing: Manifest, t: RouteTarget = target()): PreviewRouteError {
  try {
    httpRouteFromIngress(ing, t);
  } catch (err) {
    if (err instanceof PreviewRouteError) return err;
    throw err;
  }
  throw new Error('expected a PreviewRouteError');
}

describe('httpRouteFromIngress', () => {
  it('makes an HTTPRoute for the preview host attached to the configured Gateway', () => {
    const route = httpRouteFromIngress(
      ingress(
        {
          ingressClassName: 'nginx',
          rules: [
            {
              host: 'web.preview.example.com',
              http: { paths: [path('/', 'Prefix', backend('web', { number: 80 }))] },
            },
          ],
        },
        {
          namespace: 'vibe-team-a-shop',
          labels: { app: 'web' },
          annotations: { 'nginx.ingress/rewrite': '/' },
        },
      ),
      target([], 'http'),
    );
    expect(route).toEqual({
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: { name: 'web', namespace: 'vibe-team-a-shop', labels: { app: 'web' } },
      spec: {
        parentRefs: [
          {
            group: 'gateway.networking.k8s.io',
            kind: 'Gateway',
            namespace: 'infra',
            name: 'preview',
            sectionName: 'http',
          },
        ],
        hostnames: ['shop-team-a.vibe.example.com'],
        rules: [
          {
            matches: [{ path: { type: 'PathPrefix', value: '/' } }],
            backendRefs: [{ name: 'web', port: 80 }],
          },
        ],
      },
    });
  });

  it('leaves sectionName out when no listener is configured', () => {
    const route = httpRouteFromIngress(
      withPaths(path('/', 'Prefix', backend('web', { number: 80 }))),
      target(),
    );
    expect((route.spec as { parentRefs: Obj[] }).parentRefs[0]).not.toHaveProperty('sectionName');
  });

  it('maps Prefix, Exact, ImplementationSpecific and a missing path', () => {
    const route = httpRouteFromIngress(
      withPaths(
        path('/api', 'Prefix', backend('api', { number: 9000 })),
        path('/healthz', 'Exact', backend('api', { number: 9000 })),
        path('/static', 'ImplementationSpecific', backend('web', { number: 80 })),
        path(undefined, undefined, backend('web', { number: 80 })),
      ),
      target(),
    );
    expect((route.spec as { rules: unknown }).rules).toEqual([
      {
        matches: [
          { path: { type: 'PathPrefix', value: '/api' } },
          { path: { type: 'Exact', value: '/healthz' } },
        ],
        backendRefs: [{ name: 'api', port: 9000 }],
      },
      {
        matches: [
          { path: { type: 'PathPrefix', value: '/static' } },
          { path: { type: 'PathPrefix', value: '/' } },
        ],
        backendRefs: [{ name: 'web', port: 80 }],
      },
    ]);
  });

  it('gathers the paths of every Ingress rule, one HTTPRoute rule per Service port', () => {
    const route = httpRouteFromIngress(
      ingress({
        rules: [
          { host: 'a.example', http: { paths: [path('/a', 'Prefix', backend('web', { number: 80 }))] } },
          { host: 'b.example', http: { paths: [path('/b', 'Prefix', backend('web', { number: 8080 }))] } },
          { host: 'c.example', http: { paths: [path('/c', 'Prefix', backend('web', { number: 80 }))] } },
        ],
      }),
      target(),
    );
    const rules = (route.spec as { rules: { matches: unknown[]; backendRefs: unknown[] }[] }).rules;
    expect(rules.map((r) => [r.backendRefs, r.matches.length])).toEqual([
      [[{ name: 'web', port: 80 }], 2],
      [[{ name: 'web', port: 8080 }], 1],
    ]);
  });

  it('resolves a named port from the plan’s Service', () => {
    const route = httpRouteFromIngress(
      withPaths(path('/', 'Prefix', backend('web', { name: 'http' }))),
      target([
        service('web', [
          { name: 'metrics', port: 9090 },
          { name: 'http', port: 80, targetPort: 8080 },
        ]),
      ]),
    );
    expect((route.spec as { rules: { backendRefs: unknown }[] }).rules[0]!.backendRefs).toEqual([
      { name: 'web', port: 80 },
    ]);
  });

  it('refuses a named port of a Service the plan does not declare, naming the field and the fix', () => {
    const err = translateError(withPaths(path('/', 'Prefix', backend('web', { name: 'http' }))));
    expect(err.code).toBe('VIBE_PREVIEW_PORT_UNRESOLVED');
    expect(err.object).toBe('Ingress/web');
    expect(err.field).toBe('spec.rules[0].http.paths[0].backend.service.port.name');
    expect(err.message).toContain('names port "http" of Service web, which the plan does not declare');
    expect(err.message).toContain('set port.number instead of port.name');
  });

  it('refuses a port name the Service does not have and lists the ones it has', () => {
    const err = translateError(
      withPaths(path('/', 'Prefix', backend('web', { name: 'https' }))),
      target([service('web', [{ name: 'http', port: 80 }, { port: 81 }])]),
    );
    expect(err.code).toBe('VIBE_PREVIEW_PORT_UNRESOLVED');
    expect(err.message).toContain('Service web does not have (its named ports: http)');
  });

  it('refuses a backend without a port', () => {
    const err = translateError(withPaths(path('/', 'Prefix', { service: { name: 'web' } })));
    expect(err.code).toBe('VIBE_PREVIEW_PORT_UNRESOLVED');
    expect(err.field).toBe('spec.rules[0].http.paths[0].backend.service.port');
  });

  it('refuses resource backends', () => {
    const err = translateError(
      withPaths(path('/', 'Prefix', { resource: { apiGroup: 'example.com', kind: 'Bucket', name: 'b' } })),
    );
    expect(err.code).toBe('VIBE_PREVIEW_BACKEND_UNSUPPORTED');
    expect(err.field).toBe('spec.rules[0].http.paths[0].backend');
  });

  it('refuses a path that is not absolute', () => {
    const err = translateError(
      withPaths(path('api/.*', 'ImplementationSpecific', backend('web', { number: 80 }))),
    );
    expect(err.code).toBe('VIBE_PREVIEW_PATH_UNSUPPORTED');
    expect(err.field).toBe('spec.rules[0].http.paths[0].path');
  });

  it('routes the default backend at the lowest precedence, unless a prefix of / already serves everything', () => {
    const onlyDefault = httpRouteFromIngress(
      ingress({ defaultBackend: backend('web', { number: 80 }) }),
      target(),
    );
    expect((onlyDefault.spec as { rules: unknown }).rules).toEqual([
      { matches: [{ path: { type: 'PathPrefix', value: '/' } }], backendRefs: [{ name: 'web', port: 80 }] },
    ]);
    const both = httpRouteFromIngress(
      ingress({
        defaultBackend: backend('fallback', { number: 80 }),
        rules: [{ http: { paths: [path('/api', 'Prefix', backend('api', { number: 9000 }))] } }],
      }),
      target(),
    );
    expect(
      (both.spec as { rules: { backendRefs: { name: string }[] }[] }).rules.map(
        (r) => r.backendRefs[0]!.name,
      ),
    ).toEqual(['api', 'fallback']);
    const shadowed = httpRouteFromIngress(
      ingress({
        defaultBackend: backend('fallback', { number: 80 }),
        rules: [{ http: { paths: [path('/', 'Prefix', backend('web', { number: 80 }))] } }],
      }),
      target(),
    );
    expect((shadowed.spec as { rules: unknown[] }).rules).toHaveLength(1);
  });

  it('refuses an Ingress that routes nothing', () => {
    expect(translateError(ingress({ rules: [{ host: 'x.example' }] })).code).toBe(
      'VIBE_PREVIEW_NOTHING_ROUTED',
    );
  });

  it('refuses more backends or paths than one HTTPRoute holds', () => {
    const backends = Array.from({ length: 17 }, (_, i) =>
      path(`/p${i}`, 'Prefix', backend(`s${i}`, { number: 80 })),
    );
    const err = translateError(withPaths(...backends));
    expect(err.code).toBe('VIBE_PREVIEW_TOO_MANY_ROUTES');
    expect(err.message).toContain('routes 17 paths to 17 Service ports');
    const paths = Array.from({ length: 65 }, (_, i) =>
      path(`/p${i}`, 'Prefix', backend('web', { number: 80 })),
    );
    expect(translateError(withPaths(...paths)).code).toBe('VIBE_PREVIEW_TOO_MANY_ROUTES');
    const sixteen = Array.from({ length: 16 }, (_, i) =>
      path(`/p${i}`, 'Prefix', backend(`s${i}`, { number: 80 })),
    );
    expect(() => httpRouteFromIngress(withPaths(...sixteen), target())).not.toThrow();
  });
});
