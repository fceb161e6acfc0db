import { describe, expect, it } from 'vitest';
import { type VibeEnvironment, parseVibeEnvironmentSpec } from '../../api/vibe-environment.js';
import { DEFAULT_POLICY } from '../../policy/index.js';
import { applierRules, parseAllowedKind, resourceOf } from './applier-role.js';
import {
  APPLIER_ROLE,
  IsolationError,
  RESERVED_OBJECTS,
  applierUser,
  isolationObjects,
  type IsolationSettings,
} from './isolation.js';
import { labelValue } from '../../api/labels.js';
import type { Manifest } from '../objects.js';

const settings: IsolationSettings = {
  namespacePrefix: 'vibe-',
  defaults: { cpu: '2', memory: '4Gi', pods: 20, storage: '10Gi' },
  containerDefaults: { cpuRequest: '50m', memoryRequest: '64Mi', cpuLimit: '500m', memoryLimit: '256Mi' },
  podSecurity: 'restricted',
};

function env(name: string, spec: Record<string, unknown> = {}): VibeEnvironment {
  return {
    apiVersion: 'vibe.dev/v1alpha1',
    kind: 'VibeEnvironment',
    metadata: { name, namespace: 'team-a' },
    spec: parseVibeEnvironmentSpec({ intent: 'a web app', ...spec }),
  };
}

const find = (objects: Manifest[], kind: string, name?: string) =>
  objects.find((o) => o.kind === kind && (name === undefined || o.metadata.name === name));

