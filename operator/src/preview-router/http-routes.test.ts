import { describe, expect, it } from 'vitest';
import { httpRouteEntries, type HttpRouteObject } from './http-routes.js';
import { buildRoutes, matchRoute, type EndpointSliceObject, type ServiceObject } from './routes.js';

type Spec = NonNullable<HttpRouteObject['spec']>;

const gateway = { namespace: 'infra', name: 'preview', sectionName: 'http' };
const parent = { group: 'gateway.networking.k8s.io', kind: 'Gateway', namespace: 'infra', name: 'preview' };

const route = (spec: Partial<Spec>, namespace = 'env'): HttpRouteObject => ({
  metadata: { name: 'web', namespace },
  spec: {
    parentRefs: [parent],
    hostnames: ['web.vibe.localhost'],
    rules: [{ backendRefs: [{ name: 'web', port: 80 }] }],
    ...spec,
  },
});

describe('httpRouteEntries', () => {
  it('serves a route attached to the Gateway, a missing match meaning every path', () => {
    expect(httpRouteEntries(gateway, [route({})])).toEqual([
      {
        host: 'web.vibe.localhost',
        path: '/',
        exact: false,
        namespace: 'env',
        service: { name: 'web', port: { number: 80 } },
      },
    ]);
  });

  it('attaches by the Gateway API defaults: group, kind, the route namespace, any listener', () => {
    const attached = (ref: Record<string, unknown>, namespace = 'env') =>
      httpRouteEntries(gateway, [route({ parentRefs: [ref as never] }, namespace)]).length > 0;
    expect(attached({ name: 'preview', namespace: 'infra' })).toBe(true);
    expect(attached({ name: 'preview', namespace: 'infra', sectionName: 'http' })).toBe(true);
    expect(attached({ name: 'preview' }, 'infra')).toBe(true);
    expect(attached({ name: 'preview' })).toBe(false);
    expect(attached({ name: 'other', namespace: 'infra' })).toBe(false);
    expect(attached({ name: 'preview', namespace: 'infra', sectionName: 'admin' })).toBe(false);
    expect(attached({ name: 'preview', namespace: 'infra', kind: 'Service', group: '' })).toBe(false);
    expect(httpRouteEntries(gateway, [route({ parentRefs: [] })])).toEqual([]);
  });

  it('serves any listener of the Gateway when no section is configured', () => {
    const whole = { namespace: 'infra', name: 'preview' };
    const ref = { ...parent, sectionName: 'admin' };
    expect(httpRouteEntries(whole, [route({ parentRefs: [ref] })])).toHaveLength(1);
  });

  it('maps PathPrefix and Exact and leaves out what the router cannot honour', () => {
    const entries = httpRouteEntries(gateway, [
      route({
        rules: [
          {
            matches: [
              { path: { type: 'PathPrefix', value: '/api' } },
              { path: { type: 'Exact', value: '/healthz' } },
              { path: { type: 'RegularExpression', value: '/v[0-9]+' } },
              { path: { type: 'PathPrefix', value: '/admin' }, headers: [{ name: 'x-admin', value: '1' }] },
              { path: { type: 'PathPrefix', value: '/post' }, method: 'POST' },
            ],
            backendRefs: [{ name: 'api', port: 9000 }],
          },
        ],
      }),
    ]);
    expect(entries.map((e) => [e.path, e.exact])).toEqual([
      ['/api', false],
      ['/healthz', true],
    ]);
  });

  it('takes the first Service backend of the route namespace with a port and some weight', () => {
    const backendOf = (backendRefs: NonNullable<Spec['rules']>[number]['backendRefs']) =>
      httpRouteEntries(gateway, [route({ rules: [{ backendRefs }] })]).map((e) => e.service.name);
    expect(
      backendOf([
        { name: 'a', port: 80, weight: 0 },
        { name: 'b', port: 80 },
      ]),
    ).toEqual(['b']);
    expect(backendOf([{ name: 'a', port: 80, namespace: 'other' }])).toEqual([]);
    expect(backendOf([{ name: 'a', port: 80, group: 'example.com', kind: 'Bucket' }])).toEqual([]);
    expect(backendOf([{ name: 'a' }])).toEqual([]);
    expect(backendOf([])).toEqual([]);
  });

  it('serves every exact hostname, any host without hostnames, and no wildcard', () => {
    const hosts = (hostnames?: string[]) =>
      httpRouteEntries(gateway, [route(hostnames ? { hostnames } : { hostnames: undefined })]).map(
        (e) => e.host,
      );
    expect(hosts(['A.vibe.localhost', 'b.vibe.localhost'])).toEqual(['a.vibe.localhost', 'b.vibe.localhost']);
    expect(hosts()).toEqual(['']);
    expect(hosts(['*.vibe.localhost'])).toEqual([]);
  });

  it('routes a request to the endpoints behind the route, Exact before PathPrefix of the same path', () => {
    const services = new Map<string, ServiceObject>([
      ['env/web', { metadata: { name: 'web', namespace: 'env' }, spec: { ports: [{ port: 80 }] } }],
      ['env/api', { metadata: { name: 'api', namespace: 'env' }, spec: { ports: [{ port: 9000 }] } }],
    ]);
    const slices = new Map<string, EndpointSliceObject[]>([
      [
        'env/web',
        [
          {
            metadata: { name: 'w', namespace: 'env' },
            ports: [{ port: 8080 }],
            endpoints: [{ addresses: ['10.0.0.1'] }],
          },
        ],
      ],
      [
        'env/api',
        [
          {
            metadata: { name: 'a', namespace: 'env' },
            ports: [{ port: 9000 }],
            endpoints: [{ addresses: ['10.0.0.2'] }],
          },
        ],
      ],
    ]);
    const entries = httpRouteEntries(gateway, [
      route({
        rules: [
          {
            matches: [{ path: { type: 'PathPrefix', value: '/x' } }],
            backendRefs: [{ name: 'web', port: 80 }],
          },
          { matches: [{ path: { type: 'Exact', value: '/x' } }], backendRefs: [{ name: 'api', port: 9000 }] },
          { backendRefs: [{ name: 'web', port: 80 }] },
        ],
      }),
    ]);
    const table = buildRoutes(entries, services, slices);
    expect(matchRoute(table, 'web.vibe.localhost:8088', '/x')?.backend.addresses).toEqual(['10.0.0.2:9000']);
    expect(matchRoute(table, 'web.vibe.localhost', '/x/y')?.backend.addresses).toEqual(['10.0.0.1:8080']);
    expect(matchRoute(table, 'web.vibe.localhost', '/')?.backend.service).toBe('web');
    expect(matchRoute(table, 'other.vibe.localhost', '/')).toBeUndefined();
  });
});
