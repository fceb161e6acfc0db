/**
 * Pod specs, wherever they appear (Pods, every workload's template, Jobs and CronJobs included):
 * PodSecurity `restricted` checked here whatever the namespace says, plus what `restricted` does
 * not cover: scheduling (node, selectors, affinity, tolerations, priority, runtime class), identity
 * (one ServiceAccount, no tokens), volume types, probes and hooks aimed at other hosts, sysctls.
 */
import { imageAllowed } from '../images.js';
import { parseQuantity } from '../quantity.js';
import {
  anyString,
  bool,
  fields,
  forbid,
  int,
  isObj,
  list,
  mapOf,
  oneOf,
  port,
  scalar,
  str,
  wrongType,
  type Checker,
  type Code,
  type Rule,
  MAX_INT32,
} from './rules.js';
import { labelSelector } from './selectors.js';

/** Namespaced sysctls Kubernetes counts as safe (the PodSecurity baseline list). */
const SAFE_SYSCTLS = [
  'kernel.shm_rmid_forced',
  'net.ipv4.ip_local_port_range',
  'net.ipv4.ip_unprivileged_port_start',
  'net.ipv4.tcp_syncookies',
  'net.ipv4.ping_group_range',
  'net.ipv4.ip_local_reserved_ports',
  'net.ipv4.tcp_keepalive_time',
  'net.ipv4.tcp_fin_timeout',
  'net.ipv4.tcp_keepalive_intvl',
  'net.ipv4.tcp_keepalive_probes',
];

/** Taints no environment may tolerate, whatever the policy lists: the control plane's and the node lifecycle's. */
const CONTROL_PLANE_TAINT =
  /^(node-role\.kubernetes\.io\/(control-plane|master)|node\.kubernetes\.io\/.*|node\.cloudprovider\.kubernetes\.io\/.*)$/;

const RESOURCE_NAMES = ['cpu', 'memory', 'ephemeral-storage'];

