/**
 * Everything an environment's namespace needs before the first planned object lands in it:
 * labels linking it to its VibeEnvironment, PodSecurity admission, a quota and default limits,
 * network policies that deny by default, and the rights of the user plans are applied as.
 */
import { LABEL_MANAGED_BY, MANAGED_BY } from '../../api/group.js';
import type { VibeEnvironment } from '../../api/vibe-environment.js';
import type { Impersonation } from '../../reconciler/kube-client.js';
import { DEFAULT_POLICY } from '../../policy/index.js';
import { applierRules } from './applier-role.js';
import { APPLYSET_PARENT_NAME } from './applyset.js';
import {
  LABEL_ENVIRONMENT,
  LABEL_ENVIRONMENT_NAMESPACE,
  LABEL_PREVIEW_EXPOSED,
  labelValue,
} from '../../api/labels.js';
import type { Manifest } from '../objects.js';

/** The Role and RoleBinding that give the applier its rights in one namespace. */
export const APPLIER_ROLE = 'vibe-applier';
/**
 * The user plans are applied as. A user, not a ServiceAccount: nothing in the cluster holds a
 * credential for it, so no pod, token Secret or TokenRequest in an environment can obtain it
 * (ADR 0070). The operator impersonates it with APPLIER_NAMESPACE_EXTRA set to the one namespace
 * it applies into; admission refuses its writes anywhere else.
 */
export const APPLIER_USER = 'vibe:applier';
export const APPLIER_NAMESPACE_EXTRA = 'vibe.dev/applier-namespace';

export interface IsolationSettings {
  namespacePrefix: string;
  /** Quota where the environment's spec.resources leaves a field out. */
  defaults: { cpu: string; memory: string; pods: number; storage: string };
  /** What the LimitRange gives containers that declare no resources, so the quota admits them. */
  containerDefaults: { cpuRequest: string; memoryRequest: string; cpuLimit: string; memoryLimit: string };
  podSecurity: 'restricted' | 'baseline';
  /**
   * Where preview traffic comes from. Selectors name the ingress controller's pods;
   * `host-network` is a router on the node itself, which NetworkPolicy always lets through to
   * pods on that node. Absent: nothing outside the namespace may connect.
   */
  previewIngress?:
    { namespaceSelector: Record<string, string>; podSelector?: Record<string, string> } | 'host-network';
  /** The policy document's allow-list; the applier may write exactly these kinds. */
  allowedKinds?: readonly string[];
}

export const ISOLATION_NAMES = {
  quota: 'vibe-quota',
  limits: 'vibe-limits',
  denyAll: 'vibe-default-deny',
  sameNamespace: 'vibe-allow-same-namespace',
  dns: 'vibe-allow-dns',
  preview: 'vibe-allow-preview',
} as const;

/** `Kind/name` of objects the operator owns in an environment namespace; a plan may not apply over them. */
export const RESERVED_OBJECTS: ReadonlySet<string> = new Set([
  `ResourceQuota/${ISOLATION_NAMES.quota}`,
  `LimitRange/${ISOLATION_NAMES.limits}`,
  `NetworkPolicy/${ISOLATION_NAMES.denyAll}`,
  `NetworkPolicy/${ISOLATION_NAMES.sameNamespace}`,
  `NetworkPolicy/${ISOLATION_NAMES.dns}`,
  `NetworkPolicy/${ISOLATION_NAMES.preview}`,
  `Role/${APPLIER_ROLE}`,
  `RoleBinding/${APPLIER_ROLE}`,
  `ConfigMap/${APPLYSET_PARENT_NAME}`,
]);

/** The identity an environment's plans are applied as: the applier user, fenced to `namespace`. */
export function applierUser(namespace: string): Impersonation {
  return { user: APPLIER_USER, extra: { [APPLIER_NAMESPACE_EXTRA]: namespace } };
}

export class IsolationError extends Error {
  readonly code: 'VIBE_ISOLATION_NAMESPACE_OUTSIDE_PREFIX';
  constructor(code: IsolationError['code'], message: string) {
    super(message);
    this.name = 'IsolationError';
    this.code = code;
  }
}

/** The namespace annotation that names the environment's preview host, for admission to check Ingresses against. */
export const ANNOTATION_PREVIEW_HOST = 'vibe.dev/preview-host';

/**
 * The group versions an environment is written in: its isolation objects' and the kinds a plan may
 * hold (`v1/ConfigMap`, `apps/v1/Deployment`, ...). The operator discovers them before it reports
 * ready, so the first environment after a start does not wait for discovery between its writes.
 */
export function writtenApiVersions(allowedKinds: readonly string[]): string[] {
  const isolation = ['v1', 'networking.k8s.io/v1', 'rbac.authorization.k8s.io/v1'];
  const planned = allowedKinds.map((entry) => entry.slice(0, entry.lastIndexOf('/')));
  return [...new Set([...isolation, ...planned])];
}

