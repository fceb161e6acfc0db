/**
 * A plan's Ingress as a Gateway API HTTPRoute, for operators that expose previews through a
 * Gateway (ADR 0064). Scripts keep writing Ingresses; this is the one place that knows how the
 * two APIs map onto each other. Pure: the plan goes in, the route or a typed error comes out.
 */
import { GATEWAY_API_GROUP, type GatewayParent } from '../../policy/index.js';
import type { Manifest } from '../objects.js';

const HTTP_ROUTE_API_VERSION = `${GATEWAY_API_GROUP}/v1`;

/** What the HTTPRoute schema (gateway.networking.k8s.io/v1) accepts at most. */
const MAX_RULES = 16;
const MAX_MATCHES_PER_RULE = 64;
const MAX_MATCHES = 128;

export type PreviewRouteErrorCode =
  | 'VIBE_PREVIEW_BACKEND_UNSUPPORTED'
  | 'VIBE_PREVIEW_PORT_UNRESOLVED'
  | 'VIBE_PREVIEW_PATH_UNSUPPORTED'
  | 'VIBE_PREVIEW_NOTHING_ROUTED'
  | 'VIBE_PREVIEW_ROUTE_NAME_TAKEN'
  | 'VIBE_PREVIEW_TOO_MANY_ROUTES';

/** A route of the plan that cannot become a preview HTTPRoute; names the field and the fix. */
export class PreviewRouteError extends Error {
  constructor(
    readonly code: PreviewRouteErrorCode,
    /** `Ingress/name` */
    readonly object: string,
    readonly field: string,
    message: string,
  ) {
    super(`${object} ${field}: ${message}`);
    this.name = 'PreviewRouteError';
  }
}

export interface RouteTarget {
  /** The preview host the route answers for. */
  host: string;
  parent: GatewayParent;
  /** The plan's Services by name: named Ingress ports are resolved against them. */
  services: ReadonlyMap<string, Manifest>;
}

interface IngressBackend {
  service?: { name?: string; port?: { number?: number; name?: string } };
  resource?: unknown;
}
interface IngressPath {
  path?: string;
  pathType?: string;
  backend?: IngressBackend;
}
interface IngressSpec {
  defaultBackend?: IngressBackend;
  rules?: { http?: { paths?: IngressPath[] } }[];
}

interface ServiceSpec {
  ports?: { name?: string; port?: number }[];
}

interface PathMatch {
  path: { type: 'PathPrefix' | 'Exact'; value: string };
}
interface RouteRule {
  matches: PathMatch[];
  backendRefs: [{ name: string; port: number }];
}

/**
 * The HTTPRoute for one Ingress: same name and labels, the preview host, the configured
 * Gateway as its only parent, and one rule per backend Service port with that backend's paths.
 * The Ingress's own hosts are dropped: every rule of a preview Ingress answers for the preview host.
 */
export function httpRouteFromIngress(ingress: Manifest, target: RouteTarget): Manifest {
  const id = `Ingress/${ingress.metadata.name}`;
  const spec = (ingress.spec ?? {}) as IngressSpec;
  const rules = new Map<string, RouteRule>();
  const add = (match: PathMatch, backend: IngressBackend | undefined, field: string) => {
    const ref = backendRef(backend, field, id, target.services);
    const key = `${ref.name}:${ref.port}`;
    const rule = rules.get(key) ?? { matches: [], backendRefs: [ref] };
    rule.matches.push(match);
    rules.set(key, rule);
  };
  (spec.rules ?? []).forEach((rule, r) =>
    (rule.http?.paths ?? []).forEach((p, i) => {
      const field = `spec.rules[${r}].http.paths[${i}]`;
      add(pathMatch(p, field, id), p.backend, `${field}.backend`);
    }),
  );
  const everything = [...rules.values()].some((rule) =>
    rule.matches.some((m) => m.path.type === 'PathPrefix' && m.path.value === '/'),
  );
  // The default backend serves what no path matches; a prefix of / leaves it nothing to serve.
  if (spec.defaultBackend && !everything) {
    add({ path: { type: 'PathPrefix', value: '/' } }, spec.defaultBackend, 'spec.defaultBackend');
  }
  checkLimits([...rules.values()], id);
  return {
    apiVersion: HTTP_ROUTE_API_VERSION,
    kind: 'HTTPRoute',
    metadata: {
      name: ingress.metadata.name,
      ...(ingress.metadata.namespace ? { namespace: ingress.metadata.namespace } : {}),
      ...(ingress.metadata.labels ? { labels: ingress.metadata.labels } : {}),
    },
    spec: {
      parentRefs: [parentRef(target.parent)],
      hostnames: [target.host],
      rules: [...rules.values()],
    },
  };
}

