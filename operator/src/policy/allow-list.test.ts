/**
 * The allow-list table: for every kind the default policy allows, benign manifests that pass and
 * hostile ones an attacker would try (node access, tokens, other environments' traffic, quota
 * escapes), each with the exact violations expected: code and field path.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY, PolicyDocument, POLICY_API_VERSION } from './document.js';
import { evaluatePolicy } from './evaluate.js';
import { NOT_PUBLIC_CIDRS } from './cidr.js';
import type { PolicyContext } from './context.js';

type Obj = Record<string, unknown>;

const HOST = 'web-env-1.vibe.test';
const CONTEXT: PolicyContext = {
  namespace: 'env-1',
  preview: { hosts: [HOST], ingressClassName: 'vibe' },
  quota: { cpu: '2', memory: '4Gi', storage: '10Gi', pods: 20 },
  applySetId: 'applyset-abc-v1',
  reservedObjects: new Set(['ConfigMap/vibe-applyset']),
};
const T = 'spec.template.spec';
const C = `${T}.containers[0]`;

const container = (extra: Obj = {}): Obj => ({
  name: 'app',
  image: 'ghcr.io/acme/app:1',
  resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
  securityContext: {
    allowPrivilegeEscalation: false,
    runAsNonRoot: true,
    capabilities: { drop: ['ALL'] },
    seccompProfile: { type: 'RuntimeDefault' },
  },
  ...extra,
});
const secured = (sc: Obj, extra: Obj = {}): Obj =>
  container({ securityContext: { ...(container().securityContext as Obj), ...sc }, ...extra });
const podSpec = (extra: Obj = {}, containers: Obj[] = [container()]): Obj => ({
  automountServiceAccountToken: false,
  securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
  containers,
  ...extra,
});
const deploy = (spec: Obj = podSpec(), top: Obj = {}, metadata: Obj = {}): Obj => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', ...metadata },
  spec: {
    replicas: 1,
    selector: { matchLabels: { app: 'web' } },
    template: { metadata: { labels: { app: 'web' } }, spec },
    ...top,
  },
});
const pod = (extra: Obj) => deploy(podSpec(extra));
const templateAnnotated = (annotations: Obj): Obj => ({
  ...deploy(),
  spec: { ...(deploy().spec as Obj), template: { metadata: { annotations }, spec: podSpec() } },
});
const withContainer = (c: Obj) => deploy(podSpec({}, [c]));
const object = (apiVersion: string, kind: string, rest: Obj = {}, name = 'x'): Obj => ({
  apiVersion,
  kind,
  metadata: { name },
  ...rest,
});
const service = (spec: Obj = {}, metadata: Obj = {}): Obj => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'web', ...metadata },
  spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }], ...spec },
});
const netpol = (spec: Obj, name = 'allow-web'): Obj =>
  object('networking.k8s.io/v1', 'NetworkPolicy', { spec: { podSelector: {}, ...spec } }, name);
const egressTo = (cidr: string, except?: string[]) =>
  netpol({
    policyTypes: ['Egress'],
    egress: [{ to: [{ ipBlock: { cidr, ...(except ? { except } : {}) } }] }],
  });
const ingressPath = (path: Obj = {}): Obj => ({
  path: '/',
  pathType: 'Prefix',
  backend: { service: { name: 'web', port: { number: 80 } } },
  ...path,
});
const ingress = (spec: Obj = {}, metadata: Obj = {}): Obj => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'Ingress',
  metadata: { name: 'web', ...metadata },
  spec: { ingressClassName: 'vibe', rules: [{ host: HOST, http: { paths: [ingressPath()] } }], ...spec },
});
const route = (spec: Obj = {}): Obj => ({
  apiVersion: 'gateway.networking.k8s.io/v1',
  kind: 'HTTPRoute',
  metadata: { name: 'web' },
  spec: {
    hostnames: [HOST],
    rules: [
      { matches: [{ path: { type: 'PathPrefix', value: '/' } }], backendRefs: [{ name: 'web', port: 80 }] },
    ],
    ...spec,
  },
});
const secret = (rest: Obj = {}) =>
  object('v1', 'Secret', { stringData: { password: 'x' }, ...rest }, 'creds');
const claim = (spec: Obj = {}): Obj =>
  object(
    'v1',
    'PersistentVolumeClaim',
    { spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, ...spec } },
    'data',
  );
const hpa = (spec: Obj = {}): Obj =>
  object(
    'autoscaling/v2',
    'HorizontalPodAutoscaler',
    {
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
        minReplicas: 1,
        maxReplicas: 5,
        metrics: [
          {
            type: 'Resource',
            resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } },
          },
        ],
        ...spec,
      },
    },
    'web',
  );
const pdb = (spec: Obj) =>
  object('policy/v1', 'PodDisruptionBudget', {
    spec: { selector: { matchLabels: { app: 'web' } }, ...spec },
  });
const job = (spec: Obj = {}, pod: Obj = podSpec({ restartPolicy: 'Never' })): Obj =>
  object('batch/v1', 'Job', { spec: { template: { spec: pod }, ...spec } }, 'once');
const cronJob = (jobSpec: Obj = {}, pod: Obj = podSpec({ restartPolicy: 'Never' })): Obj =>
  object(
    'batch/v1',
    'CronJob',
    { spec: { schedule: '0 2 * * *', jobTemplate: { spec: { template: { spec: pod }, ...jobSpec } } } },
    'nightly',
  );
const statefulSet = (spec: Obj = {}): Obj => ({
  ...deploy(),
  kind: 'StatefulSet',
  spec: { ...(deploy().spec as Obj), serviceName: 'web', ...spec },
});
const policyWith = (fields: Obj) => PolicyDocument.parse({ apiVersion: POLICY_API_VERSION, ...fields });
const PRIVATE_V4 = NOT_PUBLIC_CIDRS.filter((cidr) => !cidr.includes(':'));
const INTERNET = policyWith({ network: { internetEgress: true, clusterCidrs: ['34.0.0.0/8'] } });

interface Row {
  readonly name: string;
  /** The object under test; the plan also holds a Service and a Deployment named web for references. */
  readonly manifest: unknown;
  readonly expected: readonly (readonly [code: string, field: string])[];
  readonly policy?: PolicyDocument;
  readonly context?: PolicyContext;
}

const ok = (name: string, manifest: unknown, extra: Partial<Row> = {}): Row => ({
  name,
  manifest,
  expected: [],
  ...extra,
});
const no = (name: string, manifest: unknown, code: string, field: string, extra: Partial<Row> = {}): Row => ({
  name,
  manifest,
  expected: [[`VIBE_POLICY_${code}`, field]],
  ...extra,
});
const noAll = (
  name: string,
  manifest: unknown,
  expected: [string, string][],
  extra: Partial<Row> = {},
): Row => ({
  name,
  manifest,
  expected: expected.map(([code, field]) => [`VIBE_POLICY_${code}`, field] as const),
  ...extra,
});