describe('isolationObjects', () => {
  const objects = isolationObjects(
    env('shop', { resources: { cpu: '3', memory: '1Gi', pods: 7 } }),
    'vibe-team-a-shop',
    settings,
  );

  it('labels the namespace with its environment and PodSecurity restricted for enforce, audit and warn', () => {
    const ns = find(objects, 'Namespace');
    expect(ns?.metadata).toEqual({
      name: 'vibe-team-a-shop',
      labels: {
        'app.kubernetes.io/managed-by': 'vibe-operator',
        'vibe.dev/environment': 'shop',
        'vibe.dev/environment-namespace': 'team-a',
        'pod-security.kubernetes.io/enforce': 'restricted',
        'pod-security.kubernetes.io/enforce-version': 'latest',
        'pod-security.kubernetes.io/audit': 'restricted',
        'pod-security.kubernetes.io/warn': 'restricted',
      },
    });
  });

  it('puts every other object into the namespace', () => {
    const namespaced = objects.filter((o) => o.kind !== 'Namespace');
    expect(namespaced).toHaveLength(7);
    expect(namespaced.every((o) => o.metadata.namespace === 'vibe-team-a-shop')).toBe(true);
    expect(namespaced.map((o) => `${o.kind}/${o.metadata.name}`).sort()).toEqual(
      [...RESERVED_OBJECTS]
        .filter((r) => r !== 'ConfigMap/vibe-applyset' && r !== 'NetworkPolicy/vibe-allow-preview')
        .sort(),
    );
  });

  it('sizes the quota from spec.resources and forbids LoadBalancer and NodePort services', () => {
    expect(find(objects, 'ResourceQuota')?.spec).toEqual({
      hard: {
        'requests.cpu': '3',
        'limits.cpu': '3',
        'requests.memory': '1Gi',
        'limits.memory': '1Gi',
        'requests.storage': '10Gi',
        pods: '7',
        'services.loadbalancers': '0',
        'services.nodeports': '0',
      },
    });
  });

  it('falls back to the operator defaults for fields the spec leaves out', () => {
    const bare = env('bare');
    (bare.spec as { resources?: unknown }).resources = undefined;
    const hard = (
      find(isolationObjects(bare, 'vibe-x', settings), 'ResourceQuota')?.spec as {
        hard: Record<string, string>;
      }
    ).hard;
    expect([hard['requests.cpu'], hard['limits.memory'], hard['requests.storage'], hard.pods]).toEqual([
      '2',
      '4Gi',
      '10Gi',
      '20',
    ]);
  });

  it('gives containers without resources default requests and limits', () => {
    expect(find(objects, 'LimitRange')?.spec).toEqual({
      limits: [
        {
          type: 'Container',
          defaultRequest: { cpu: '50m', memory: '64Mi' },
          default: { cpu: '500m', memory: '256Mi' },
        },
      ],
    });
  });

  it("denies all traffic, then allows the namespace itself and DNS to kube-system's kube-dns pods", () => {
    const policies = objects.filter((o) => o.kind === 'NetworkPolicy');
    expect(policies.map((p) => p.metadata.name)).toEqual([
      'vibe-default-deny',
      'vibe-allow-same-namespace',
      'vibe-allow-dns',
    ]);
    expect(policies[0]?.spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    expect(policies[1]?.spec).toMatchObject({
      ingress: [{ from: [{ podSelector: {} }] }],
      egress: [{ to: [{ podSelector: {} }] }],
    });
    expect(policies[2]?.spec).toMatchObject({
      policyTypes: ['Egress'],
      egress: [
        {
          to: [
            {
              namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
              podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
            },
          ],
          ports: [
            { protocol: 'UDP', port: 53 },
            { protocol: 'TCP', port: 53 },
          ],
        },
      ],
    });
  });

  it('allows preview traffic from the ingress controller pods to exposed pods only when selectors are set', () => {
    const withPreview = isolationObjects(env('shop'), 'vibe-a', {
      ...settings,
      previewIngress: {
        namespaceSelector: { 'kubernetes.io/metadata.name': 'ingress' },
        podSelector: { app: 'router' },
      },
    });
    expect(find(withPreview, 'NetworkPolicy', 'vibe-allow-preview')?.spec).toEqual({
      podSelector: { matchLabels: { 'vibe.dev/preview-exposed': 'true' } },
      policyTypes: ['Ingress'],
      ingress: [
        {
          from: [
            {
              namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress' } },
              podSelector: { matchLabels: { app: 'router' } },
            },
          ],
        },
      ],
    });
  });

  it('adds no policy for a host-network router, whose node traffic NetworkPolicy always admits', () => {
    const hostNetwork = isolationObjects(env('shop'), 'vibe-a', {
      ...settings,
      previewIngress: 'host-network',
    });
    expect(find(hostNetwork, 'NetworkPolicy', 'vibe-allow-preview')).toBeUndefined();
    expect(hostNetwork.filter((o) => o.kind === 'NetworkPolicy')).toHaveLength(3);
  });

  it('uses baseline PodSecurity when configured', () => {
    const ns = find(
      isolationObjects(env('shop'), 'vibe-a', { ...settings, podSecurity: 'baseline' }),
      'Namespace',
    );
    expect(ns?.metadata.labels?.['pod-security.kubernetes.io/enforce']).toBe('baseline');
  });

  it('binds the applier user, not a ServiceAccount, to a Role of exactly the allowed kinds', () => {
    expect(find(objects, 'ServiceAccount')).toBeUndefined();
    expect(find(objects, 'Role')?.rules).toEqual(applierRules(DEFAULT_POLICY.allowedKinds));
    expect(find(objects, 'RoleBinding')).toMatchObject({
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: APPLIER_ROLE },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'vibe:applier' }],
    });
    expect(applierUser('vibe-team-a-shop')).toEqual({
      user: 'vibe:applier',
      extra: { 'vibe.dev/applier-namespace': 'vibe-team-a-shop' },
    });
  });

  it('follows a custom allow-list', () => {
    const role = find(
      isolationObjects(env('shop'), 'vibe-a', { ...settings, allowedKinds: ['v1/ConfigMap'] }),
      'Role',
    );
    expect(role?.rules).toEqual([
      {
        apiGroups: [''],
        resources: ['configmaps'],
        verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'],
      },
      {
        apiGroups: [''],
        resources: ['configmaps'],
        resourceNames: ['vibe-applyset'],
        verbs: ['get', 'create', 'update', 'patch'],
      },
    ]);
  });

  it('refuses a namespace the operator did not name', () => {
    expect(() => isolationObjects(env('shop'), 'kube-system', settings)).toThrow(IsolationError);
    expect(() => isolationObjects(env('shop'), 'kube-system', settings)).toThrow(
      /does not start with the environment prefix "vibe-"/,
    );
  });

  it('keeps long environment names valid as label values', () => {
    const long = 'a'.repeat(100);
    const ns = find(isolationObjects(env(long), 'vibe-long', settings), 'Namespace');
    const value = ns?.metadata.labels?.['vibe.dev/environment'] ?? '';
    expect(value).toHaveLength(63);
    expect(value).toMatch(/^a{54}-[0-9a-f]{8}$/);
    expect(labelValue('b'.repeat(100))).not.toBe(value);
  });
});

describe('applierRules', () => {
  it('names every default kind by the resource the API server serves it as', () => {
    const resources = DEFAULT_POLICY.allowedKinds.map((k) => resourceOf(parseAllowedKind(k).kind)).sort();
    expect(resources).toEqual([
      'configmaps',
      'cronjobs',
      'deployments',
      'horizontalpodautoscalers',
      'httproutes',
      'ingresses',
      'jobs',
      'networkpolicies',
      'persistentvolumeclaims',
      'poddisruptionbudgets',
      'pods',
      'secrets',
      'services',
      'statefulsets',
    ]);
  });

  it('groups resources by API group, one rule each, plus the inventory rule', () => {
    const rules = applierRules(DEFAULT_POLICY.allowedKinds);
    expect(rules.map((r) => r.apiGroups[0])).toEqual([
      '',
      'apps',
      'autoscaling',
      'batch',
      'gateway.networking.k8s.io',
      'networking.k8s.io',
      'policy',
      '',
    ]);
    expect(rules.find((r) => r.apiGroups[0] === 'apps')?.resources).toEqual(['deployments', 'statefulsets']);
    expect(rules.flatMap((r) => r.resources)).not.toContain('roles');
  });
});
