/**
 * The preview router's routing table, computed from what the API server says:
 * Ingresses of the router's class (and HTTPRoutes of its Gateway, see
 * http-routes.ts) give host + path -> Service port; the Service names the
 * port; its EndpointSlices give the ready pod addresses. Pure: the informers
 * feed it, the HTTP proxy reads it.
 */
import type { KubeObject } from '../reconciler/resource.js';

export interface IngressObject extends KubeObject {
  spec?: {
    ingressClassName?: string;
    defaultBackend?: { service?: ServiceBackend };
    rules?: {
      host?: string;
      http?: { paths?: { path?: string; pathType?: string; backend: { service?: ServiceBackend } }[] };
    }[];
  };
}

export interface ServiceBackend {
  name: string;
  port?: { number?: number; name?: string };
}

export interface ServiceObject extends KubeObject {
  spec?: { ports?: { name?: string; port: number; targetPort?: number | string }[] };
}

export interface EndpointSliceObject extends KubeObject {
  ports?: { name?: string | null; port?: number | null }[] | null;
  endpoints?: { addresses: string[]; conditions?: { ready?: boolean | null } }[] | null;
}

export interface Backend {
  namespace: string;
  service: string;
  /** host:port of each ready endpoint. */
  addresses: string[];
}

export interface Route {
  /** The Ingress path; '' matches everything. */
  path: string;
  exact: boolean;
  backend: Backend;
}

export type RouteTable = Map<string, Route[]>;

/** One host + path -> Service port, before the Service's endpoints are known. */
export interface RouteEntry {
  /** Lower case; '' matches any host. */
  host: string;
  path: string;
  exact: boolean;
  namespace: string;
  service: ServiceBackend;
  /** When the route naming the host was created: the oldest claim on a host keeps it. */
  created?: string;
}

/** The entries of the Ingresses whose class is `ingressClassName`. */
export function ingressEntries(ingressClassName: string, ingresses: IngressObject[]): RouteEntry[] {
  const entries: RouteEntry[] = [];
  for (const ingress of ingresses) {
    if (ingress.spec?.ingressClassName !== ingressClassName) continue;
    const namespace = ingress.metadata.namespace ?? 'default';
    const created = ingress.metadata.creationTimestamp;
    for (const rule of ingress.spec.rules ?? []) {
      const host = (rule.host ?? '').toLowerCase();
      for (const p of rule.http?.paths ?? []) {
        if (!p.backend.service) continue;
        entries.push({
          host,
          path: p.path ?? '',
          exact: p.pathType === 'Exact',
          namespace,
          service: p.backend.service,
          ...(created ? { created } : {}),
        });
      }
      if (ingress.spec.defaultBackend?.service) {
        entries.push({
          host,
          path: '',
          exact: false,
          namespace,
          service: ingress.spec.defaultBackend.service,
          ...(created ? { created } : {}),
        });
      }
    }
  }
  return entries;
}

/**
 * A host is served for one namespace only: the one whose route claimed it first (oldest
 * creationTimestamp, then namespace name). Routes of other namespaces naming the same host are
 * left out, so no environment answers for, or reads the traffic of, another one's preview.
 */
export function claimedEntries(entries: RouteEntry[]): RouteEntry[] {
  const owner = new Map<string, RouteEntry>();
  for (const entry of entries) {
    const held = owner.get(entry.host);
    const key = (e: RouteEntry) => `${e.created ?? '~'} ${e.namespace}`;
    if (!held || key(entry) < key(held)) owner.set(entry.host, entry);
  }
  return entries.filter((entry) => owner.get(entry.host)!.namespace === entry.namespace);
}

/** Builds host -> routes, longest path first and Exact before Prefix of the same path. */
export function buildRoutes(
  entries: RouteEntry[],
  services: Map<string, ServiceObject>,
  slicesByService: Map<string, EndpointSliceObject[]>,
): RouteTable {
  const table: RouteTable = new Map();
  for (const entry of claimedEntries(entries)) {
    const routes = table.get(entry.host) ?? [];
    routes.push({
      path: entry.path,
      exact: entry.exact,
      backend: {
        namespace: entry.namespace,
        service: entry.service.name,
        addresses: readyAddresses(entry.namespace, entry.service, services, slicesByService),
      },
    });
    table.set(entry.host, routes);
  }
  for (const routes of table.values())
    routes.sort((a, b) => b.path.length - a.path.length || Number(b.exact) - Number(a.exact));
  return table;
}

function readyAddresses(
  namespace: string,
  ref: ServiceBackend,
  services: Map<string, ServiceObject>,
  slicesByService: Map<string, EndpointSliceObject[]>,
): string[] {
  const service = services.get(`${namespace}/${ref.name}`);
  const servicePort = service?.spec?.ports?.find((p) =>
    ref.port?.name !== undefined ? p.name === ref.port.name : p.port === ref.port?.number,
  );
  if (!servicePort) return [];
  // EndpointSlice ports carry the Service port's name and the resolved target port.
  const portName = servicePort.name ?? '';
  const addresses: string[] = [];
  for (const slice of slicesByService.get(`${namespace}/${ref.name}`) ?? []) {
    const port = slice.ports?.find((p) => (p.name ?? '') === portName)?.port;
    if (port == null) continue;
    for (const endpoint of slice.endpoints ?? []) {
      if (endpoint.conditions?.ready === false) continue;
      for (const address of endpoint.addresses) addresses.push(`${address}:${port}`);
    }
  }
  return addresses;
}

/** The route for a request, by Ingress and HTTPRoute path semantics (a prefix matches whole path segments). */
export function matchRoute(table: RouteTable, host: string, path: string): Route | undefined {
  const routes = table.get(host.toLowerCase().replace(/:\d+$/, '')) ?? table.get('');
  return routes?.find((r) => {
    if (r.exact) return path === r.path;
    if (r.path === '' || r.path === '/') return true;
    const prefix = r.path.replace(/\/$/, '');
    return path === prefix || path.startsWith(`${prefix}/`);
  });
}