const rows: Row[] = [
  // Pod templates: node access and scheduling.
  ok('a hardened Deployment', deploy()),
  no('nodeName', pod({ nodeName: 'control-plane-1' }), 'NODE_NAME', `${T}.nodeName`),
  no(
    'a nodeSelector on the control plane',
    pod({ nodeSelector: { 'node-role.kubernetes.io/control-plane': '' } }),
    'NODE_SELECTOR',
    `${T}.nodeSelector["node-role.kubernetes.io/control-plane"]`,
  ),
  ok('a nodeSelector the policy allows', pod({ nodeSelector: { pool: 'previews' } }), {
    policy: policyWith({ workloads: { nodeSelector: { pool: ['previews'] } } }),
  }),
  no(
    'a nodeSelector value the policy does not list',
    pod({ nodeSelector: { pool: 'infra' } }),
    'NODE_SELECTOR',
    `${T}.nodeSelector["pool"]`,
    {
      policy: policyWith({ workloads: { nodeSelector: { pool: ['previews'] } } }),
    },
  ),
  no(
    'node affinity by matchFields (a node name)',
    pod({
      affinity: {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [
              { matchFields: [{ key: 'metadata.name', operator: 'In', values: ['node-1'] }] },
            ],
          },
        },
      },
    }),
    'NODE_NAME',
    `${T}.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchFields`,
  ),
  no(
    'node affinity to a hostname',
    pod({
      affinity: {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [
              { matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: ['cp'] }] },
            ],
          },
        },
      },
    }),
    'NODE_SELECTOR',
    `${T}.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0]`,
  ),
  no(
    'preferred node affinity with NotIn',
    pod({
      affinity: {
        nodeAffinity: {
          preferredDuringSchedulingIgnoredDuringExecution: [
            {
              weight: 1,
              preference: { matchExpressions: [{ key: 'pool', operator: 'NotIn', values: ['x'] }] },
            },
          ],
        },
      },
    }),
    'NODE_SELECTOR',
    `${T}.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].preference.matchExpressions[0]`,
    { policy: policyWith({ workloads: { nodeSelector: { pool: ['previews'] } } }) },
  ),
  no(
    'pod affinity to pods of other namespaces',
    pod({
      affinity: {
        podAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: [
            { topologyKey: 'kubernetes.io/hostname', namespaces: ['env-2'] },
          ],
        },
      },
    }),
    'AFFINITY_NAMESPACE',
    `${T}.affinity.podAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].namespaces`,
  ),
  no(
    'pod anti-affinity with a namespaceSelector',
    pod({
      affinity: {
        podAntiAffinity: {
          preferredDuringSchedulingIgnoredDuringExecution: [
            { weight: 10, podAffinityTerm: { topologyKey: 'zone', namespaceSelector: {} } },
          ],
        },
      },
    }),
    'AFFINITY_NAMESPACE',
    `${T}.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm.namespaceSelector`,
  ),
  ok(
    'pod anti-affinity among its own pods',
    pod({
      affinity: {
        podAntiAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: [
            { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { app: 'web' } } },
          ],
        },
      },
    }),
  ),
  no(
    'a toleration of the control-plane taint',
    pod({
      tolerations: [
        { key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' },
      ],
    }),
    'TOLERATION',
    `${T}.tolerations[0].key`,
  ),
  no(
    'a toleration of every taint',
    pod({ tolerations: [{ operator: 'Exists', effect: 'NoSchedule' }] }),
    'TOLERATION',
    `${T}.tolerations[0]`,
  ),
  no(
    'a NoExecute toleration of an allowed key',
    pod({ tolerations: [{ key: 'dedicated', operator: 'Exists', effect: 'NoExecute' }] }),
    'TOLERATION',
    `${T}.tolerations[0].effect`,
    { policy: policyWith({ workloads: { tolerations: ['dedicated'] } }) },
  ),
  no(
    'a toleration without an effect',
    pod({ tolerations: [{ key: 'dedicated', operator: 'Exists' }] }),
    'TOLERATION',
    `${T}.tolerations[0].effect`,
    { policy: policyWith({ workloads: { tolerations: ['dedicated'] } }) },
  ),
  ok(
    'a NoSchedule toleration the policy allows',
    pod({ tolerations: [{ key: 'dedicated', operator: 'Exists', effect: 'NoSchedule' }] }),
    {
      policy: policyWith({ workloads: { tolerations: ['dedicated'] } }),
    },
  ),
  no(
    'a node-lifecycle toleration even when listed',
    pod({
      tolerations: [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoSchedule' }],
    }),
    'TOLERATION',
    `${T}.tolerations[0].key`,
    { policy: policyWith({ workloads: { tolerations: ['node.kubernetes.io/unreachable'] } }) },
  ),
  no(
    'priorityClassName system-node-critical',
    pod({ priorityClassName: 'system-node-critical' }),
    'PRIORITY_CLASS',
    `${T}.priorityClassName`,
  ),
  ok('an allow-listed priority class', pod({ priorityClassName: 'preview' }), {
    policy: policyWith({ workloads: { priorityClassNames: ['preview'] } }),
  }),
  no('a raw priority', pod({ priority: 1_000_000_000 }), 'PRIORITY_CLASS', `${T}.priority`),
  no(
    'preemption',
    pod({ preemptionPolicy: 'PreemptLowerPriority' }),
    'PRIORITY_CLASS',
    `${T}.preemptionPolicy`,
  ),
  no('runtimeClassName runc', pod({ runtimeClassName: 'runc' }), 'RUNTIME_CLASS', `${T}.runtimeClassName`),
  ok('the policy runtime class', pod({ runtimeClassName: 'gvisor' }), {
    policy: policyWith({ workloads: { runtimeClassName: 'gvisor' } }),
  }),
  no(
    'another runtime class than the policy one',
    pod({ runtimeClassName: 'kata' }),
    'RUNTIME_CLASS',
    `${T}.runtimeClassName`,
    {
      policy: policyWith({ workloads: { runtimeClassName: 'gvisor' } }),
    },
  ),
  no('a custom scheduler', pod({ schedulerName: 'my-scheduler' }), 'SCHEDULER', `${T}.schedulerName`),

  // Identity and tokens.
  no(
    'the applier ServiceAccount',
    pod({ serviceAccountName: 'vibe-applier' }),
    'SERVICE_ACCOUNT',
    `${T}.serviceAccountName`,
  ),
  no(
    'the deprecated serviceAccount field',
    pod({ serviceAccount: 'admin' }),
    'SERVICE_ACCOUNT',
    `${T}.serviceAccount`,
  ),
  ok('the workload ServiceAccount named', pod({ serviceAccountName: 'default' })),
  ok('a workload ServiceAccount given by the context', pod({ serviceAccountName: 'workload' }), {
    context: { ...CONTEXT, workloadServiceAccount: 'workload' },
  }),
  no(
    'a mounted token',
    pod({ automountServiceAccountToken: true }),
    'SERVICE_ACCOUNT_TOKEN',
    `${T}.automountServiceAccountToken`,
  ),
  no(
    'a projected service-account token',
    pod({
      volumes: [
        { name: 't', projected: { sources: [{ serviceAccountToken: { path: 'token', audience: 'api' } }] } },
      ],
    }),
    'PROJECTED_TOKEN',
    `${T}.volumes[0].projected.sources[0].serviceAccountToken`,
  ),
  no(
    'a null token setting',
    pod({ automountServiceAccountToken: null }),
    'FIELD_TYPE',
    `${T}.automountServiceAccountToken`,
  ),

  // Volumes.
  no(
    'hostPath',
    pod({ volumes: [{ name: 'root', hostPath: { path: '/' } }] }),
    'HOST_PATH',
    `${T}.volumes[0].hostPath`,
  ),
  no(
    'an NFS volume',
    pod({ volumes: [{ name: 'n', nfs: { server: '10.0.0.1', path: '/' } }] }),
    'VOLUME_TYPE',
    `${T}.volumes[0].nfs`,
  ),
  no(
    'a CSI volume',
    pod({ volumes: [{ name: 'c', csi: { driver: 'secrets-store' } }] }),
    'VOLUME_TYPE',
    `${T}.volumes[0].csi`,
  ),
  no(
    'an ephemeral volume',
    pod({ volumes: [{ name: 'e', ephemeral: { volumeClaimTemplate: {} } }] }),
    'VOLUME_TYPE',
    `${T}.volumes[0].ephemeral`,
  ),
  no(
    'a gitRepo volume',
    pod({ volumes: [{ name: 'g', gitRepo: { repository: 'x' } }] }),
    'VOLUME_TYPE',
    `${T}.volumes[0].gitRepo`,
  ),
  no('an iSCSI volume', pod({ volumes: [{ name: 'i', iscsi: {} }] }), 'VOLUME_TYPE', `${T}.volumes[0].iscsi`),
  no(
    'an image volume',
    pod({ volumes: [{ name: 'i', image: { reference: 'x' } }] }),
    'VOLUME_TYPE',
    `${T}.volumes[0].image`,
  ),
  no(
    'a cluster trust bundle',
    pod({
      volumes: [{ name: 'b', projected: { sources: [{ clusterTrustBundle: { name: 'x', path: 'ca' } }] } }],
    }),
    'VOLUME_TYPE',
    `${T}.volumes[0].projected.sources[0].clusterTrustBundle`,
  ),
  no(
    'an unknown volume type',
    pod({ volumes: [{ name: 'u', cephFuse: {} }] }),
    'UNKNOWN_FIELD',
    `${T}.volumes[0].cephFuse`,
  ),
  ok('a configMap volume', pod({ volumes: [{ name: 'c', configMap: { name: 'cfg', defaultMode: 0o444 } }] })),
  ok('a secret volume', pod({ volumes: [{ name: 's', secret: { secretName: 'creds' } }] })),
  ok(
    'an emptyDir in memory',
    pod({ volumes: [{ name: 'm', emptyDir: { medium: 'Memory', sizeLimit: '64Mi' } }] }),
  ),
  ok('a claim volume', pod({ volumes: [{ name: 'd', persistentVolumeClaim: { claimName: 'data' } }] })),
  ok(
    'a downwardAPI volume',
    pod({
      volumes: [
        {
          name: 'd',
          downwardAPI: { items: [{ path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } }] },
        },
      ],
    }),
  ),
  ok(
    'a projected volume of a ConfigMap, a Secret and the downward API',
    pod({
      volumes: [
        {
          name: 'p',
          projected: {
            sources: [
              { configMap: { name: 'cfg' } },
              { secret: { name: 'creds' } },
              { downwardAPI: { items: [{ path: 'name', fieldRef: { fieldPath: 'metadata.name' } }] } },
            ],
          },
        },
      ],
    }),
  ),
  no(
    'a downward API field outside the pod',
    pod({
      volumes: [
        { name: 'd', downwardAPI: { items: [{ path: 'x', fieldRef: { fieldPath: 'status.nodeInfo' } }] } },
      ],
    }),
    'FIELD_VALUE',
    `${T}.volumes[0].downwardAPI.items[0].fieldRef.fieldPath`,
  ),
  no(
    'bidirectional mount propagation',
    withContainer(
      container({ volumeMounts: [{ name: 'm', mountPath: '/m', mountPropagation: 'Bidirectional' }] }),
    ),
    'MOUNT_PROPAGATION',
    `${C}.volumeMounts[0].mountPropagation`,
  ),
  no(
    'a raw block device',
    withContainer(container({ volumeDevices: [{ name: 'd', devicePath: '/dev/x' }] })),
    'VOLUME_TYPE',
    `${C}.volumeDevices`,
  ),

  // Probes and hooks.
  no(
    'a liveness probe against the metadata service',
    withContainer(
      container({ livenessProbe: { httpGet: { host: '169.254.169.254', path: '/', port: 80 } } }),
    ),
    'PROBE_HOST',
    `${C}.livenessProbe.httpGet.host`,
  ),
  no(
    'a readiness probe against the API server',
    withContainer(container({ readinessProbe: { tcpSocket: { host: '10.96.0.1', port: 443 } } })),
    'PROBE_HOST',
    `${C}.readinessProbe.tcpSocket.host`,
  ),
  no(
    'a postStart hook against another host',
    withContainer(
      container({ lifecycle: { postStart: { httpGet: { host: 'kubelet', path: '/pods', port: 10250 } } } }),
    ),
    'PROBE_HOST',
    `${C}.lifecycle.postStart.httpGet.host`,
  ),
  no(
    'a preStop hook against another host',
    withContainer(container({ lifecycle: { preStop: { tcpSocket: { host: '10.0.0.1', port: 22 } } } })),
    'PROBE_HOST',
    `${C}.lifecycle.preStop.tcpSocket.host`,
  ),
  ok(
    'probes and hooks on the pod itself',
    withContainer(
      container({
        startupProbe: { tcpSocket: { port: 8080 }, periodSeconds: 1, failureThreshold: 30 },
        livenessProbe: { httpGet: { path: '/healthz', port: 'http' } },
        readinessProbe: { grpc: { port: 9090 } },
        lifecycle: { preStop: { sleep: { seconds: 5 } } },
      }),
    ),
  ),

  // Kernel, profiles and privileges (PodSecurity restricted).
  no(
    'an unsafe sysctl',
    pod({ securityContext: { runAsNonRoot: true, sysctls: [{ name: 'kernel.msgmax', value: '1' }] } }),
    'SYSCTL',
    `${T}.securityContext.sysctls[0].name`,
  ),
  ok(
    'a safe sysctl',
    pod({
      securityContext: { runAsNonRoot: true, sysctls: [{ name: 'net.ipv4.tcp_syncookies', value: '1' }] },
    }),
  ),
  no(
    'seccomp Unconfined on the pod',
    pod({ securityContext: { runAsNonRoot: true, seccompProfile: { type: 'Unconfined' } } }),
    'SECCOMP',
    `${T}.securityContext.seccompProfile.type`,
  ),
  no(
    'a Localhost seccomp profile',
    withContainer(secured({ seccompProfile: { type: 'Localhost', localhostProfile: 'x.json' } })),
    'SECCOMP',
    `${C}.securityContext.seccompProfile.type`,
    {
      expected: [
        ['VIBE_POLICY_SECCOMP', `${C}.securityContext.seccompProfile.type`],
        ['VIBE_POLICY_SECCOMP', `${C}.securityContext.seccompProfile.localhostProfile`],
      ],
    },
  ),
  no(
    'AppArmor Unconfined',
    withContainer(secured({ appArmorProfile: { type: 'Unconfined' } })),
    'APPARMOR',
    `${C}.securityContext.appArmorProfile.type`,
  ),
  no(
    'SELinux options',
    pod({ securityContext: { runAsNonRoot: true, seLinuxOptions: { level: 's0:c1,c2' } } }),
    'SELINUX',
    `${T}.securityContext.seLinuxOptions`,
  ),
  no(
    'an unmasked /proc',
    withContainer(secured({ procMount: 'Unmasked' })),
    'PROC_MOUNT',
    `${C}.securityContext.procMount`,
  ),
  no(
    'a Windows host process',
    withContainer(secured({ windowsOptions: { hostProcess: true } })),
    'WINDOWS',
    `${C}.securityContext.windowsOptions`,
  ),
  no(
    'privileged',
    withContainer(secured({ privileged: true })),
    'PRIVILEGED',
    `${C}.securityContext.privileged`,
  ),
  no(
    'privilege escalation',
    withContainer(secured({ allowPrivilegeEscalation: true })),
    'PRIVILEGE_ESCALATION',
    `${C}.securityContext.allowPrivilegeEscalation`,
  ),
  no(
    'CAP_SYS_ADMIN',
    withContainer(secured({ capabilities: { drop: ['ALL'], add: ['SYS_ADMIN'] } })),
    'CAPABILITIES',
    `${C}.securityContext.capabilities.add[0]`,
  ),
  ok(
    'NET_BIND_SERVICE, the one capability restricted allows',
    withContainer(secured({ capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE'] } })),
  ),
  no(
    'capabilities kept',
    withContainer(secured({ capabilities: { drop: ['NET_RAW'] } })),
    'CAPABILITIES',
    `${C}.securityContext.capabilities.drop`,
  ),
  no(
    'root on the pod',
    pod({ securityContext: { runAsUser: 0 } }),
    'RUN_AS_ROOT',
    `${T}.securityContext.runAsUser`,
  ),
  no(
    'root in a container',
    withContainer(secured({ runAsUser: 0 })),
    'RUN_AS_ROOT',
    `${C}.securityContext.runAsUser`,
  ),
  no(
    'runAsNonRoot false',
    withContainer(secured({ runAsNonRoot: false })),
    'RUN_AS_ROOT',
    `${C}.securityContext.runAsNonRoot`,
  ),
  no('hostNetwork', pod({ hostNetwork: true }), 'HOST_NAMESPACE', `${T}.hostNetwork`),
  no('hostPID', pod({ hostPID: true }), 'HOST_NAMESPACE', `${T}.hostPID`),
  no('hostIPC', pod({ hostIPC: true }), 'HOST_NAMESPACE', `${T}.hostIPC`),
  no('host users', pod({ hostUsers: true }), 'HOST_NAMESPACE', `${T}.hostUsers`),
  ok(
    'hostNetwork false spelled out',
    pod({ hostNetwork: false, hostPID: false, hostIPC: false, hostUsers: false }),
  ),
  no('hostNetwork as the string "yes"', pod({ hostNetwork: 'yes' }), 'FIELD_TYPE', `${T}.hostNetwork`),
  no(
    'a hostPort',
    withContainer(container({ ports: [{ containerPort: 80, hostPort: 80 }] })),
    'HOST_PORT',
    `${C}.ports[0].hostPort`,
  ),
  no(
    'a hostIP',
    withContainer(container({ ports: [{ containerPort: 80, hostIP: '0.0.0.0' }] })),
    'HOST_PORT',
    `${C}.ports[0].hostIP`,
  ),
  no(
    'a GPU',
    withContainer(container({ resources: { limits: { cpu: '1', memory: '1Gi', 'nvidia.com/gpu': 1 } } })),
    'RESOURCES',
    `${C}.resources.limits["nvidia.com/gpu"]`,
  ),
  no(
    'a device claim',
    withContainer(container({ resources: { claims: [{ name: 'gpu' }] } })),
    'RESOURCES',
    `${C}.resources.claims`,
  ),
  no(
    'a quantity that is not one',
    withContainer(container({ resources: { limits: { cpu: 'lots', memory: '1Gi' } } })),
    'RESOURCES',
    `${C}.resources.limits.cpu`,
  ),
  no(
    'DNS servers of its own',
    pod({ dnsConfig: { nameservers: ['169.254.169.254'] } }),
    'DNS',
    `${T}.dnsConfig.nameservers`,
  ),
  no('dnsPolicy None', pod({ dnsPolicy: 'None' }), 'DNS', `${T}.dnsPolicy`),
  no('an unknown pod field', pod({ overhead: { cpu: '1' } }), 'UNKNOWN_FIELD', `${T}.overhead`),
  no(
    'an unknown container field',
    withContainer(container({ privilegedMode: true })),
    'UNKNOWN_FIELD',
    `${C}.privilegedMode`,
  ),
  no('a Windows pod', pod({ os: { name: 'windows' } }), 'FIELD_VALUE', `${T}.os.name`),
  no(
    'a privileged ephemeral container',
    pod({ ephemeralContainers: [secured({ privileged: true }, { name: 'debug' })] }),
    'PRIVILEGED',
    `${T}.ephemeralContainers[0].securityContext.privileged`,
  ),
  no(
    'a root init container',
    pod({ initContainers: [secured({ runAsUser: 0 }, { name: 'init' })] }),
    'RUN_AS_ROOT',
    `${T}.initContainers[0].securityContext.runAsUser`,
  ),
  ok(
    'a sidecar init container',
    pod({ initContainers: [container({ name: 'proxy', restartPolicy: 'Always' })] }),
  ),
  no(
    'an image on the deny list',
    withContainer(container({ image: 'ghcr.io/acme/app:latest' })),
    'IMAGE',
    `${C}.image`,
    {
      policy: policyWith({ images: { allow: ['*'], deny: ['*:latest'] } }),
    },
  ),
  no('no containers', pod({ containers: [] }), 'POD_SPEC', `${T}.containers`),
  no('no pod template', { ...deploy(), spec: { replicas: 1 } }, 'POD_SPEC', T),
  ok(
    'environment from the pod, ConfigMaps and Secrets',
    withContainer(
      container({
        env: [
          { name: 'POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
          { name: 'PASSWORD', valueFrom: { secretKeyRef: { name: 'creds', key: 'password' } } },
        ],
        envFrom: [{ secretRef: { name: 'creds' } }, { configMapRef: { name: 'cfg' } }],
      }),
    ),
  ),
  ok(
    'spread, pull secrets and a shared process namespace',
    pod({
      shareProcessNamespace: true,
      imagePullSecrets: [{ name: 'registry' }],
      topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'ScheduleAnyway' }],
    }),
  ),

  // Workload kinds, replica cap and quota.
  ok(
    'a StatefulSet with a claim template',
    statefulSet({
      volumeClaimTemplates: [
        {
          metadata: { name: 'data' },
          spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
        },
      ],
    }),
  ),
  no(
    'a StatefulSet claim template bound to an existing volume',
    statefulSet({
      volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { volumeName: 'pv-of-env-2' } }],
    }),
    'PVC_SOURCE',
    'spec.volumeClaimTemplates[0].spec.volumeName',
  ),
  no('a StatefulSet of 21 replicas', statefulSet({ replicas: 21 }), 'REPLICAS', 'spec.replicas', {
    context: { namespace: 'env-1' },
  }),
  no('a Deployment of -1 replicas', deploy(podSpec(), { replicas: -1 }), 'REPLICAS', 'spec.replicas'),
  no(
    'a rollout surge of 1000 pods',
    deploy(podSpec(), { strategy: { rollingUpdate: { maxSurge: 1000 } } }),
    'REPLICAS',
    'spec.strategy.rollingUpdate.maxSurge',
  ),
  no(
    'a rollout surge of 1000%',
    deploy(podSpec(), { strategy: { rollingUpdate: { maxSurge: '1000%' } } }),
    'REPLICAS',
    'spec.strategy.rollingUpdate.maxSurge',
  ),
  ok(
    'a rollout surge of 25%',
    deploy(podSpec(), {
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 } },
    }),
  ),
  no('replicas as a string', deploy(podSpec(), { replicas: '3' }), 'FIELD_TYPE', 'spec.replicas'),
  ok('a Job', job()),
  no('a Job of 50 parallel pods', job({ parallelism: 50 }), 'REPLICAS', 'spec.parallelism', {
    context: { namespace: 'env-1' },
  }),
  no('a Job of 1000 completions', job({ completions: 1000 }), 'REPLICAS', 'spec.completions'),
  no(
    'a Job with a selector of its own',
    job({ manualSelector: true }),
    'MANUAL_SELECTOR',
    'spec.manualSelector',
  ),
  ok('a CronJob', cronJob()),
  no(
    'a CronJob on the host network',
    cronJob({}, podSpec({ hostNetwork: true, restartPolicy: 'Never' })),
    'HOST_NAMESPACE',
    'spec.jobTemplate.spec.template.spec.hostNetwork',
  ),
  no(
    'a CronJob of 30 parallel pods',
    cronJob({ parallelism: 30 }),
    'REPLICAS',
    'spec.jobTemplate.spec.parallelism',
    { context: { namespace: 'env-1' } },
  ),
  no(
    'a CronJob as another ServiceAccount',
    cronJob({}, podSpec({ serviceAccountName: 'vibe-applier', restartPolicy: 'Never' })),
    'SERVICE_ACCOUNT',
    'spec.jobTemplate.spec.template.spec.serviceAccountName',
  ),
  ok('a bare Pod', object('v1', 'Pod', { spec: podSpec() }, 'p')),
  no(
    'a bare Pod on a chosen node',
    object('v1', 'Pod', { spec: podSpec({ nodeName: 'n1' }) }, 'p'),
    'NODE_NAME',
    'spec.nodeName',
  ),
  no(
    'a Deployment whose pods exceed the CPU quota together',
    deploy(podSpec(), { replicas: 10 }),
    'QUOTA',
    `${T}.containers`,
  ),
  no(
    'a container whose memory limit exceeds the quota',
    withContainer(
      container({
        resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '8Gi' } },
      }),
    ),
    'QUOTA',
    `${T}.containers`,
  ),
  no('more pods than the quota', deploy(podSpec(), { replicas: 6 }), 'QUOTA', 'spec.replicas', {
    context: { ...CONTEXT, quota: { pods: 5 } },
  }),
  ok('two replicas within the quota', deploy(podSpec(), { replicas: 2 })),

  // Metadata.
  no(
    'finalizers',
    deploy(podSpec(), {}, { finalizers: ['example.com/never'] }),
    'FINALIZERS',
    'metadata.finalizers',
  ),
  no(
    'an owner',
    deploy(podSpec(), {}, { ownerReferences: [{ kind: 'Namespace', name: 'x' }] }),
    'OWNER_REFERENCES',
    'metadata.ownerReferences',
  ),
  no(
    'an operator label',
    deploy(podSpec(), {}, { labels: { 'vibe.dev/environment': 'other' } }),
    'RESERVED_METADATA',
    'metadata.labels["vibe.dev/environment"]',
  ),
  no(
    'a service-account annotation on a Secret',
    secret({
      metadata: { name: 'creds', annotations: { 'kubernetes.io/service-account.name': 'vibe-applier' } },
    }),
    'RESERVED_METADATA',
    'metadata.annotations["kubernetes.io/service-account.name"]',
  ),
  no(
    "another applyset's label",
    deploy(podSpec(), {}, { labels: { 'applyset.kubernetes.io/part-of': 'applyset-other-v1' } }),
    'RESERVED_METADATA',
    'metadata.labels["applyset.kubernetes.io/part-of"]',
  ),
  ok(
    "the environment's applyset label",
    deploy(podSpec(), {}, { labels: { 'applyset.kubernetes.io/part-of': 'applyset-abc-v1' } }),
  ),
  ok(
    'recommended app labels',
    deploy(
      podSpec(),
      {},
      { labels: { 'app.kubernetes.io/name': 'web', 'app.kubernetes.io/managed-by': 'vibe' } },
    ),
  ),
  no(
    "the operator's managed-by value",
    deploy(podSpec(), {}, { labels: { 'app.kubernetes.io/managed-by': 'vibe-operator' } }),
    'RESERVED_METADATA',
    'metadata.labels["app.kubernetes.io/managed-by"]',
  ),
  no(
    'an AppArmor annotation on the pod template',
    {
      ...deploy(),
      spec: {
        ...(deploy().spec as Obj),
        template: {
          metadata: { annotations: { 'container.apparmor.security.beta.kubernetes.io/app': 'unconfined' } },
          spec: podSpec(),
        },
      },
    },
    'RESERVED_METADATA',
    'spec.template.metadata.annotations["container.apparmor.security.beta.kubernetes.io/app"]',
  ),
  no(
    'a Multus network annotation on the pod template',
    templateAnnotated({ 'k8s.v1.cni.cncf.io/networks': 'host-bridge' }),
    'ANNOTATION',
    'spec.template.metadata.annotations["k8s.v1.cni.cncf.io/networks"]',
  ),
  no(
    'a Calico address annotation on the pod template',
    templateAnnotated({ 'cni.projectcalico.org/ipAddrs': '["10.0.0.5"]' }),
    'ANNOTATION',
    'spec.template.metadata.annotations["cni.projectcalico.org/ipAddrs"]',
  ),
  no(
    'a gVisor flag annotation on a bare Pod',
    {
      ...object('v1', 'Pod', { spec: podSpec() }, 'p'),
      metadata: { name: 'p', annotations: { 'dev.gvisor.flag.network': 'host' } },
    },
    'ANNOTATION',
    'metadata.annotations["dev.gvisor.flag.network"]',
  ),
  ok('an annotation without a prefix', templateAnnotated({ owner: 'team-a' })),
  ok('an allow-listed pod annotation', templateAnnotated({ 'prometheus.io/scrape': 'true' }), {
    policy: policyWith({ annotations: ['prometheus.io/scrape'] }),
  }),
  no(
    'a k8s.io label',
    deploy(podSpec(), {}, { labels: { 'node.k8s.io/pool': 'x' } }),
    'RESERVED_METADATA',
    'metadata.labels["node.k8s.io/pool"]',
  ),
  no(
    'a label value that is a number',
    deploy(podSpec(), {}, { labels: { tier: 1 } }),
    'FIELD_TYPE',
    'metadata.labels.tier',
  ),
  no(
    'another namespace',
    deploy(podSpec(), {}, { namespace: 'kube-system' }),
    'NAMESPACE',
    'metadata.namespace',
  ),
  no(
    'generateName',
    deploy(podSpec(), {}, { generateName: 'web-' }),
    'UNKNOWN_FIELD',
    'metadata.generateName',
  ),
  no(
    'the cluster CA ConfigMap',
    object('v1', 'ConfigMap', { data: {} }, 'kube-root-ca.crt'),
    'RESERVED_OBJECT',
    'metadata.name',
  ),
  no(
    'the applyset parent ConfigMap',
    object('v1', 'ConfigMap', { data: {} }, 'vibe-applyset'),
    'RESERVED_OBJECT',
    'metadata.name',
  ),

  // Services.
  ok('a ClusterIP Service', service({ type: 'ClusterIP' })),
  ok('a headless Service', service({ clusterIP: 'None' })),
  no('a NodePort Service', service({ type: 'NodePort' }), 'SERVICE_TYPE', 'spec.type'),
  no('a LoadBalancer Service', service({ type: 'LoadBalancer' }), 'SERVICE_TYPE', 'spec.type'),
  no('an ExternalName Service', service({ type: 'ExternalName' }), 'SERVICE_TYPE', 'spec.type'),
  no(
    'an externalName to the API server',
    service({ externalName: 'kubernetes.default.svc' }),
    'SERVICE_TYPE',
    'spec.externalName',
  ),
  no('external IPs', service({ externalIPs: ['203.0.113.10'] }), 'EXTERNAL_IPS', 'spec.externalIPs[0]'),
  ok('an empty externalIPs list (as cdk8s writes it)', service({ externalIPs: [] })),
  no('a chosen cluster IP', service({ clusterIP: '10.96.0.10' }), 'CLUSTER_IP', 'spec.clusterIP'),
  no(
    'load balancer source ranges',
    service({ loadBalancerSourceRanges: ['0.0.0.0/0'] }),
    'SERVICE_EXPOSURE',
    'spec.loadBalancerSourceRanges',
  ),
  no(
    'a node port',
    service({ ports: [{ port: 80, nodePort: 30080 }] }),
    'SERVICE_EXPOSURE',
    'spec.ports[0].nodePort',
  ),
  no(
    'an external traffic policy',
    service({ externalTrafficPolicy: 'Local' }),
    'SERVICE_EXPOSURE',
    'spec.externalTrafficPolicy',
  ),
  no(
    'a controller annotation on a Service',
    service({}, { annotations: { 'haproxy.org/backend-config-snippet': 'x' } }),
    'ANNOTATION',
    'metadata.annotations["haproxy.org/backend-config-snippet"]',
  ),
  ok(
    'NodePort when the policy allows it',
    service({ type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }] }),
    {
      policy: policyWith({ serviceTypes: ['ClusterIP', 'NodePort'] }),
    },
  ),

  // NetworkPolicies.
  ok(
    'ingress from its own pods',
    netpol({
      policyTypes: ['Ingress'],
      ingress: [{ from: [{ podSelector: { matchLabels: { app: 'web' } } }] }],
    }),
  ),
  ok(
    'egress to its own pods on a port',
    netpol({
      policyTypes: ['Egress'],
      egress: [{ to: [{ podSelector: {} }], ports: [{ protocol: 'TCP', port: 5432 }] }],
    }),
  ),
  no(
    'ingress from every namespace',
    netpol({ ingress: [{ from: [{ namespaceSelector: {} }] }] }),
    'NETWORK_PEER',
    'spec.ingress[0].from[0].namespaceSelector',
  ),
  no(
    'ingress from an address block',
    netpol({ ingress: [{ from: [{ ipBlock: { cidr: '0.0.0.0/0' } }] }] }),
    'NETWORK_PEER',
    'spec.ingress[0].from[0].ipBlock',
  ),
  no(
    'an ingress rule without peers (from anywhere)',
    netpol({ ingress: [{}] }),
    'NETWORK_PEER',
    'spec.ingress[0].from',
  ),
  no(
    'an egress rule with ports only (to anywhere)',
    netpol({ egress: [{ ports: [{ port: 443 }] }] }),
    'NETWORK_PEER',
    'spec.egress[0].to',
  ),
  no(
    'egress to the internet without the policy allowing it',
    egressTo('0.0.0.0/0'),
    'NETWORK_EGRESS',
    'spec.egress[0].to[0].ipBlock',
  ),
  no(
    'egress to 0.0.0.0/0 with internet allowed',
    egressTo('0.0.0.0/0'),
    'NETWORK_EGRESS',
    'spec.egress[0].to[0].ipBlock.cidr',
    { policy: INTERNET },
  ),
  ok(
    'egress to 0.0.0.0/0 except every private and cluster range',
    egressTo('0.0.0.0/0', [...PRIVATE_V4, '34.0.0.0/8']),
    { policy: INTERNET },
  ),
  no(
    'egress to the metadata service',
    egressTo('169.254.169.254/32'),
    'NETWORK_EGRESS',
    'spec.egress[0].to[0].ipBlock.cidr',
    { policy: INTERNET },
  ),
  no('egress to all of IPv6', egressTo('::/0'), 'NETWORK_EGRESS', 'spec.egress[0].to[0].ipBlock.cidr', {
    policy: INTERNET,
  }),
  no(
    'egress to an IPv4-mapped private address',
    egressTo('::ffff:10.0.0.1/128'),
    'NETWORK_EGRESS',
    'spec.egress[0].to[0].ipBlock.cidr',
    { policy: INTERNET },
  ),
  no(
    'egress to a public cluster range',
    egressTo('34.1.0.0/16'),
    'NETWORK_EGRESS',
    'spec.egress[0].to[0].ipBlock.cidr',
    { policy: INTERNET },
  ),
  ok('egress to a public block', egressTo('8.8.8.0/24'), { policy: INTERNET }),
  no(
    'egress to something that is not a CIDR',
    egressTo('8.8.8.8'),
    'FIELD_VALUE',
    'spec.egress[0].to[0].ipBlock',
    { policy: INTERNET },
  ),
  no(
    'a policy named like the default-deny',
    netpol({ ingress: [{ from: [{ podSelector: {} }] }] }, 'vibe-default-deny'),
    'RESERVED_OBJECT',
    'metadata.name',
  ),
  no('an unknown NetworkPolicy field', netpol({ priority: 1 }), 'UNKNOWN_FIELD', 'spec.priority'),

  // Ingresses.
  ok('an Ingress for the preview host', ingress()),
  no(
    'an Ingress for another host',
    ingress({ rules: [{ host: 'web-env-2.vibe.test', http: { paths: [ingressPath()] } }] }),
    'INGRESS_HOST',
    'spec.rules[0].host',
  ),
  no(
    'an Ingress rule for every host',
    ingress({ rules: [{ http: { paths: [ingressPath()] } }] }),
    'INGRESS_HOST',
    'spec.rules[0].host',
  ),
  no(
    'a wildcard host',
    ingress({ rules: [{ host: '*.vibe.test', http: { paths: [ingressPath()] } }] }),
    'INGRESS_HOST',
    'spec.rules[0].host',
  ),
  no(
    'a default backend',
    ingress({ defaultBackend: { service: { name: 'web', port: { number: 80 } } } }),
    'INGRESS_DEFAULT_BACKEND',
    'spec.defaultBackend',
  ),
  no(
    'an implementation-specific path',
    ingress({
      rules: [{ host: HOST, http: { paths: [ingressPath({ pathType: 'ImplementationSpecific' })] } }],
    }),
    'INGRESS_PATH',
    'spec.rules[0].http.paths[0].pathType',
  ),
  no(
    'a regex path',
    ingress({ rules: [{ host: HOST, http: { paths: [ingressPath({ path: '/(.*)' })] } }] }),
    'INGRESS_PATH',
    'spec.rules[0].http.paths[0].path',
  ),
  no(
    'a dot-dot path',
    ingress({ rules: [{ host: HOST, http: { paths: [ingressPath({ path: '/a/../b' })] } }] }),
    'INGRESS_PATH',
    'spec.rules[0].http.paths[0].path',
  ),
  no(
    'a backend the plan does not declare',
    ingress({
      rules: [
        {
          host: HOST,
          http: {
            paths: [ingressPath({ backend: { service: { name: 'kubernetes', port: { number: 443 } } } })],
          },
        },
      ],
    }),
    'INGRESS_BACKEND',
    'spec.rules[0].http.paths[0].backend.service.name',
  ),
  noAll(
    'a resource backend',
    ingress({
      rules: [
        {
          host: HOST,
          http: { paths: [ingressPath({ backend: { resource: { kind: 'Bucket', name: 'b' } } })] },
        },
      ],
    }),
    [
      ['INGRESS_BACKEND', 'spec.rules[0].http.paths[0].backend.resource'],
      ['INGRESS_BACKEND', 'spec.rules[0].http.paths[0].backend'],
    ],
  ),
  no(
    'a configuration-snippet annotation',
    ingress({}, { annotations: { 'nginx.ingress.kubernetes.io/configuration-snippet': 'more_set_headers' } }),
    'RESERVED_METADATA',
    'metadata.annotations["nginx.ingress.kubernetes.io/configuration-snippet"]',
  ),
  no(
    'a controller plugin annotation',
    ingress({}, { annotations: { 'konghq.com/plugins': 'x' } }),
    'ANNOTATION',
    'metadata.annotations["konghq.com/plugins"]',
  ),
  ok('an allow-listed route annotation', ingress({}, { annotations: { 'example.com/owner': 'team' } }), {
    policy: policyWith({ annotations: ['example.com/owner'] }),
  }),
  no(
    'another ingress class',
    ingress({ ingressClassName: 'public-nginx' }),
    'INGRESS_CLASS',
    'spec.ingressClassName',
  ),
  no(
    'a TLS Secret of another namespace',
    ingress({ tls: [{ hosts: [HOST], secretName: 'kube-system/tls' }] }),
    'FIELD_VALUE',
    'spec.tls[0].secretName',
  ),
  no(
    'TLS for another host',
    ingress({ tls: [{ hosts: ['bank.example.com'], secretName: 'tls' }] }),
    'INGRESS_HOST',
    'spec.tls[0].hosts[0]',
  ),
  ok(
    'an Ingress before the operator sets its host',
    ingress({ rules: [{ host: 'web.vibe.localhost', http: { paths: [ingressPath()] } }] }),
    {
      context: { namespace: 'env-1' },
    },
  ),

  // HTTPRoutes.
  ok('an HTTPRoute for the preview host', route()),
  no(
    'an HTTPRoute for another host',
    route({ hostnames: ['shop.example.com'] }),
    'INGRESS_HOST',
    'spec.hostnames[0]',
  ),
  no('an HTTPRoute for every host', route({ hostnames: undefined }), 'INGRESS_HOST', 'spec.hostnames'),
  no(
    'a backend in another namespace',
    route({ rules: [{ backendRefs: [{ name: 'web', namespace: 'env-2', port: 80 }] }] }),
    'INGRESS_BACKEND',
    'spec.rules[0].backendRefs[0].namespace',
  ),
  no(
    'a backend that is not a Service',
    route({ rules: [{ backendRefs: [{ kind: 'ServiceImport', name: 'web', port: 80 }] }] }),
    'INGRESS_BACKEND',
    'spec.rules[0].backendRefs[0].kind',
  ),
  noAll(
    'a mirror filter',
    route({
      rules: [
        { filters: [{ type: 'RequestMirror', requestMirror: { backendRef: { name: 'x', port: 80 } } }] },
      ],
    }),
    [
      ['ROUTE_FILTER', 'spec.rules[0].filters[0].type'],
      ['ROUTE_FILTER', 'spec.rules[0].filters[0].requestMirror'],
    ],
  ),
  no(
    'a host rewrite',
    route({ rules: [{ filters: [{ type: 'URLRewrite', urlRewrite: { hostname: 'internal.svc' } }] }] }),
    'ROUTE_FILTER',
    'spec.rules[0].filters[0].urlRewrite.hostname',
  ),
  no(
    'a regular-expression path',
    route({ rules: [{ matches: [{ path: { type: 'RegularExpression', value: '/api' } }] }] }),
    'INGRESS_PATH',
    'spec.rules[0].matches[0].path.type',
  ),
  no(
    'a regular-expression header match',
    route({ rules: [{ matches: [{ headers: [{ type: 'RegularExpression', name: 'x', value: '.*' }] }] }] }),
    'ROUTE_MATCH',
    'spec.rules[0].matches[0].headers[0].type',
  ),
  no(
    'a parent Gateway without a preview Gateway',
    route({ parentRefs: [{ name: 'public' }] }),
    'ROUTE_PARENT',
    'spec.parentRefs[0]',
  ),

  // Secrets and ConfigMaps.
  ok('an Opaque Secret', secret({ type: 'Opaque' })),
  ok(
    'a TLS Secret',
    secret({
      type: 'kubernetes.io/tls',
      data: { 'tls.crt': 'Y2VydA==', 'tls.key': 'a2V5' },
      stringData: undefined,
    }),
  ),
  ok(
    'a registry Secret',
    secret({
      type: 'kubernetes.io/dockerconfigjson',
      data: { '.dockerconfigjson': 'e30=' },
      stringData: undefined,
    }),
  ),
  no(
    'a service-account token Secret',
    secret({ type: 'kubernetes.io/service-account-token' }),
    'SECRET_TYPE',
    'type',
  ),
  no('a bootstrap token Secret', secret({ type: 'bootstrap.kubernetes.io/token' }), 'SECRET_TYPE', 'type'),
  no('Secret data that is not a string', secret({ data: { x: 1 } }), 'FIELD_TYPE', 'data.x'),
  ok(
    'a ConfigMap with binary data',
    object('v1', 'ConfigMap', { data: { a: 'b' }, binaryData: { b: 'AA==' }, immutable: true }, 'cfg'),
  ),
  no(
    'an unknown top-level field',
    object('v1', 'ConfigMap', { data: {}, spec: {} }, 'cfg'),
    'UNKNOWN_FIELD',
    'spec',
  ),

  // Claims.
  ok('a claim', claim()),
  no('a claim of an existing volume', claim({ volumeName: 'pv-env-2' }), 'PVC_SOURCE', 'spec.volumeName'),
  no(
    'a claim cloned from another',
    claim({ dataSource: { kind: 'PersistentVolumeClaim', name: 'x' } }),
    'PVC_SOURCE',
    'spec.dataSource',
  ),
  no(
    'a claim filled from a snapshot',
    claim({ dataSourceRef: { kind: 'VolumeSnapshot', name: 's' } }),
    'PVC_SOURCE',
    'spec.dataSourceRef',
  ),
  no(
    'a claim selecting volumes',
    claim({ selector: { matchLabels: { env: 'env-2' } } }),
    'PVC_SOURCE',
    'spec.selector',
  ),
  no(
    'a claim beyond the storage quota',
    claim({ resources: { requests: { storage: '100Gi' } } }),
    'QUOTA',
    'spec.resources.requests.storage',
  ),
  no(
    'another storage class',
    claim({ storageClassName: 'premium' }),
    'STORAGE_CLASS',
    'spec.storageClassName',
  ),
  no('a block-mode claim', claim({ volumeMode: 'Block' }), 'VOLUME_TYPE', 'spec.volumeMode'),

  // Autoscaling and disruption budgets.
  ok('an HPA of the plan Deployment', hpa()),
  no('an HPA above the replica cap', hpa({ maxReplicas: 100 }), 'REPLICAS', 'spec.maxReplicas'),
  no(
    'an HPA of an undeclared Deployment',
    hpa({ scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'other' } }),
    'HPA_TARGET',
    'spec.scaleTargetRef',
  ),
  noAll(
    'an HPA on an external metric',
    hpa({
      metrics: [
        { type: 'External', external: { metric: { name: 'queue' }, target: { type: 'Value', value: '1' } } },
      ],
    }),
    [
      ['HPA_METRIC', 'spec.metrics[0].type'],
      ['HPA_METRIC', 'spec.metrics[0].external'],
    ],
  ),
  ok('a disruption budget with maxUnavailable 1', pdb({ maxUnavailable: 1 })),
  no('a disruption budget with minAvailable', pdb({ minAvailable: '100%' }), 'PDB', 'spec.minAvailable'),
  no(
    'a disruption budget that allows no disruption',
    pdb({ maxUnavailable: 0 }),
    'PDB',
    'spec.maxUnavailable',
  ),

  // Kinds.
  no('an EndpointSlice', object('discovery.k8s.io/v1', 'EndpointSlice'), 'KIND_NOT_ALLOWED', 'kind'),
  no('Endpoints', object('v1', 'Endpoints'), 'KIND_NOT_ALLOWED', 'kind'),
  no('a ServiceAccount', object('v1', 'ServiceAccount'), 'KIND_NOT_ALLOWED', 'kind'),
  no(
    'a token request Secret in disguise (a ReplicaSet the policy allows)',
    { ...deploy(), kind: 'ReplicaSet' },
    'KIND_UNKNOWN',
    'kind',
    {
      policy: policyWith({ allowedKinds: [...DEFAULT_POLICY.allowedKinds, 'apps/v1/ReplicaSet'] }),
    },
  ),
  no(
    'a kind that is a number',
    { apiVersion: 'v1', kind: 7, metadata: { name: 'x' } },
    'KIND_NOT_ALLOWED',
    'kind',
  ),
];

/** The references rows may make: a Service and a Deployment named web. */
const neighbours = [service(), deploy()];

describe('policy gate allow-list table', () => {
  it('holds at least 150 rows, benign and hostile, for every allowed kind', () => {
    expect(rows.length).toBeGreaterThanOrEqual(150);
    expect(rows.filter((r) => r.expected.length === 0).length).toBeGreaterThanOrEqual(40);
    const kinds = new Set(rows.map((r) => (r.manifest as { kind?: unknown }).kind));
    for (const typeKey of DEFAULT_POLICY.allowedKinds) expect(kinds).toContain(typeKey.split('/').pop());
  });

  it.each(rows)('$name', ({ manifest, expected, policy, context }) => {
    const { kind, metadata } = manifest as { kind?: unknown; metadata?: { name?: unknown } };
    const plan = [
      manifest,
      ...neighbours.filter((n) => n.kind !== kind || (n.metadata as Obj).name !== metadata?.name),
    ];
    const result = evaluatePolicy(plan, policy ?? DEFAULT_POLICY, context ?? CONTEXT);
    expect(result.violations.map((v) => [v.code, v.field])).toEqual(expected);
  });
});
