/**
 * networking.k8s.io/v1 NetworkPolicy as the API server serves it. client-node's generated model
 * renames `from` to `_from`, which the JSON a watch delivers does not have, so the enforcer types
 * the wire shape itself and reuses client-node's types only where they match the wire.
 */
import type { V1IPBlock, V1LabelSelector, V1ObjectMeta } from '@kubernetes/client-node';

export interface NetworkPolicyPeer {
  podSelector?: V1LabelSelector;
  namespaceSelector?: V1LabelSelector;
  ipBlock?: V1IPBlock;
}

export interface NetworkPolicyPort {
  /** TCP when absent. */
  protocol?: string;
  /** A number, or the name of a container port of the pod at the far end; every port when absent. */
  port?: number | string;
  /** With a numeric port: the last port of the range. */
  endPort?: number;
}

export interface NetworkPolicyIngressRule {
  from?: NetworkPolicyPeer[];
  ports?: NetworkPolicyPort[];
}

export interface NetworkPolicyEgressRule {
  to?: NetworkPolicyPeer[];
  ports?: NetworkPolicyPort[];
}

export interface NetworkPolicy {
  metadata?: Pick<V1ObjectMeta, 'name' | 'namespace'>;
  spec?: {
    podSelector?: V1LabelSelector;
    policyTypes?: string[];
    ingress?: NetworkPolicyIngressRule[];
    egress?: NetworkPolicyEgressRule[];
  };
}

export type Direction = 'Ingress' | 'Egress';

/**
 * The directions a policy isolates its pods in. The API server fills policyTypes in when a client
 * leaves it out (Ingress, plus Egress when there are egress rules); objects built elsewhere, such as
 * in tests, get the same default here.
 */
export function policyDirections(policy: NetworkPolicy): Direction[] {
  const types = policy.spec?.policyTypes ?? [];
  if (types.length > 0) return types.filter((t): t is Direction => t === 'Ingress' || t === 'Egress');
  return (policy.spec?.egress?.length ?? 0) > 0 ? ['Ingress', 'Egress'] : ['Ingress'];
}