export function isolationObjects(
  env: VibeEnvironment,
  namespace: string,
  settings: IsolationSettings,
  /** The environment's preview host, when its preview is enabled. */
  previewHost?: string,
): Manifest[] {
  if (!namespace.startsWith(settings.namespacePrefix)) {
    throw new IsolationError(
      'VIBE_ISOLATION_NAMESPACE_OUTSIDE_PREFIX',
      `namespace ${namespace} does not start with the environment prefix "${settings.namespacePrefix}"; ` +
        'the operator isolates only namespaces it named, so check the namespacePrefix setting.',
    );
  }
  const labels = {
    [LABEL_MANAGED_BY]: MANAGED_BY,
    [LABEL_ENVIRONMENT]: labelValue(env.metadata.name),
    [LABEL_ENVIRONMENT_NAMESPACE]: labelValue(env.metadata.namespace ?? 'default'),
  };
  const meta = (name: string) => ({ name, namespace, labels });
  return [
    {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {
        name: namespace,
        ...(previewHost ? { annotations: { [ANNOTATION_PREVIEW_HOST]: previewHost } } : {}),
        labels: {
          ...labels,
          'pod-security.kubernetes.io/enforce': settings.podSecurity,
          'pod-security.kubernetes.io/enforce-version': 'latest',
          'pod-security.kubernetes.io/audit': settings.podSecurity,
          'pod-security.kubernetes.io/warn': settings.podSecurity,
        },
      },
    },
    resourceQuota(env, settings, meta(ISOLATION_NAMES.quota)),
    {
      apiVersion: 'v1',
      kind: 'LimitRange',
      metadata: meta(ISOLATION_NAMES.limits),
      spec: {
        limits: [
          {
            type: 'Container',
            defaultRequest: {
              cpu: settings.containerDefaults.cpuRequest,
              memory: settings.containerDefaults.memoryRequest,
            },
            default: {
              cpu: settings.containerDefaults.cpuLimit,
              memory: settings.containerDefaults.memoryLimit,
            },
          },
        ],
      },
    },
    ...networkPolicies(settings, meta),
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: meta(APPLIER_ROLE),
      rules: applierRules(settings.allowedKinds ?? DEFAULT_POLICY.allowedKinds),
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: meta(APPLIER_ROLE),
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: APPLIER_ROLE },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: APPLIER_USER }],
    },
  ];
}

function resourceQuota(
  env: VibeEnvironment,
  settings: IsolationSettings,
  metadata: Manifest['metadata'],
): Manifest {
  // Objects read from the API server carry CRD defaults; objects built in code may not.
  const resources: Partial<VibeEnvironment['spec']['resources']> = env.spec.resources ?? {};
  const cpu = resources.cpu ?? settings.defaults.cpu;
  const memory = resources.memory ?? settings.defaults.memory;
  return {
    apiVersion: 'v1',
    kind: 'ResourceQuota',
    metadata,
    spec: {
      hard: {
        'requests.cpu': cpu,
        'limits.cpu': cpu,
        'requests.memory': memory,
        'limits.memory': memory,
        'requests.storage': resources.storage ?? settings.defaults.storage,
        pods: String(resources.pods ?? settings.defaults.pods),
        // The policy gate allows ClusterIP only; the quota says the same should the gate miss one.
        'services.loadbalancers': '0',
        'services.nodeports': '0',
      },
    },
  };
}

function networkPolicies(
  settings: IsolationSettings,
  meta: (name: string) => Manifest['metadata'],
): Manifest[] {
  const policy = (name: string, spec: Record<string, unknown>): Manifest => ({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: meta(name),
    spec: { podSelector: {}, ...spec },
  });
  const policies = [
    policy(ISOLATION_NAMES.denyAll, { policyTypes: ['Ingress', 'Egress'] }),
    policy(ISOLATION_NAMES.sameNamespace, {
      policyTypes: ['Ingress', 'Egress'],
      ingress: [{ from: [{ podSelector: {} }] }],
      egress: [{ to: [{ podSelector: {} }] }],
    }),
    policy(ISOLATION_NAMES.dns, {
      policyTypes: ['Egress'],
      egress: [
        {
          // The cluster DNS pods only (k8s-app=kube-dns, as kubeadm, kops and managed clusters label
          // them): nothing else in kube-system is an environment's business.
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
    }),
  ];
  const preview = settings.previewIngress;
  if (preview && preview !== 'host-network') {
    policies.push(
      policy(ISOLATION_NAMES.preview, {
        // Only the pods a preview route reaches: the controller has no business with the rest.
        podSelector: { matchLabels: { [LABEL_PREVIEW_EXPOSED]: 'true' } },
        policyTypes: ['Ingress'],
        ingress: [
          {
            from: [
              {
                namespaceSelector: { matchLabels: preview.namespaceSelector },
                ...(preview.podSelector ? { podSelector: { matchLabels: preview.podSelector } } : {}),
              },
            ],
          },
        ],
      }),
    );
  }
  return policies;
}
