/**
 * NetworkPolicy semantics resolved per pod: which policies isolate a pod in which direction, and
 * what traffic their rules let through, with peers resolved to addresses and named ports to
 * numbers. A connection needs both ends to agree: the source pod's egress and the destination
 * pod's ingress; a pod no policy isolates in a direction allows everything in it.
 */
import { endpointsOf, type ClusterState, type Endpoint } from './cluster-state.js';
import { parseIPv4Cidr } from './ipv4.js';
import { selectorMatches } from './label-selector.js';
import {
  policyDirections,
  type Direction,
  type NetworkPolicy,
  type NetworkPolicyEgressRule,
  type NetworkPolicyIngressRule,
  type NetworkPolicyPeer,
  type NetworkPolicyPort,
} from './network-policy.js';
import { contains, subtract, union, type Range } from './ranges.js';

/** Per protocol (TCP, UDP, SCTP): every port, or these port ranges. */
export type PortRanges = ReadonlyMap<string, 'all' | readonly Range[]>;

/** Traffic one policy rule lets through. An empty range list matches nothing. */
export interface Allowance {
  /** `namespace/policy ingress[i]`: the rule it came from, written beside the nftables rule. */
  origin: string;
  /** The other end's addresses; 'any' when the rule names no peers. */
  peers: 'any' | readonly Range[];
  /** 'any' when the rule names no ports. */
  ports: 'any' | PortRanges;
}

/** A pod some policy isolates; a direction left undefined is not isolated. */
export interface PodFirewall {
  endpoint: Endpoint;
  ingress?: Allowance[];
  egress?: Allowance[];
}

export function podFirewalls(state: ClusterState): PodFirewall[] {
  const endpoints = endpointsOf(state);
  const policies = [...state.policies].sort((a, b) => policyKey(a).localeCompare(policyKey(b)));
  const firewalls: PodFirewall[] = [];
  for (const endpoint of endpoints) {
    const selecting = policies.filter(
      (p) =>
        p.metadata?.namespace === endpoint.namespace &&
        selectorMatches(p.spec?.podSelector ?? {}, endpoint.labels),
    );
    const isolating = (direction: Direction) =>
      selecting.filter((p) => policyDirections(p).includes(direction));
    const ingressPolicies = isolating('Ingress');
    const egressPolicies = isolating('Egress');
    if (ingressPolicies.length === 0 && egressPolicies.length === 0) continue;
    const firewall: PodFirewall = { endpoint };
    if (ingressPolicies.length > 0) {
      firewall.ingress = ingressPolicies.flatMap((policy) =>
        (policy.spec?.ingress ?? []).map((rule, i) => ingressAllowance(policy, rule, i, endpoint, endpoints)),
      );
    }
    if (egressPolicies.length > 0) {
      firewall.egress = egressPolicies.flatMap((policy) =>
        (policy.spec?.egress ?? []).flatMap((rule, i) => egressAllowances(policy, rule, i, endpoints)),
      );
    }
    firewalls.push(firewall);
  }
  return firewalls;
}

function policyKey(policy: NetworkPolicy): string {
  return `${policy.metadata?.namespace ?? ''}/${policy.metadata?.name ?? ''}`;
}

/** Named ports of an ingress rule are the destination pod's own, so one allowance per rule. */
function ingressAllowance(
  policy: NetworkPolicy,
  rule: NetworkPolicyIngressRule,
  index: number,
  endpoint: Endpoint,
  endpoints: readonly Endpoint[],
): Allowance {
  return {
    origin: `${policyKey(policy)} ingress[${index}]`,
    peers: rule.from?.length ? peerAddresses(rule.from, policy, endpoints) : 'any',
    ports: rule.ports?.length
      ? portRanges(rule.ports, (name, protocol) => portOf(endpoint, name, protocol))
      : 'any',
  };
}

/**
 * A named port of an egress rule is a number per destination pod, so the rule becomes one
 * allowance for its numeric ports plus one per (protocol, number) its peer pods resolve the names
 * to. Only pods have named ports: a name never matches a destination that is not a pod.
 */
