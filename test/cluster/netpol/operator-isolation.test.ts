/**
 * The operator's isolation policies under the enforcer's semantics, without a cluster: the contract
 * test/e2e/network-isolation.test.ts checks with real packets, here per port and direction.
 */
import { describe, expect, it } from 'vitest';
import {
  parseVibeEnvironmentSpec,
  type VibeEnvironment,
} from '../../../operator/src/api/vibe-environment.js';
import { isolationObjects, type IsolationSettings } from '../../../operator/src/environment/index.js';
import { parseIPv4 } from './ipv4.js';
import type { NetworkPolicy } from './network-policy.js';
import { podFirewalls, type Allowance, type PodFirewall } from './pod-firewalls.js';
import { contains } from './ranges.js';
import { namespace, pod, state } from './test-fixtures.js';

const settings: IsolationSettings = {
  namespacePrefix: 'vibe-',
  defaults: { cpu: '2', memory: '4Gi', pods: 20, storage: '10Gi' },
  containerDefaults: { cpuRequest: '50m', memoryRequest: '64Mi', cpuLimit: '500m', memoryLimit: '256Mi' },
  podSecurity: 'restricted',
  previewIngress: 'host-network',
};

function environmentPolicies(name: string): NetworkPolicy[] {
  const env: VibeEnvironment = {
    apiVersion: 'vibe.dev/v1alpha1',
    kind: 'VibeEnvironment',
    metadata: { name, namespace: 'team' },
    spec: parseVibeEnvironmentSpec({ intent: 'a web app' }),
  };
  return isolationObjects(env, `vibe-team-${name}`, settings)
    .filter((o) => o.kind === 'NetworkPolicy')
    .map((o) => o as unknown as NetworkPolicy);
}

const pods = {
  aWeb: pod('vibe-team-a/web', '10.244.0.10', { labels: { app: 'web' } }),
  aDb: pod('vibe-team-a/db', '10.244.0.11', { labels: { app: 'db' } }),
  bWeb: pod('vibe-team-b/web', '10.244.0.20', { labels: { app: 'web' } }),
  plain: pod('plain/web', '10.244.0.30'),
  dns: pod('kube-system/coredns', '10.244.0.40', { labels: { 'k8s-app': 'kube-dns' } }),
  otherSystemPod: pod('kube-system/other', '10.244.0.41', { labels: { 'k8s-app': 'other' } }),
};
const firewalls = new Map(
  podFirewalls(
    state({
      namespaces: ['vibe-team-a', 'vibe-team-b', 'plain', 'kube-system'].map((n) => namespace(n)),
      pods: Object.values(pods),
      policies: [...environmentPolicies('a'), ...environmentPolicies('b')],
    }),
  ).map((f) => [f.endpoint.address, f]),
);

function admits(allowances: readonly Allowance[] | undefined, peer: string, protocol: string, port: number) {
  if (!allowances) return true;
  const address = parseIPv4(peer)!;
  return allowances.some(
    (a) =>
      (a.peers === 'any' || contains(a.peers, address)) &&
      (a.ports === 'any' ||
        [...a.ports].some(([p, ranges]) => p === protocol && (ranges === 'all' || contains(ranges, port)))),
  );
}

/** A connection needs the source's egress and the destination's ingress; the node is no pod. */
function connects(from: string, to: string, protocol = 'TCP', port = 8080): boolean {
  const source: PodFirewall | undefined = firewalls.get(from);
  const destination: PodFirewall | undefined = firewalls.get(to);
  return admits(source?.egress, to, protocol, port) && admits(destination?.ingress, from, protocol, port);
}

const ip = (p: (typeof pods)[keyof typeof pods]) => p.status!.podIP!;

describe("the operator's isolation policies", () => {
  it('isolate every pod of an environment in both directions, and nothing else', () => {
    expect([...firewalls.keys()]).toEqual(['10.244.0.10', '10.244.0.11', '10.244.0.20']);
  });

  it('let the pods of one environment reach each other on any port', () => {
    expect(connects(ip(pods.aWeb), ip(pods.aDb), 'TCP', 5432)).toBe(true);
    expect(connects(ip(pods.aDb), ip(pods.aWeb), 'UDP', 9)).toBe(true);
  });

  it('keep environments apart both ways', () => {
    expect(connects(ip(pods.aWeb), ip(pods.bWeb))).toBe(false);
    expect(connects(ip(pods.bWeb), ip(pods.aWeb))).toBe(false);
  });

  it('keep pods outside environments out, and environment pods in', () => {
    expect(connects(ip(pods.plain), ip(pods.aWeb))).toBe(false);
    expect(connects(ip(pods.aWeb), ip(pods.plain))).toBe(false);
  });

  it("let DNS out to kube-system's kube-dns pods on port 53 only", () => {
    expect(connects(ip(pods.aWeb), ip(pods.dns), 'UDP', 53)).toBe(true);
    expect(connects(ip(pods.aWeb), ip(pods.dns), 'TCP', 53)).toBe(true);
    expect(connects(ip(pods.aWeb), ip(pods.dns), 'TCP', 443)).toBe(false);
  });

  it('let nothing else in kube-system be reached, not even on port 53', () => {
    expect(connects(ip(pods.aWeb), ip(pods.otherSystemPod), 'UDP', 53)).toBe(false);
    expect(connects(ip(pods.aWeb), ip(pods.otherSystemPod), 'TCP', 8080)).toBe(false);
  });

  it('let nothing out beyond the cluster', () => {
    expect(connects(ip(pods.aWeb), '10.250.0.1', 'TCP', 10250)).toBe(false);
    expect(connects(ip(pods.aWeb), '1.1.1.1', 'TCP', 443)).toBe(false);
  });
});
