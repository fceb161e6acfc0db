/**
 * What an HTTPRoute of a plan may attach to. A Gateway is shared by every environment, so a
 * script that names any Gateway it likes could publish itself on listeners the operator never
 * meant for previews; only the Gateway the operator is configured with is accepted.
 */
import type { Violation } from './violation.js';

/** The Gateway (and optionally one listener of it) preview HTTPRoutes attach to. */
export interface GatewayParent {
  readonly namespace: string;
  readonly name: string;
  readonly sectionName?: string;
}

export const GATEWAY_API_GROUP = 'gateway.networking.k8s.io';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The violations of one HTTPRoute's spec.parentRefs. `routeNamespace` is where the route
 * lands: a parentRef without a namespace means that namespace, as the Gateway API defines it.
 */
export function checkRouteParents(
  spec: Obj,
  id: string,
  routeNamespace: string | undefined,
  gateway: GatewayParent | undefined,
): Violation[] {
  const refs = Array.isArray(spec.parentRefs) ? spec.parentRefs : [];
  return refs.flatMap((ref: unknown, i): Violation[] => {
    const field = `spec.parentRefs[${i}]`;
    if (!gateway) {
      return [
        {
          code: 'VIBE_POLICY_ROUTE_PARENT',
          object: id,
          field,
          message: 'attaches the route to a Gateway, but this operator exposes previews through Ingresses.',
          fix: 'remove spec.parentRefs and expose the service with an Ingress (a public service).',
        },
      ];
    }
    if (isObj(ref) && namesGateway(ref, routeNamespace, gateway)) return [];
    const wanted = `${gateway.namespace}/${gateway.name}${gateway.sectionName ? ` (listener ${gateway.sectionName})` : ''}`;
    return [
      {
        code: 'VIBE_POLICY_ROUTE_PARENT',
        object: id,
        field,
        message: `names ${describeRef(ref, routeNamespace)}; preview routes may attach only to the Gateway ${wanted}.`,
        fix: 'remove spec.parentRefs: the operator attaches preview routes to its Gateway itself.',
      },
    ];
  });
}

function namesGateway(ref: Obj, routeNamespace: string | undefined, gateway: GatewayParent): boolean {
  const group = ref.group ?? GATEWAY_API_GROUP;
  const kind = ref.kind ?? 'Gateway';
  const namespace = ref.namespace ?? routeNamespace;
  return (
    group === GATEWAY_API_GROUP &&
    kind === 'Gateway' &&
    ref.name === gateway.name &&
    namespace === gateway.namespace &&
    // Without a sectionName a route attaches to every listener, not only the configured one.
    ref.sectionName === gateway.sectionName &&
    ref.port === undefined
  );
}

function describeRef(ref: unknown, routeNamespace: string | undefined): string {
  if (!isObj(ref)) return 'something that is not a parent reference';
  const kind = typeof ref.kind === 'string' ? ref.kind : 'Gateway';
  const namespace = typeof ref.namespace === 'string' ? ref.namespace : (routeNamespace ?? '(its own)');
  const section = typeof ref.sectionName === 'string' ? ` listener ${ref.sectionName}` : '';
  const port = typeof ref.port === 'number' ? ` port ${ref.port}` : '';
  return `${kind} ${namespace}/${String(ref.name)}${section}${port}`;
}
