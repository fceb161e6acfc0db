import { LABEL_ACTIVATOR_ROUTE } from '../../api/labels.js';
import type { Manifest } from '../objects.js';

/** The selector-less Service in a sleeping environment's namespace whose one endpoint is the activator. */
export const ACTIVATOR_SERVICE = 'vibe-activator';

/** Traefik's router priority annotation: 1 loses to every router of the plan's own Ingresses. */
export const ROUTER_PRIORITY_ANNOTATION = 'traefik.ingress.kubernetes.io/router.priority';

const PORT_NAME = 'http';
const SERVICE_PORT = 80;
const NAME_LIMIT = 253;

export interface ActivatorEndpoint {
  address: string;
  port: number;
}

/** Reads an IPV4:PORT already validated by the config. */
export function activatorEndpoint(value: string): ActivatorEndpoint {
  const colon = value.lastIndexOf(':');
  return { address: value.slice(0, colon), port: Number(value.slice(colon + 1)) };
}

interface IngressPath {
  path?: string;
  pathType?: string;
}

interface IngressManifest extends Manifest {
  spec?: {
    ingressClassName?: string;
    tls?: unknown[];
    rules?: { host?: string; http?: { paths?: IngressPath[] } }[];
  };
}

/**
 * What routes a sleeping environment's previews to the activator (ADR 0096): a Service without a
 * selector, an EndpointSlice naming only the activator's address (written by the operator: the
 * plans' applier may not write EndpointSlices), and per plan Ingress a copy with the same class,
 * hosts, paths and TLS whose every path goes to that Service, at the lowest router priority. The
 * controller drops a route whose Service has no endpoint (Traefik does by default), so while the
 * workloads are at zero the copy answers; as soon as a pod is ready the plan's own route wins again.
 */
export function activatorRoutes(manifests: readonly Manifest[], endpoint: ActivatorEndpoint): Manifest[] {
  const ingresses = manifests.filter(
    (m): m is IngressManifest => m.apiVersion === 'networking.k8s.io/v1' && m.kind === 'Ingress',
  );
  const copies = ingresses.flatMap((ingress) => copyOf(ingress));
  if (copies.length === 0) return [];
  const labels = { [LABEL_ACTIVATOR_ROUTE]: 'true' };
  return [
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: ACTIVATOR_SERVICE, labels },
      spec: {
        type: 'ClusterIP',
        ports: [{ name: PORT_NAME, port: SERVICE_PORT, targetPort: endpoint.port, protocol: 'TCP' }],
      },
    },
    {
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: {
        name: ACTIVATOR_SERVICE,
        labels: {
          ...labels,
          'kubernetes.io/service-name': ACTIVATOR_SERVICE,
          // Any manager but the EndpointSlice controller's: it leaves this slice alone.
          'endpointslice.kubernetes.io/managed-by': 'vibe-operator',
        },
      },
      addressType: 'IPv4',
      endpoints: [{ addresses: [endpoint.address], conditions: { ready: true, serving: true } }],
      ports: [{ name: PORT_NAME, port: endpoint.port, protocol: 'TCP' }],
    },
    ...copies,
  ];
}

function copyOf(ingress: IngressManifest): Manifest[] {
  const rules = (ingress.spec?.rules ?? [])
    .filter((rule) => rule.host && (rule.http?.paths ?? []).length > 0)
    .map((rule) => ({
      host: rule.host,
      http: {
        paths: (rule.http?.paths ?? []).map((p) => ({
          path: p.path ?? '/',
          pathType: p.pathType ?? 'Prefix',
          backend: { service: { name: ACTIVATOR_SERVICE, port: { number: SERVICE_PORT } } },
        })),
      },
    }));
  if (rules.length === 0) return [];
  const { ingressClassName, tls } = ingress.spec ?? {};
  return [
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: {
        name: `${ACTIVATOR_SERVICE}-${ingress.metadata.name}`.slice(0, NAME_LIMIT).replace(/[-.]+$/, ''),
        labels: { [LABEL_ACTIVATOR_ROUTE]: 'true' },
        annotations: { [ROUTER_PRIORITY_ANNOTATION]: '1' },
      },
      spec: {
        ...(ingressClassName ? { ingressClassName } : {}),
        ...(tls ? { tls } : {}),
        rules,
      },
    },
  ];
}
