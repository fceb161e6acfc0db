/** Pods, namespaces and policies for the enforcer's unit tests, with only the fields that matter. */
import type { V1Namespace, V1Pod } from '@kubernetes/client-node';
import type { ClusterState } from './cluster-state.js';
import { parseIPv4 } from './ipv4.js';
import type { NetworkPolicy } from './network-policy.js';
import type { Range } from './ranges.js';

export interface PodFixture {
  labels?: Record<string, string>;
  ports?: Array<{ name: string; containerPort: number; protocol?: string }>;
  phase?: string;
}

export function pod(
  key: string,
  ip: string,
  { labels = {}, ports = [], phase = 'Running' }: PodFixture = {},
): V1Pod {
  const [namespace, name] = key.split('/');
  return {
    metadata: { namespace, name, labels },
    spec: { containers: [{ name: 'main', ports }] },
    status: { phase, podIP: ip, podIPs: [{ ip }] },
  };
}

export function namespace(name: string, labels: Record<string, string> = {}): V1Namespace {
  return { metadata: { name, labels: { 'kubernetes.io/metadata.name': name, ...labels } } };
}

export function policy(key: string, spec: NonNullable<NetworkPolicy['spec']>): NetworkPolicy {
  const [ns, name] = key.split('/');
  return { metadata: { namespace: ns, name }, spec };
}

export function state(parts: Partial<ClusterState>): ClusterState {
  return { namespaces: [], pods: [], policies: [], ...parts };
}

/** One address as a range. */
export function ip(text: string): Range {
  const value = parseIPv4(text)!;
  return [value, value];
}
