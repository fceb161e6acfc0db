/**
 * HTTPRoutes (gateway.networking.k8s.io/v1) as routing-table entries: the preview router stands
 * in for the Gateway previews are configured with, so it serves the routes attached to that
 * Gateway and nothing else. Only what previews use is served: exact hostnames, PathPrefix and
 * Exact path matches, one Service backend per rule in the route's own namespace.
 */
import type { KubeObject } from '../reconciler/resource.js';
import type { RouteEntry } from './routes.js';

const GATEWAY_API_GROUP = 'gateway.networking.k8s.io';

/** The Gateway (and optionally one listener) the router serves routes of. */
export interface GatewayRef {
  namespace: string;
  name: string;
  sectionName?: string;
}

interface ParentRef {
  group?: string;
  kind?: string;
  namespace?: string;
  name: string;
  sectionName?: string;
}

interface RouteMatch {
  path?: { type?: string; value?: string };
  headers?: unknown[];
  queryParams?: unknown[];
  method?: string;
}

interface BackendRef {
  group?: string;
  kind?: string;
  namespace?: string;
  name: string;
  port?: number;
  weight?: number;
}

export interface HttpRouteObject extends KubeObject {
  spec?: {
    parentRefs?: ParentRef[];
    hostnames?: string[];
    rules?: { matches?: RouteMatch[]; backendRefs?: BackendRef[] }[];
  };
}

/** The entries of the HTTPRoutes attached to `gateway`. */
export function httpRouteEntries(gateway: GatewayRef, routes: HttpRouteObject[]): RouteEntry[] {
  const entries: RouteEntry[] = [];
  for (const route of routes) {
    const namespace = route.metadata.namespace ?? 'default';
    const created = route.metadata.creationTimestamp;
    const spec = route.spec ?? {};
    if (!(spec.parentRefs ?? []).some((ref) => attaches(ref, namespace, gateway))) continue;
    // Wildcard hostnames are left out: preview hosts are exact, and a wildcard would claim other hosts.
    const named = (spec.hostnames ?? []).filter((h) => !h.startsWith('*.')).map((h) => h.toLowerCase());
    if (spec.hostnames?.length && named.length === 0) continue;
    const hosts = named.length ? named : [''];
    for (const rule of spec.rules ?? []) {
      const backend = serviceBackend(rule.backendRefs ?? [], namespace);
      if (!backend) continue;
      for (const match of rule.matches?.length ? rule.matches : [{}]) {
        const path = pathOf(match);
        if (!path) continue;
        for (const host of hosts) {
          entries.push({ host, ...path, namespace, service: backend, ...(created ? { created } : {}) });
        }
      }
    }
  }
  return entries;
}

/** Whether a parentRef attaches the route to the Gateway, as a Gateway implementation decides it. */
function attaches(ref: ParentRef, routeNamespace: string, gateway: GatewayRef): boolean {
  return (
    (ref.group ?? GATEWAY_API_GROUP) === GATEWAY_API_GROUP &&
    (ref.kind ?? 'Gateway') === 'Gateway' &&
    ref.name === gateway.name &&
    (ref.namespace ?? routeNamespace) === gateway.namespace &&
    // A route without a sectionName attaches to every listener, the served one among them.
    (ref.sectionName === undefined ||
      gateway.sectionName === undefined ||
      ref.sectionName === gateway.sectionName)
  );
}

/**
 * The path of a match the router can honour. Header, query and method conditions narrow a
 * match in ways the router does not check, so serving such a match would answer requests the
 * route never asked for; they are left out, as are regular expressions.
 */
function pathOf(match: RouteMatch): { path: string; exact: boolean } | undefined {
  if (match.headers?.length || match.queryParams?.length || match.method) return undefined;
  const type = match.path?.type ?? 'PathPrefix';
  const value = match.path?.value ?? '/';
  if (type === 'Exact') return { path: value, exact: true };
  if (type === 'PathPrefix') return { path: value, exact: false };
  return undefined;
}

/** The rule's Service backend; cross-namespace references need a ReferenceGrant the router does not read. */
function serviceBackend(refs: BackendRef[], namespace: string): RouteEntry['service'] | undefined {
  const ref = refs.find(
    (r) =>
      (r.group ?? '') === '' &&
      (r.kind ?? 'Service') === 'Service' &&
      (r.namespace ?? namespace) === namespace &&
      r.weight !== 0 &&
      r.port !== undefined,
  );
  return ref ? { name: ref.name, port: { number: ref.port! } } : undefined;
}
