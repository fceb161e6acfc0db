/**
 * The versioned policy document: what an environment may contain. Operators override fields in
 * their own copy; anything left out keeps the defaults below.
 */
import { z } from 'zod';

export const POLICY_API_VERSION = 'policy.vibe.dev/v1alpha1';

const Quantities = z.object({ cpu: z.string(), memory: z.string() }).strict();

export const PolicyDocument = z
  .object({
    apiVersion: z.literal(POLICY_API_VERSION),
    /** `apiVersion/kind` pairs an environment may hold; all namespaced. */
    allowedKinds: z
      .array(z.string().regex(/^([\w.-]+\/)?v\w+\/\w+$/))
      .default([
        'v1/ConfigMap',
        'v1/Secret',
        'v1/Service',
        'v1/PersistentVolumeClaim',
        'v1/Pod',
        'apps/v1/Deployment',
        'apps/v1/StatefulSet',
        'batch/v1/Job',
        'batch/v1/CronJob',
        'networking.k8s.io/v1/Ingress',
        'networking.k8s.io/v1/NetworkPolicy',
        'gateway.networking.k8s.io/v1/HTTPRoute',
        'policy/v1/PodDisruptionBudget',
        'autoscaling/v2/HorizontalPodAutoscaler',
      ]),
    images: z
      .object({
        /** Glob patterns (`*` matches anything); an image must match one. */
        allow: z.array(z.string()).default(['*']),
        /** Glob patterns refused even when allowed. */
        deny: z.array(z.string()).default([]),
      })
      .strict()
      .default({ allow: ['*'], deny: [] }),
    /** ExternalName is never allowed: it points the cluster's DNS and ingress controllers anywhere. */
    serviceTypes: z.array(z.enum(['ClusterIP', 'NodePort', 'LoadBalancer'])).default(['ClusterIP']),
    /** Scheduling and runtime choices pods may make; by default none beyond the cluster's defaults. */
    workloads: z
      .object({
        /** The one RuntimeClass pods may name (leaving it out is always allowed). */
        runtimeClassName: z.string().optional(),
        priorityClassNames: z.array(z.string()).default([]),
        /** Node label keys pods may select on, each with the values allowed. */
        nodeSelector: z.record(z.string(), z.array(z.string())).default({}),
        /** Taint keys pods may tolerate with NoSchedule or PreferNoSchedule (never NoExecute). */
        tolerations: z.array(z.string()).default([]),
        /** StorageClasses PVCs may name (leaving it out, the cluster default, is always allowed). */
        storageClassNames: z.array(z.string()).default([]),
      })
      .strict()
      .default({ priorityClassNames: [], nodeSelector: {}, tolerations: [], storageClassNames: [] }),
    network: z
      .object({
        /** NetworkPolicies may allow egress to public addresses (never private, cluster or metadata ones). */
        internetEgress: z.boolean().default(false),
        /** The cluster's own ranges (pods, services, nodes) when they are not private addresses. */
        clusterCidrs: z.array(z.string()).default([]),
      })
      .strict()
      .default({ internetEgress: false, clusterCidrs: [] }),
    /**
     * Prefixed annotation keys objects may carry (controllers, runtimes and network plugins read
     * prefixed annotations as configuration); keys without a prefix are always allowed.
     */
    annotations: z.array(z.string()).default([]),
    /** Missing requests and limits are filled from here rather than refused. */
    defaultResources: z
      .object({ requests: Quantities, limits: Quantities })
      .strict()
      .default({ requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } }),
    maxObjects: z.number().int().positive().default(100),
    maxTotalBytes: z
      .number()
      .int()
      .positive()
      .default(1024 * 1024),
    maxReplicas: z.number().int().positive().default(20),
  })
  .strict();

export type PolicyDocument = z.output<typeof PolicyDocument>;

export const DEFAULT_POLICY: PolicyDocument = Object.freeze(
  PolicyDocument.parse({ apiVersion: POLICY_API_VERSION }),
);

/** One line per rule, for the model's system prompt. */
export function policySummary(policy: PolicyDocument): string {
  return [
    `Allowed kinds: ${policy.allowedKinds.join(', ')}. Nothing cluster-scoped, no RBAC, no CRDs or webhooks.`,
    'Every object lands in the environment namespace; do not set metadata.namespace.',
    'Pods: no privileged, hostNetwork, hostPID, hostIPC, hostPath or hostPort; never run as root;',
    '  allowPrivilegeEscalation false; capabilities.drop [ALL] and nothing added; automountServiceAccountToken false.',
    '  No nodeName, node selectors, affinity to other namespaces, tolerations, priority or runtime classes',
    '  beyond the policy; no serviceAccountName other than the default; no host in probes or hooks; no sysctls',
    '  outside the safe set; seccomp and AppArmor RuntimeDefault only.',
    '  Volumes: configMap, secret, emptyDir, persistentVolumeClaim, downwardAPI, projected (no token sources).',
    'Every field must be one the gate knows; unknown fields are refused. No finalizers or ownerReferences, and no',
    '  labels or annotations under kubernetes.io/, k8s.io/ or vibe.dev/ except the app.kubernetes.io/ labels;',
    `  annotation keys with a prefix or a dot only from: ${policy.annotations.join(', ') || 'none'}.`,
    `Service types allowed: ${policy.serviceTypes.join(', ')}.`,
    '  No externalIPs, externalName or fixed clusterIP.',
    "NetworkPolicies may name only the environment's own pods as peers" +
      (policy.network.internetEgress ? ' (and public addresses for egress).' : '.'),
    'Ingress paths are Prefix or Exact of plain characters, backends are Services of the plan, no defaultBackend.',
    'Secrets are Opaque, kubernetes.io/tls or kubernetes.io/dockerconfigjson; claims name no existing volume.',
    'Public traffic enters through an Ingress; the operator sets its host and attaches it (as an HTTPRoute',
    '  when the cluster uses a Gateway). An HTTPRoute you write must leave spec.parentRefs out.',
    `Images must match ${policy.images.allow.join(', ')}${policy.images.deny.length ? ` and not ${policy.images.deny.join(', ')}` : ''}.`,
    `At most ${policy.maxObjects} objects, ${policy.maxTotalBytes} bytes in total, ${policy.maxReplicas} replicas per workload.`,
  ].join('\n');
}
