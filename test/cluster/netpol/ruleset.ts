/**
 * The enforcer's whole nftables table, as text for `nft -f`, from the cluster's pods, namespaces and
 * NetworkPolicies. Pure, so every case of the semantics is a unit test.
 *
 * The table hooks forward (pod to pod across the bridge, which br_netfilter hands to the inet
 * hooks, and pod to anything beyond the node) and input (pod to the node's own addresses). Replies
 * of allowed connections pass as established; traffic from the node itself is always allowed, as
 * the NetworkPolicy API requires for kubelet probes. Then a pod isolated for egress goes through
 * its egress chain, which returns when a rule allows the destination and drops otherwise, and a
 * pod isolated for ingress through its ingress chain, which accepts or drops.
 */
import type { ClusterState } from './cluster-state.js';
import { formatIPv4Range } from './ipv4.js';
import { podFirewalls, type Allowance, type PodFirewall } from './pod-firewalls.js';
import type { Range } from './ranges.js';

export interface RulesetOptions {
  /** The inet table the enforcer owns and rewrites whole. */
  table: string;
  /** The node's own addresses (the host's and the node namespace's veth ends, the bridge gateway). */
  nodeAddresses: readonly string[];
}

const NFT_PROTOCOLS: Readonly<Record<string, string>> = { TCP: 'tcp', UDP: 'udp', SCTP: 'sctp' };
/** nft refuses longer comments. */
const MAX_COMMENT = 128;

export function compileRuleset(state: ClusterState, options: RulesetOptions): string {
  return renderRuleset(podFirewalls(state), options);
}

export function renderRuleset(firewalls: readonly PodFirewall[], options: RulesetOptions): string {
  const egress = firewalls.filter((f) => f.egress);
  const ingress = firewalls.filter((f) => f.ingress);
  const egressJumps = jumpMap('saddr', egress, 'egress');
  const ingressJumps = jumpMap('daddr', ingress, 'ingress');
  const chains = [
    baseChain('forward', [
      'ct state established,related accept',
      ...(options.nodeAddresses.length > 0 ? [`ip saddr ${set(options.nodeAddresses)} accept`] : []),
      ...egressJumps,
      ...ingressJumps,
    ]),
    baseChain('input', ['ct state established,related accept', ...egressJumps]),
    ...egress.map((f) => podChain(f, 'egress', f.egress!)),
    ...ingress.map((f) => podChain(f, 'ingress', f.ingress!)),
  ];
  return `table inet ${options.table} {\n${chains.join('\n')}}\n`;
}

function chain(name: string, rules: readonly string[]): string {
  return `\tchain ${name} {\n${rules.map((r) => `\t\t${r}\n`).join('')}\t}\n`;
}

function baseChain(hook: 'forward' | 'input', rules: readonly string[]): string {
  return chain(hook, [`type filter hook ${hook} priority filter; policy accept;`, ...rules]);
}

function chainName(direction: 'ingress' | 'egress', firewall: PodFirewall): string {
  return `${direction}-${firewall.endpoint.address}`;
}

function jumpMap(
  field: 'saddr' | 'daddr',
  firewalls: readonly PodFirewall[],
  direction: 'ingress' | 'egress',
) {
  if (firewalls.length === 0) return [];
  const entries = firewalls.map((f) => `${f.endpoint.address} : jump ${chainName(direction, f)}`);
  return [`ip ${field} vmap { ${entries.join(', ')} }`];
}

/** Egress rules return to the forward chain, where the destination's ingress still has its say. */
function podChain(firewall: PodFirewall, direction: 'ingress' | 'egress', allowances: readonly Allowance[]) {
  const field = direction === 'ingress' ? 'saddr' : 'daddr';
  const verdict = direction === 'ingress' ? 'accept' : 'return';
  return chain(chainName(direction, firewall), [
    ...allowances.flatMap((a) => allowanceRules(a, field, verdict)),
    `drop comment ${comment(`${firewall.endpoint.key}: no ${direction} rule allows it`)}`,
  ]);
}

function allowanceRules(allowance: Allowance, field: 'saddr' | 'daddr', verdict: string): string[] {
  const { peers, ports } = allowance;
  if (peers !== 'any' && peers.length === 0) return [];
  const address = peers === 'any' ? '' : `ip ${field} ${set(peers.map(formatIPv4Range))} `;
  const note = ` comment ${comment(allowance.origin)}`;
  if (ports === 'any') return [`${address}${verdict}${note}`];
  return [...ports].flatMap(([protocol, ranges]) => {
    const keyword = NFT_PROTOCOLS[protocol];
    if (!keyword) return [];
    if (ranges === 'all') return [`${address}meta l4proto ${keyword} ${verdict}${note}`];
    if (ranges.length === 0) return [];
    return [`${address}${keyword} dport ${set(ranges.map(formatPortRange))} ${verdict}${note}`];
  });
}

function set(items: readonly string[]): string {
  return items.length === 1 ? items[0]! : `{ ${items.join(', ')} }`;
}

function formatPortRange([first, last]: Range): string {
  return first === last ? String(first) : `${first}-${last}`;
}

function comment(text: string): string {
  return `"${text.replaceAll('"', "'").slice(0, MAX_COMMENT)}"`;
}