function egressAllowances(
  policy: NetworkPolicy,
  rule: NetworkPolicyEgressRule,
  index: number,
  endpoints: readonly Endpoint[],
): Allowance[] {
  const origin = `${policyKey(policy)} egress[${index}]`;
  const peers = rule.to?.length ? peerAddresses(rule.to, policy, endpoints) : 'any';
  if (!rule.ports?.length) return [{ origin, peers, ports: 'any' }];
  const allowances: Allowance[] = [];
  const numbered = rule.ports.filter((p) => typeof p.port !== 'string');
  if (numbered.length > 0) allowances.push({ origin, peers, ports: portRanges(numbered, () => undefined) });
  const destinations = endpoints.filter((e) => peers === 'any' || contains(peers, e.addressValue));
  const byPort = new Map<string, { protocol: string; port: number; addresses: Range[] }>();
  for (const { port, protocol = 'TCP' } of rule.ports) {
    if (typeof port !== 'string') continue;
    for (const destination of destinations) {
      const number = portOf(destination, port, protocol);
      if (number === undefined) continue;
      const key = `${protocol}/${String(number).padStart(5, '0')}`;
      const group = byPort.get(key) ?? { protocol, port: number, addresses: [] };
      group.addresses.push([destination.addressValue, destination.addressValue]);
      byPort.set(key, group);
    }
  }
  for (const key of [...byPort.keys()].sort()) {
    const group = byPort.get(key)!;
    allowances.push({
      origin,
      peers: union(group.addresses),
      ports: new Map([[group.protocol, [[group.port, group.port]]]]),
    });
  }
  return allowances;
}

function peerAddresses(
  peers: readonly NetworkPolicyPeer[],
  policy: NetworkPolicy,
  endpoints: readonly Endpoint[],
): Range[] {
  return union(peers.flatMap((peer) => peerRanges(peer, policy.metadata?.namespace ?? '', endpoints)));
}

/**
 * podSelector alone: pods of the policy's namespace; namespaceSelector alone: every pod of the
 * matching namespaces; both: the matching pods of the matching namespaces. An ipBlock is addresses,
 * pods or not; an IPv6 block matches nothing here, as no pod has an IPv6 address.
 */
function peerRanges(peer: NetworkPolicyPeer, namespace: string, endpoints: readonly Endpoint[]): Range[] {
  if (peer.ipBlock) {
    const block = parseIPv4Cidr(peer.ipBlock.cidr);
    if (!block) return [];
    const except = (peer.ipBlock.except ?? [])
      .map(parseIPv4Cidr)
      .filter((range): range is Range => range !== undefined);
    return subtract([block], except);
  }
  const { podSelector, namespaceSelector } = peer;
  // The API server refuses a peer that names nothing; should one get through, it matches nothing.
  if (!podSelector && !namespaceSelector) return [];
  return endpoints
    .filter(
      (e) =>
        (namespaceSelector
          ? selectorMatches(namespaceSelector, e.namespaceLabels)
          : e.namespace === namespace) &&
        (!podSelector || selectorMatches(podSelector, e.labels)),
    )
    .map((e): Range => [e.addressValue, e.addressValue]);
}

/** The ports of a rule per protocol; a named port that `resolve` does not know adds nothing. */
function portRanges(
  ports: readonly NetworkPolicyPort[],
  resolve: (name: string, protocol: string) => number | undefined,
): PortRanges {
  const all = new Set<string>();
  const ranges = new Map<string, Range[]>();
  for (const { port, endPort, protocol = 'TCP' } of ports) {
    if (port === undefined) {
      all.add(protocol);
      continue;
    }
    const first = typeof port === 'string' ? resolve(port, protocol) : port;
    if (first === undefined) continue;
    const last = typeof port === 'number' && endPort !== undefined ? endPort : first;
    ranges.set(protocol, [...(ranges.get(protocol) ?? []), [first, last]]);
  }
  const result = new Map<string, 'all' | readonly Range[]>();
  for (const protocol of [...new Set([...all, ...ranges.keys()])].sort()) {
    result.set(protocol, all.has(protocol) ? 'all' : union(ranges.get(protocol)!));
  }
  return result;
}

function portOf(endpoint: Endpoint, name: string, protocol: string): number | undefined {
  return endpoint.ports.find((p) => p.name === name && p.protocol === protocol)?.port;
}
