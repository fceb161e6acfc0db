/**
 * What the enforcer reads from the API server, reduced to what NetworkPolicy depends on: pods that
 * have their own IPv4 address (host-network pods share the node's and are not policy targets),
 * their labels, namespace labels and named container ports.
 */
import type { V1Namespace, V1Pod } from '@kubernetes/client-node';
import { parseIPv4 } from './ipv4.js';
import type { Labels } from './label-selector.js';
import type { NetworkPolicy } from './network-policy.js';

export interface ClusterState {
  namespaces: readonly V1Namespace[];
  pods: readonly V1Pod[];
  policies: readonly NetworkPolicy[];
}

export interface NamedPort {
  name: string;
  protocol: string;
  port: number;
}

/** A pod as NetworkPolicy sees it: an address that policies select and that peers resolve to. */
export interface Endpoint {
  /** namespace/name, for comments and logs. */
  key: string;
  namespace: string;
  address: string;
  addressValue: number;
  labels: Labels;
  namespaceLabels: Labels;
  ports: readonly NamedPort[];
}

/** The API server sets this label on every namespace; a namespace not yet seen still has it. */
const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

export function endpointsOf(state: ClusterState): Endpoint[] {
  const namespaceLabels = new Map(
    state.namespaces.map((ns) => [ns.metadata?.name ?? '', ns.metadata?.labels ?? {}]),
  );
  const byAddress = new Map<string, V1Pod>();
  for (const pod of state.pods) {
    const address = podAddress(pod);
    if (address === undefined) continue;
    const other = byAddress.get(address);
    if (!other || holdsAddress(pod, other)) byAddress.set(address, pod);
  }
  return [...byAddress]
    .map(([address, pod]): Endpoint => {
      const namespace = pod.metadata?.namespace ?? '';
      return {
        key: `${namespace}/${pod.metadata?.name ?? ''}`,
        namespace,
        address,
        addressValue: parseIPv4(address)!,
        labels: pod.metadata?.labels ?? {},
        namespaceLabels: namespaceLabels.get(namespace) ?? { [NAMESPACE_NAME_LABEL]: namespace },
        ports: namedPorts(pod),
      };
    })
    .sort((a, b) => a.addressValue - b.addressValue);
}

/**
 * Two pods can report one address for a moment: a deleted pod whose status still shows the address
 * its successor was just given. The pod not being deleted holds it, else the newer one.
 */
function holdsAddress(pod: V1Pod, other: V1Pod): boolean {
  const deleting = (p: V1Pod) => p.metadata?.deletionTimestamp !== undefined;
  if (deleting(pod) !== deleting(other)) return !deleting(pod);
  // client-node types it as a Date; a watch delivers the RFC 3339 text. Date() takes either.
  const created = (p: V1Pod) => new Date(p.metadata?.creationTimestamp ?? 0).getTime();
  return created(pod) > created(other);
}

/**
 * The pod's IPv4 address while it can use it: finished pods (Succeeded, Failed) may have handed it
 * to a new pod already.
 */
function podAddress(pod: V1Pod): string | undefined {
  if (pod.spec?.hostNetwork) return undefined;
  if (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') return undefined;
  const candidates = [...(pod.status?.podIPs ?? []).map((p) => p.ip), pod.status?.podIP];
  return candidates.find((ip): ip is string => ip !== undefined && parseIPv4(ip) !== undefined);
}

/** Named container ports; init containers count too, as sidecars (restartPolicy Always) serve on theirs. */
function namedPorts(pod: V1Pod): NamedPort[] {
  return [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])].flatMap((container) =>
    (container.ports ?? []).flatMap((p) =>
      p.name ? [{ name: p.name, protocol: p.protocol ?? 'TCP', port: p.containerPort }] : [],
    ),
  );
}