const FIELD_PATH =
  /^(metadata\.(name|namespace|uid)|metadata\.(labels|annotations)(\['[^']*'\])?|spec\.(nodeName|serviceAccountName)|status\.(podIPs?|hostIPs?))$/;

const runAsUser: Rule = (value, at, c) => {
  if (value === 0) {
    return c.report(
      'VIBE_POLICY_RUN_AS_ROOT',
      at,
      'runs as root (user 0).',
      'set runAsUser to a non-zero user id.',
    );
  }
  int(1, MAX_INT32)(value, at, c);
};

const runAsNonRoot = oneOf(
  [true],
  'VIBE_POLICY_RUN_AS_ROOT',
  'set runAsNonRoot to true (or leave it out: the gate sets it).',
);

/** seccomp and AppArmor: the runtime's default profile only, never a file of the node's or none. */
const runtimeDefaultProfile = (code: Code, what: string) =>
  fields({
    type: oneOf(['RuntimeDefault'], code, `use ${what}.type RuntimeDefault.`),
    localhostProfile: forbid(
      code,
      `names a ${what} loaded on the node.`,
      'remove localhostProfile and use RuntimeDefault.',
    ),
  });

const seccompProfile = runtimeDefaultProfile('VIBE_POLICY_SECCOMP', 'seccompProfile');
const appArmorProfile = runtimeDefaultProfile('VIBE_POLICY_APPARMOR', 'appArmorProfile');

const seLinuxOptions = forbid(
  'VIBE_POLICY_SELINUX',
  "sets SELinux options, which can share another pod's label and files.",
  'remove seLinuxOptions; the runtime assigns a label of its own.',
);

const windowsOptions = forbid(
  'VIBE_POLICY_WINDOWS',
  'sets Windows options (host processes among them).',
  'remove windowsOptions; environments run Linux pods.',
);

const containerSecurity = fields({
  privileged: oneOf([false], 'VIBE_POLICY_PRIVILEGED', 'remove privileged or set it to false.'),
  allowPrivilegeEscalation: oneOf(
    [false],
    'VIBE_POLICY_PRIVILEGE_ESCALATION',
    'set allowPrivilegeEscalation to false.',
  ),
  capabilities: fields({
    add: list(
      oneOf(['NET_BIND_SERVICE'], 'VIBE_POLICY_CAPABILITIES', 'add no capability except NET_BIND_SERVICE.'),
      8,
    ),
    drop: list(anyString, 64),
  }),
  runAsUser,
  runAsGroup: int(0, MAX_INT32),
  runAsNonRoot,
  readOnlyRootFilesystem: bool,
  procMount: oneOf(['Default'], 'VIBE_POLICY_PROC_MOUNT', 'remove procMount or set it to Default.'),
  seccompProfile,
  appArmorProfile,
  seLinuxOptions,
  windowsOptions,
});

const podSecurity = fields({
  runAsUser,
  runAsGroup: int(0, MAX_INT32),
  runAsNonRoot,
  fsGroup: int(0, MAX_INT32),
  fsGroupChangePolicy: oneOf(['OnRootMismatch', 'Always']),
  supplementalGroups: list(int(0, MAX_INT32), 32),
  supplementalGroupsPolicy: oneOf(['Merge', 'Strict']),
  seccompProfile,
  appArmorProfile,
  seLinuxOptions,
  seLinuxChangePolicy: oneOf(['MountOption', 'Recursive']),
  windowsOptions,
  sysctls: list(
    fields({
      name: oneOf(
        SAFE_SYSCTLS,
        'VIBE_POLICY_SYSCTL',
        `use only the safe sysctls (${SAFE_SYSCTLS.join(', ')}).`,
      ),
      value: anyString,
    }),
    16,
  ),
});

const noHost = (what: string) =>
  forbid(
    'VIBE_POLICY_PROBE_HOST',
    `points the ${what} at another host, which the kubelet reaches from the node.`,
    'remove host; probes and hooks reach the pod itself.',
  );

const handler = (what: string) => ({
  exec: fields({ command: list(anyString, 64) }),
  httpGet: fields({
    path: anyString,
    port,
    host: noHost(what),
    scheme: oneOf(['HTTP', 'HTTPS']),
    httpHeaders: list(fields({ name: anyString, value: anyString }), 16),
  }),
  tcpSocket: fields({ port, host: noHost(what) }),
});

const probe = fields({
  ...handler('probe'),
  grpc: fields({ port: int(1, 65535), service: anyString }),
  initialDelaySeconds: int(0, MAX_INT32),
  periodSeconds: int(1, MAX_INT32),
  timeoutSeconds: int(1, MAX_INT32),
  successThreshold: int(1, MAX_INT32),
  failureThreshold: int(1, MAX_INT32),
  terminationGracePeriodSeconds: int(1, 3600),
});

const lifecycleHandler = fields({ ...handler('lifecycle hook'), sleep: fields({ seconds: int(0, 3600) }) });

const keyRef = fields({ name: anyString, key: anyString, optional: bool });

const quantityRule: Rule = (value, at, c) => {
  scalar(value, at, c);
  if ((typeof value === 'string' || typeof value === 'number') && parseQuantity(value) === undefined) {
    c.report(
      'VIBE_POLICY_RESOURCES',
      at,
      `"${String(value).slice(0, 40)}" is not a quantity.`,
      'write a quantity such as "500m" or "256Mi".',
    );
  }
};

const resourceList: Rule = (value, at, c) => {
  mapOf(quantityRule, 8)(value, at, c);
  if (!isObj(value)) return;
  for (const name of Object.keys(value)) {
    if (!RESOURCE_NAMES.includes(name)) {
      c.report(
        'VIBE_POLICY_RESOURCES',
        `${at}["${name}"]`,
        `asks for "${name}", a device or extended resource.`,
        `request only ${RESOURCE_NAMES.join(', ')}.`,
      );
    }
  }
};

const envVar = fields({
  name: anyString,
  value: anyString,
  valueFrom: fields({
    configMapKeyRef: keyRef,
    secretKeyRef: keyRef,
    fieldRef: fields({
      fieldPath: str(FIELD_PATH, 'a field of the pod itself'),
      apiVersion: anyString,
    }),
    resourceFieldRef: fields({ containerName: anyString, resource: anyString, divisor: scalar }),
  }),
});

const envFromSource = fields({
  prefix: anyString,
  configMapRef: fields({ name: anyString, optional: bool }),
  secretRef: fields({ name: anyString, optional: bool }),
});

const containerPort = fields({
  name: anyString,
  containerPort: int(1, 65535),
  protocol: oneOf(['TCP', 'UDP', 'SCTP']),
  hostPort: forbid(
    'VIBE_POLICY_HOST_PORT',
    'binds a port on the node.',
    'remove hostPort; expose the port through a Service.',
  ),
  hostIP: forbid(
    'VIBE_POLICY_HOST_PORT',
    'binds an address of the node.',
    'remove hostIP; expose the port through a Service.',
  ),
});

const volumeMount = fields({
  name: anyString,
  mountPath: anyString,
  readOnly: bool,
  subPath: anyString,
  subPathExpr: anyString,
  mountPropagation: oneOf(['None'], 'VIBE_POLICY_MOUNT_PROPAGATION', 'remove mountPropagation.'),
  recursiveReadOnly: oneOf(['Disabled', 'IfPossible', 'Enabled']),
});

function container(kind: 'containers' | 'initContainers' | 'ephemeralContainers'): Rule {
  return fields({
    name: anyString,
    image: anyString,
    imagePullPolicy: oneOf(['Always', 'IfNotPresent', 'Never']),
    command: list(anyString, 1000),
    args: list(anyString, 1000),
    workingDir: anyString,
    env: list(envVar),
    envFrom: list(envFromSource),
    ports: list(containerPort, 64),
    resources: fields({
      requests: resourceList,
      limits: resourceList,
      claims: forbid('VIBE_POLICY_RESOURCES', 'claims a device.', 'remove resources.claims.'),
    }),
    resizePolicy: list(fields({ resourceName: anyString, restartPolicy: anyString }), 4),
    ...(kind === 'initContainers' ? { restartPolicy: oneOf(['Always']) } : {}),
    ...(kind === 'ephemeralContainers' ? { targetContainerName: anyString } : {}),
    volumeMounts: list(volumeMount, 64),
    volumeDevices: forbid(
      'VIBE_POLICY_VOLUME_TYPE',
      'maps a raw block device into the container.',
      'remove volumeDevices.',
    ),
    livenessProbe: probe,
    readinessProbe: probe,
    startupProbe: probe,
    lifecycle: fields({
      postStart: lifecycleHandler,
      preStop: lifecycleHandler,
      stopSignal: anyString,
    }),
    terminationMessagePath: anyString,
    terminationMessagePolicy: oneOf(['File', 'FallbackToLogsOnError']),
    securityContext: containerSecurity,
    stdin: bool,
    stdinOnce: bool,
    tty: bool,
  });
}

const keyToPath = list(fields({ key: anyString, path: anyString, mode: int(0, 0o777) }), 256);
const configMapSource = { name: anyString, items: keyToPath, optional: bool };
const secretSource = { secretName: anyString, items: keyToPath, optional: bool };
const downwardItems = list(
  fields({
    path: anyString,
    fieldRef: fields({ fieldPath: str(FIELD_PATH, 'a field of the pod itself'), apiVersion: anyString }),
    resourceFieldRef: fields({ containerName: anyString, resource: anyString, divisor: scalar }),
    mode: int(0, 0o777),
  }),
  64,
);

const OTHER_VOLUME_TYPES = [
  'awsElasticBlockStore',
  'azureDisk',
  'azureFile',
  'cephfs',
  'cinder',
  'csi',
  'ephemeral',
  'fc',
  'flexVolume',
  'flocker',
  'gcePersistentDisk',
  'gitRepo',
  'glusterfs',
  'image',
  'iscsi',
  'nfs',
  'photonPersistentDisk',
  'portworxVolume',
  'quobyte',
  'rbd',
  'scaleIO',
  'storageos',
  'vsphereVolume',
];

const volume = fields({
  name: anyString,
  configMap: fields({ ...configMapSource, defaultMode: int(0, 0o777) }),
  secret: fields({ ...secretSource, defaultMode: int(0, 0o777) }),
  emptyDir: fields({ medium: oneOf(['', 'Memory']), sizeLimit: quantityRule }),
  persistentVolumeClaim: fields({ claimName: anyString, readOnly: bool }),
  downwardAPI: fields({ items: downwardItems, defaultMode: int(0, 0o777) }),
  projected: fields({
    defaultMode: int(0, 0o777),
    sources: list(
      fields({
        configMap: fields(configMapSource),
        secret: fields({ name: anyString, items: keyToPath, optional: bool }),
        downwardAPI: fields({ items: downwardItems }),
        serviceAccountToken: forbid(
          'VIBE_POLICY_PROJECTED_TOKEN',
          'projects a service-account token into the pod.',
          'remove the serviceAccountToken source; workloads get no Kubernetes credentials.',
        ),
        clusterTrustBundle: forbid(
          'VIBE_POLICY_VOLUME_TYPE',
          'projects a cluster trust bundle.',
          'remove it.',
        ),
        podCertificate: forbid('VIBE_POLICY_VOLUME_TYPE', 'projects a pod certificate.', 'remove it.'),
      }),
      32,
    ),
  }),
  hostPath: forbid(
    'VIBE_POLICY_HOST_PATH',
    'mounts a path from the node.',
    'use an emptyDir, ConfigMap, Secret or PersistentVolumeClaim volume.',
  ),
  ...Object.fromEntries(
    OTHER_VOLUME_TYPES.map((type) => [
      type,
      forbid(
        'VIBE_POLICY_VOLUME_TYPE',
        `is a ${type} volume, which is not on the allow-list.`,
        'use configMap, secret, emptyDir, persistentVolumeClaim, downwardAPI or projected volumes.',
      ),
    ]),
  ),
});

const nodeSelector: Rule = (value, at, c) => {
  mapOf(anyString, 32)(value, at, c);
  if (!isObj(value)) return;
  const allowed = c.input.policy.workloads.nodeSelector;
  for (const [key, wanted] of Object.entries(value)) {
    const values = Object.hasOwn(allowed, key) ? allowed[key]! : undefined;
    if (!values?.includes(wanted as string)) {
      c.report(
        'VIBE_POLICY_NODE_SELECTOR',
        `${at}["${key}"]`,
        `selects nodes by "${key}=${String(wanted)}", which the policy does not allow.`,
        Object.keys(allowed).length
          ? `select only on ${Object.keys(allowed).join(', ')} with their allowed values.`
          : 'remove the node selector.',
      );
    }
  }
};

const nodeRequirement: Rule = (value, at, c) => {
  fields({ key: anyString, operator: anyString, values: list(anyString, 64) })(value, at, c);
  if (!isObj(value)) return;
  const allowed = c.input.policy.workloads.nodeSelector;
  const key = value.key;
  const values = typeof key === 'string' && Object.hasOwn(allowed, key) ? allowed[key]! : undefined;
  const asked = Array.isArray(value.values) ? value.values : [];
  const fine =
    values !== undefined &&
    ((value.operator === 'In' && asked.every((v) => values.includes(v as string))) ||
      value.operator === 'Exists');
  if (!fine) {
    c.report(
      'VIBE_POLICY_NODE_SELECTOR',
      at,
      `steers the pod to nodes by "${String(key)}" ${String(value.operator)}, which the policy does not allow.`,
      'use only In or Exists on the node labels the policy lists, or remove the node affinity.',
    );
  }
};

const nodeSelectorTerm = fields({
  matchExpressions: list(nodeRequirement, 16),
  matchFields: forbid(
    'VIBE_POLICY_NODE_NAME',
    'picks nodes by their fields (their name).',
    'remove matchFields.',
  ),
});

const podAffinityTerm = fields({
  labelSelector,
  topologyKey: anyString,
  matchLabelKeys: list(anyString, 16),
  mismatchLabelKeys: list(anyString, 16),
  namespaces: forbid(
    'VIBE_POLICY_AFFINITY_NAMESPACE',
    'looks at pods of other namespaces.',
    'remove namespaces; affinity stays inside the environment.',
  ),
  namespaceSelector: forbid(
    'VIBE_POLICY_AFFINITY_NAMESPACE',
    'looks at pods of other namespaces.',
    'remove namespaceSelector; affinity stays inside the environment.',
  ),
});

const podAffinity = fields({
  requiredDuringSchedulingIgnoredDuringExecution: list(podAffinityTerm, 16),
  preferredDuringSchedulingIgnoredDuringExecution: list(fields({ weight: int(1, 100), podAffinityTerm }), 16),
});

const affinity = fields({
  nodeAffinity: fields({
    requiredDuringSchedulingIgnoredDuringExecution: fields({ nodeSelectorTerms: list(nodeSelectorTerm, 16) }),
    preferredDuringSchedulingIgnoredDuringExecution: list(
      fields({ weight: int(1, 100), preference: nodeSelectorTerm }),
      16,
    ),
  }),
  podAffinity,
  podAntiAffinity: podAffinity,
});

const toleration: Rule = (value, at, c) => {
  fields({
    key: anyString,
    operator: oneOf(['Equal', 'Exists']),
    value: anyString,
    effect: oneOf(
      ['NoSchedule', 'PreferNoSchedule'],
      'VIBE_POLICY_TOLERATION',
      'tolerate only NoSchedule or PreferNoSchedule taints.',
    ),
    tolerationSeconds: forbid(
      'VIBE_POLICY_TOLERATION',
      'stays on a node being evicted.',
      'remove tolerationSeconds.',
    ),
  })(value, at, c);
  if (!isObj(value)) return;
  const key = value.key;
  if (typeof key !== 'string' || key === '') {
    return c.report(
      'VIBE_POLICY_TOLERATION',
      at,
      'tolerates every taint.',
      'name the taint key the policy allows.',
    );
  }
  if (value.effect === undefined) {
    c.report(
      'VIBE_POLICY_TOLERATION',
      `${at}.effect`,
      'tolerates every effect, NoExecute included.',
      'set effect to NoSchedule or PreferNoSchedule.',
    );
  }
  if (CONTROL_PLANE_TAINT.test(key) || !c.input.policy.workloads.tolerations.includes(key)) {
    c.report(
      'VIBE_POLICY_TOLERATION',
      `${at}.key`,
      `tolerates the taint "${key}", which keeps environments off ${CONTROL_PLANE_TAINT.test(key) ? 'the control plane and unhealthy nodes' : 'those nodes'}.`,
      'remove the toleration.',
    );
  }
};

const serviceAccount: Rule = (value, at, c) => {
  if (value !== c.input.workloadServiceAccount) {
    c.report(
      'VIBE_POLICY_SERVICE_ACCOUNT',
      at,
      `runs the pod as ServiceAccount "${String(value)}"; environment pods run as "${c.input.workloadServiceAccount}", which has no rights.`,
      'remove the field.',
    );
  }
};

const priorityClassName: Rule = (value, at, c) => {
  if (!c.input.policy.workloads.priorityClassNames.includes(value as string)) {
    c.report(
      'VIBE_POLICY_PRIORITY_CLASS',
      at,
      `asks for priority class "${String(value)}", which could evict other environments.`,
      c.input.policy.workloads.priorityClassNames.length
        ? `use one of ${c.input.policy.workloads.priorityClassNames.join(', ')}.`
        : 'remove priorityClassName.',
    );
  }
};

const runtimeClassName: Rule = (value, at, c) => {
  const allowed = c.input.policy.workloads.runtimeClassName;
  if (value !== allowed) {
    c.report(
      'VIBE_POLICY_RUNTIME_CLASS',
      at,
      `asks for runtime class "${String(value)}".`,
      allowed ? `use "${allowed}" or leave it out.` : 'remove runtimeClassName.',
    );
  }
};

const podSpecFields = fields({
  containers: list(container('containers'), 32),
  initContainers: list(container('initContainers'), 32),
  ephemeralContainers: list(container('ephemeralContainers'), 32),
  volumes: list(volume, 64),
  restartPolicy: oneOf(['Always', 'OnFailure', 'Never']),
  terminationGracePeriodSeconds: int(0, 3600),
  activeDeadlineSeconds: int(1, MAX_INT32),
  dnsPolicy: oneOf(['ClusterFirst', 'Default'], 'VIBE_POLICY_DNS', 'use dnsPolicy ClusterFirst.'),
  dnsConfig: fields({
    searches: list(anyString, 6),
    options: list(fields({ name: anyString, value: anyString }), 16),
    nameservers: forbid(
      'VIBE_POLICY_DNS',
      'sends DNS queries to servers of its choosing.',
      'remove nameservers; use the cluster DNS.',
    ),
  }),
  hostNetwork: oneOf(
    [false],
    'VIBE_POLICY_HOST_NAMESPACE',
    "remove hostNetwork: the pod would share the node's network.",
  ),
  hostPID: oneOf(
    [false],
    'VIBE_POLICY_HOST_NAMESPACE',
    "remove hostPID: the pod would see the node's processes.",
  ),
  hostIPC: oneOf(
    [false],
    'VIBE_POLICY_HOST_NAMESPACE',
    "remove hostIPC: the pod would share the node's IPC.",
  ),
  hostUsers: oneOf([false], 'VIBE_POLICY_HOST_NAMESPACE', 'remove hostUsers or set it to false.'),
  shareProcessNamespace: bool,
  setHostnameAsFQDN: bool,
  hostname: anyString,
  subdomain: anyString,
  hostAliases: list(fields({ ip: anyString, hostnames: list(anyString, 16) }), 16),
  serviceAccountName: serviceAccount,
  serviceAccount,
  automountServiceAccountToken: oneOf(
    [false],
    'VIBE_POLICY_SERVICE_ACCOUNT_TOKEN',
    'set automountServiceAccountToken to false.',
  ),
  nodeName: forbid('VIBE_POLICY_NODE_NAME', 'places the pod on a node of its choosing.', 'remove nodeName.'),
  nodeSelector,
  affinity,
  tolerations: list(toleration, 16),
  priorityClassName,
  priority: forbid('VIBE_POLICY_PRIORITY_CLASS', 'sets a priority directly.', 'remove priority.'),
  preemptionPolicy: oneOf(
    ['Never'],
    'VIBE_POLICY_PRIORITY_CLASS',
    'remove preemptionPolicy or set it to Never.',
  ),
  runtimeClassName,
  schedulerName: oneOf(['default-scheduler'], 'VIBE_POLICY_SCHEDULER', 'remove schedulerName.'),
  securityContext: podSecurity,
  imagePullSecrets: list(fields({ name: anyString }), 8),
  enableServiceLinks: bool,
  topologySpreadConstraints: list(
    fields({
      maxSkew: int(1, MAX_INT32),
      topologyKey: anyString,
      whenUnsatisfiable: oneOf(['DoNotSchedule', 'ScheduleAnyway']),
      labelSelector,
      minDomains: int(1, MAX_INT32),
      nodeAffinityPolicy: oneOf(['Honor', 'Ignore']),
      nodeTaintsPolicy: oneOf(['Honor', 'Ignore']),
      matchLabelKeys: list(anyString, 16),
    }),
    8,
  ),
  readinessGates: list(fields({ conditionType: anyString }), 8),
  os: fields({ name: oneOf(['linux']) }),
  schedulingGates: list(fields({ name: anyString }), 8),
});

/** Everything a pod spec must have that field rules alone cannot say. */
function podSpecRequirements(spec: unknown, at: string, c: Checker): void {
  if (!isObj(spec)) return;
  if (!Array.isArray(spec.containers) || spec.containers.length === 0) {
    c.report(
      'VIBE_POLICY_POD_SPEC',
      `${at}.containers`,
      'declares no container.',
      'declare the pod template with its containers.',
    );
  }
  for (const kind of ['initContainers', 'containers', 'ephemeralContainers'] as const) {
    const containers = spec[kind];
    if (!Array.isArray(containers)) continue;
    containers.forEach((raw, i) => {
      if (!isObj(raw)) return;
      const here = `${at}.${kind}[${i}]`;
      const name = typeof raw.name === 'string' ? raw.name : String(i);
      const problem = imageAllowed(typeof raw.image === 'string' ? raw.image : '', c.input.policy.images);
      if (problem)
        c.report(
          'VIBE_POLICY_IMAGE',
          `${here}.image`,
          `container "${name}": ${problem}`,
          'use an image from an allowed registry.',
        );
      const sc = isObj(raw.securityContext) ? raw.securityContext : {};
      const caps = isObj(sc.capabilities) ? sc.capabilities : {};
      if (!Array.isArray(caps.drop) || !caps.drop.includes('ALL')) {
        c.report(
          'VIBE_POLICY_CAPABILITIES',
          `${here}.securityContext.capabilities.drop`,
          `container "${name}" keeps the default Linux capabilities.`,
          'set securityContext.capabilities.drop to ["ALL"].',
        );
      }
    });
  }
}

export const podSpec: Rule = (value, at, c) => {
  if (!isObj(value)) return wrongType(c, at, 'a pod spec', value);
  podSpecFields(value, at, c);
  podSpecRequirements(value, at, c);
};

/** The sum of a pod's requests or limits of one resource (init containers run before, one at a time). */
export function podResource(spec: unknown, side: 'requests' | 'limits', resource: string): number {
  if (!isObj(spec)) return 0;
  const of = (list: unknown) =>
    (Array.isArray(list) ? list : []).map((c) => {
      const r = isObj(c) && isObj(c.resources) && isObj(c.resources[side]) ? c.resources[side] : {};
      return parseQuantity(r[resource]) ?? 0;
    });
  const main = of(spec.containers).reduce((a, b) => a + b, 0);
  return Math.max(main, ...of(spec.initContainers));
}