export function parentRef(parent: GatewayParent): Record<string, string> {
  return {
    group: GATEWAY_API_GROUP,
    kind: 'Gateway',
    namespace: parent.namespace,
    name: parent.name,
    ...(parent.sectionName ? { sectionName: parent.sectionName } : {}),
  };
}

function pathMatch(p: IngressPath, field: string, id: string): PathMatch {
  const value = p.path ?? '/';
  if (!value.startsWith('/')) {
    throw new PreviewRouteError(
      'VIBE_PREVIEW_PATH_UNSUPPORTED',
      id,
      `${field}.path`,
      `"${value}" is not an absolute path, which an HTTPRoute path match must be. ` +
        'Use a path starting with /, with pathType Prefix or Exact.',
    );
  }
  // ImplementationSpecific is a prefix match for the preview router and most ingress controllers.
  return { path: { type: p.pathType === 'Exact' ? 'Exact' : 'PathPrefix', value } };
}

function backendRef(
  backend: IngressBackend | undefined,
  field: string,
  id: string,
  services: ReadonlyMap<string, Manifest>,
): { name: string; port: number } {
  const service = backend?.service;
  if (!service?.name) {
    throw new PreviewRouteError(
      'VIBE_PREVIEW_BACKEND_UNSUPPORTED',
      id,
      field,
      'is not a Service backend; an HTTPRoute forwards to Services only. Point the path at a Service and its port.',
    );
  }
  if (service.port?.number !== undefined) return { name: service.name, port: service.port.number };
  const portName = service.port?.name;
  const portField = `${field}.service.port`;
  if (!portName) {
    throw new PreviewRouteError(
      'VIBE_PREVIEW_PORT_UNRESOLVED',
      id,
      portField,
      `names no port of Service ${service.name}. Set port.number to the Service port.`,
    );
  }
  const declared = services.get(service.name);
  if (!declared) {
    throw new PreviewRouteError(
      'VIBE_PREVIEW_PORT_UNRESOLVED',
      id,
      `${portField}.name`,
      `names port "${portName}" of Service ${service.name}, which the plan does not declare, so its number is unknown. ` +
        `Declare Service ${service.name} in the plan, or set port.number instead of port.name.`,
    );
  }
  const ports = (declared.spec as ServiceSpec | undefined)?.ports ?? [];
  const port = ports.find((p) => p.name === portName)?.port;
  if (port === undefined) {
    const names = ports.map((p) => p.name).filter(Boolean);
    throw new PreviewRouteError(
      'VIBE_PREVIEW_PORT_UNRESOLVED',
      id,
      `${portField}.name`,
      `names port "${portName}", which Service ${service.name} does not have ` +
        `(its named ports: ${names.length ? names.join(', ') : 'none'}). Use one of them, or set port.number.`,
    );
  }
  return { name: service.name, port };
}

function checkLimits(rules: RouteRule[], id: string): void {
  if (rules.length === 0) {
    throw new PreviewRouteError(
      'VIBE_PREVIEW_NOTHING_ROUTED',
      id,
      'spec.rules',
      'routes no path and has no default backend. Route at least one path to a Service port.',
    );
  }
  const matches = rules.reduce((n, r) => n + r.matches.length, 0);
  const crowded = rules.find((r) => r.matches.length > MAX_MATCHES_PER_RULE);
  if (rules.length > MAX_RULES || matches > MAX_MATCHES || crowded) {
    throw new PreviewRouteError(
      'VIBE_PREVIEW_TOO_MANY_ROUTES',
      id,
      'spec.rules',
      `routes ${matches} paths to ${rules.length} Service ports; one HTTPRoute holds at most ${MAX_RULES} ` +
        `backends, ${MAX_MATCHES_PER_RULE} paths per backend and ${MAX_MATCHES} paths in all. ` +
        'Split the paths over several Ingresses.',
    );
  }
}
