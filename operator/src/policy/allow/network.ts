/**
 * NetworkPolicies a plan may add. Policies only ever add allowed traffic to the operator's
 * default-deny, so a plan's policy may name only the environment's own pods as peers, and public
 * addresses as egress destinations where the policy document allows internet egress.
 */
import { nonPublicReach, parseCidr } from '../cidr.js';
import { fields, forbid, int, isObj, list, oneOf, port, anyString, type Rule } from './rules.js';
import { labelSelector } from './selectors.js';

const ipBlock: Rule = (value, at, c) => {
  fields({ cidr: anyString, except: list(anyString, 64) })(value, at, c);
  if (!isObj(value) || typeof value.cidr !== 'string') return;
  if (!c.input.policy.network.internetEgress) {
    return c.report(
      'VIBE_POLICY_NETWORK_EGRESS',
      at,
      'opens egress to addresses outside the environment; the policy allows no internet egress.',
      'remove the ipBlock; pods reach only the environment and the cluster DNS.',
    );
  }
  const cidr = parseCidr(value.cidr);
  const except = (Array.isArray(value.except) ? value.except : []).map((e) =>
    typeof e === 'string' ? parseCidr(e) : undefined,
  );
  if (!cidr || except.some((e) => e === undefined)) {
    return c.report(
      'VIBE_POLICY_FIELD_VALUE',
      at,
      'holds something that is not a CIDR.',
      'write CIDRs such as 203.0.113.0/24.',
    );
  }
  const extra = c.input.policy.network.clusterCidrs.flatMap((text) => parseCidr(text) ?? []);
  const reached = nonPublicReach(cidr, except as NonNullable<(typeof except)[number]>[], extra);
  if (reached) {
    c.report(
      'VIBE_POLICY_NETWORK_EGRESS',
      `${at}.cidr`,
      `reaches ${reached}, which is not a public address range (cluster, node, metadata or private addresses).`,
      `list ${reached} under except, or narrow the cidr to public addresses.`,
    );
  }
};

const peer = (direction: 'ingress' | 'egress'): Rule =>
  fields({
    podSelector: labelSelector,
    namespaceSelector: forbid(
      'VIBE_POLICY_NETWORK_PEER',
      'names pods of other namespaces as peers.',
      "remove namespaceSelector; peers are the environment's own pods.",
    ),
    ipBlock:
      direction === 'egress'
        ? ipBlock
        : forbid(
            'VIBE_POLICY_NETWORK_PEER',
            'lets addresses outside the environment in.',
            'remove the ipBlock; preview traffic is let in by the operator.',
          ),
  });

const ports = list(fields({ protocol: oneOf(['TCP', 'UDP', 'SCTP']), port, endPort: int(1, 65535) }), 32);

/** A rule without peers matches every peer, inside the cluster and out. */
const rule = (direction: 'ingress' | 'egress'): Rule => {
  const key = direction === 'ingress' ? 'from' : 'to';
  return (value, at, c) => {
    fields({ [key]: list(peer(direction), 32), ports })(value, at, c);
    if (isObj(value) && !(Array.isArray(value[key]) && value[key].length > 0)) {
      c.report(
        'VIBE_POLICY_NETWORK_PEER',
        `${at}.${key}`,
        `has no ${key} list, so it matches every ${direction === 'ingress' ? 'source' : 'destination'}.`,
        `list the environment's pods in ${key} (e.g. ${key}: [{ podSelector: {} }]).`,
      );
    }
  };
};

export const networkPolicySpec = fields({
  podSelector: labelSelector,
  policyTypes: list(oneOf(['Ingress', 'Egress']), 2),
  ingress: list(rule('ingress'), 32),
  egress: list(rule('egress'), 32),
});
