import type { ErrorFamily } from './entry.js';

export const POLICY_ERRORS = {
  title: 'Policy gate',
  about:
    'The allow-list every plan passes before it is stored (docs/policy.md); each violation names the object and the field, and goes back to the model as a diagnostic. `vibe policy check` prints them.',
  codes: {
    VIBE_POLICY_AFFINITY_NAMESPACE: {
      message: '{object} {field}: looks at pods of other namespaces',
      action: 'Remove namespaces; affinity stays inside the environment.',
    },
    VIBE_POLICY_ANNOTATION: {
      message:
        '{object} {field}: "{key}" is an annotation controllers, runtimes or network plugins may read as configuration',
      action: 'Remove the annotation.',
    },
    VIBE_POLICY_APPARMOR: {
      message: '{object} {field}: asks for an AppArmor profile other than RuntimeDefault',
      action: 'Remove appArmorProfile or set type RuntimeDefault.',
    },
    VIBE_POLICY_CAPABILITIES: {
      message: '{object} {field}: adds a capability',
      action: 'Add no capability except NET_BIND_SERVICE.',
    },
    VIBE_POLICY_CLUSTER_IP: {
      message: "{object} spec.clusterIP: picks the Service's address",
      action: 'Leave clusterIP out (or "None" for a headless Service); the cluster picks the address.',
    },
    VIBE_POLICY_CYCLIC: {
      message: '{object} {field}: contains itself (a cyclic reference or YAML alias)',
      action: 'Write the object out without aliases.',
    },
    VIBE_POLICY_DNS: {
      message: '{object} {field}: sets a DNS policy the gate does not allow',
      action: 'Use dnsPolicy ClusterFirst.',
    },
    VIBE_POLICY_DOCUMENT_INVALID: {
      message: 'the policy file {path} is not a valid policy document: {problems}',
      action: 'Fix the keys the message names (docs/policy.md).',
    },
    VIBE_POLICY_DOCUMENT_UNREADABLE: {
      message: 'cannot read the policy file {path}: {reason}',
      action:
        'Check the path given to --policy (a bad policyFile stops the operator as VIBE_CONFIG_INVALID).',
    },
    VIBE_POLICY_DUPLICATE: {
      message: '{object} metadata.name: is declared twice',
      action: 'Give each object of a kind its own name.',
    },
    VIBE_POLICY_EXTERNAL_IPS: {
      message: '{object} spec.externalIPs: claims an external IP address',
      action: 'Remove spec.externalIPs.',
    },
    VIBE_POLICY_FIELD_TYPE: {
      message: '{object} {field}: must be {type}, not {actual}',
      action: 'Give the field a value of the type the message names.',
    },
    VIBE_POLICY_FIELD_VALUE: {
      message: '{object} {field}: {value} is not allowed here',
      action: 'Use one of the values the message names.',
    },
    VIBE_POLICY_FINALIZERS: {
      message:
        '{object} metadata.finalizers: sets finalizers, which can keep the object (and the environment) from ever being deleted',
      action: 'Remove metadata.finalizers.',
    },
    VIBE_POLICY_HOST_NAMESPACE: {
      message: "{object} {field}: shares the node's network, PID or IPC namespace",
      action: 'Remove hostNetwork, hostPID and hostIPC.',
    },
    VIBE_POLICY_HOST_PATH: {
      message: '{object} {field}: mounts a path from the node',
      action: 'Use an emptyDir, ConfigMap, Secret or PersistentVolumeClaim volume.',
    },
    VIBE_POLICY_HOST_PORT: {
      message: '{object} {field}: binds a port on the node',
      action: 'Remove hostPort; expose the port through a Service.',
    },
    VIBE_POLICY_HPA_METRIC: {
      message: '{object} {field}: scales on metrics of objects or systems outside the workload',
      action: "Scale on the workload's own cpu or memory (type Resource).",
    },
    VIBE_POLICY_HPA_TARGET: {
      message:
        '{object} spec.scaleTargetRef: scales something other than a Deployment or StatefulSet of the plan',
      action: 'Scale an apps/v1 Deployment or StatefulSet.',
    },
    VIBE_POLICY_IMAGE: {
      message: '{object} {field}: container "{name}": {problem}',
      action: 'Use an image reference the policy allows (docs/policy.md).',
    },
    VIBE_POLICY_INGRESS_BACKEND: {
      message: '{object} {field}: sends traffic to Service "{name}", which the plan does not declare',
      action: 'Point the path at a Service of the plan.',
    },
    VIBE_POLICY_INGRESS_CLASS: {
      message: '{object} {field}: names ingress class {class}',
      action: 'Use the preview class or leave ingressClassName out; the operator sets it.',
    },
    VIBE_POLICY_INGRESS_DEFAULT_BACKEND: {
      message: '{object} spec.defaultBackend: catches traffic for every host and path of the controller',
      action: 'Remove defaultBackend and route paths under the preview host.',
    },
    VIBE_POLICY_INGRESS_HOST: {
      message: '{object} {field}: "{host}" is not this environment\'s preview host',
      action: 'Use the preview host the message names, or leave the host out for the operator to set.',
    },
    VIBE_POLICY_INGRESS_PATH: {
      message: '{object} {field}: "{path}" is not a plain path',
      action: 'Use a path starting with / without regular expressions.',
    },
    VIBE_POLICY_KIND_NOT_ALLOWED: {
      message: '{object} kind: {kind} is not allowed in an environment',
      action: 'Use the kinds the policy allows (docs/policy.md).',
    },
    VIBE_POLICY_KIND_UNKNOWN: {
      message: '{object} kind: the policy allows {kind}, but the gate has no field allow-list for it',
      action: "Remove the kind from the policy document's allowedKinds.",
    },
    VIBE_POLICY_MANUAL_SELECTOR: {
      message:
        '{object} spec.manualSelector: a Job with a selector of its own can adopt pods it did not create',
      action: 'Remove manualSelector.',
    },
    VIBE_POLICY_MOUNT_PROPAGATION: {
      message: '{object} {field}: sets mount propagation',
      action: 'Remove mountPropagation.',
    },
    VIBE_POLICY_NAME: {
      message: '{object} metadata.name: has no valid name',
      action: 'Give it a lowercase DNS name.',
    },
    VIBE_POLICY_NAMESPACE: {
      message: '{object} metadata.namespace: targets namespace "{namespace}", outside the environment',
      action: 'Leave metadata.namespace out.',
    },
    VIBE_POLICY_NETWORK_EGRESS: {
      message: '{object} {field}: opens egress to addresses outside the environment',
      action: 'Remove the ipBlock; the policy allows no internet egress.',
    },
    VIBE_POLICY_NETWORK_PEER: {
      message: '{object} {field}: names pods of other namespaces as peers',
      action: "Remove namespaceSelector; peers are the environment's own pods.",
    },
    VIBE_POLICY_NODE_NAME: {
      message: '{object} {field}: picks nodes by name or by their fields',
      action: 'Remove nodeName and matchFields.',
    },
    VIBE_POLICY_NODE_SELECTOR: {
      message: '{object} {field}: selects nodes by "{key}={value}", which the policy does not allow',
      action: 'Remove the node selector.',
    },
    VIBE_POLICY_NOT_AN_OBJECT: {
      message: 'the manifests are not a list of objects',
      action: 'Emit a list of objects.',
    },
    VIBE_POLICY_NOT_JSON: {
      message: '{object} {field}: is {value}, which JSON cannot hold',
      action: 'Use strings, numbers, booleans, lists and maps only.',
    },
    VIBE_POLICY_OWNER_REFERENCES: {
      message:
        '{object} metadata.ownerReferences: claims an owner, which ties its lifetime to an object the plan does not control',
      action: 'Remove metadata.ownerReferences.',
    },
    VIBE_POLICY_PDB: {
      message: '{object} {field}: allows {value} unavailable pods, which can block node drains for good',
      action: 'Allow at least one pod to be unavailable.',
    },
    VIBE_POLICY_POD_SPEC: {
      message: '{object} {field}: {problem} (a pod template without containers, or a workload without one)',
      action: 'Declare at least one container.',
    },
    VIBE_POLICY_PRIORITY_CLASS: {
      message: '{object} {field}: asks for priority class "{name}", which could evict other environments',
      action: 'Remove priorityClassName.',
    },
    VIBE_POLICY_PRIVILEGED: {
      message: '{object} {field}: runs a privileged container',
      action: 'Remove privileged or set it to false.',
    },
    VIBE_POLICY_PRIVILEGE_ESCALATION: {
      message: '{object} {field}: allows privilege escalation',
      action: 'Set allowPrivilegeEscalation to false.',
    },
    VIBE_POLICY_PROBE_HOST: {
      message:
        '{object} {field}: points the probe or hook at another host, which the kubelet reaches from the node',
      action: 'Remove host; probes and hooks reach the pod itself.',
    },
    VIBE_POLICY_PROC_MOUNT: {
      message: '{object} {field}: unmasks /proc',
      action: 'Remove procMount or set it to Default.',
    },
    VIBE_POLICY_PROJECTED_TOKEN: {
      message: '{object} {field}: projects a service-account token into the pod',
      action: 'Remove the serviceAccountToken source; workloads get no Kubernetes credentials.',
    },
    VIBE_POLICY_PVC_SOURCE: {
      message: "{object} {field}: binds the claim to {what}, which may hold another environment's data",
      action: 'Remove it; a claim gets a fresh volume from its storage class.',
    },
    VIBE_POLICY_QUOTA: {
      message: "{object} {field}: asks for {value}, more than the environment's quota of {quota}",
      action: 'Ask for less.',
    },
    VIBE_POLICY_REPLICAS: {
      message: '{object} {field}: scales to {value} replicas',
      action: "Use 1 to the policy's maxReplicas.",
    },
    VIBE_POLICY_RESERVED_METADATA: {
      message: '{object} {field}: the prefix of "{key}" is reserved for Kubernetes and the operator',
      action: 'Use a label or annotation key of your own domain.',
    },
    VIBE_POLICY_RESERVED_OBJECT: {
      message:
        '{object} metadata.name: {kind}/{name} is a name the operator keeps for its own objects in every environment',
      action: 'Give the object another name.',
    },
    VIBE_POLICY_RESOURCES: {
      message: '{object} {field}: "{value}" is not a quantity, or exceeds what a container may ask for',
      action: "Use a quantity such as 500m or 256Mi within the policy's limits.",
    },
    VIBE_POLICY_ROUTE_FILTER: {
      message: '{object} {field}: {filter}, outside what a preview route may do',
      action: 'Remove the filter.',
    },
    VIBE_POLICY_ROUTE_MATCH: {
      message: '{object} {field}: matches by regular expression',
      action: 'Use type Exact; regular expressions are not allowed.',
    },
    VIBE_POLICY_ROUTE_PARENT: {
      message:
        '{object} {field}: attaches the route to a parent other than the preview Gateway (or to any Gateway when previews are Ingresses)',
      action:
        'Remove spec.parentRefs: the operator attaches preview routes itself (or expose the service with an Ingress).',
    },
    VIBE_POLICY_RUNTIME_CLASS: {
      message: '{object} {field}: asks for runtime class "{name}"',
      action: 'Remove runtimeClassName; the operator picks the runtime.',
    },
    VIBE_POLICY_RUN_AS_ROOT: {
      message: '{object} {field}: runs as root (user 0)',
      action: 'Run as a non-zero user (runAsNonRoot: true).',
    },
    VIBE_POLICY_SCHEDULER: {
      message: '{object} spec.schedulerName: asks for another scheduler',
      action: 'Remove schedulerName.',
    },
    VIBE_POLICY_SECCOMP: {
      message: '{object} {field}: asks for a seccomp profile other than RuntimeDefault',
      action: 'Remove seccompProfile or set type RuntimeDefault.',
    },
    VIBE_POLICY_SECRET_TYPE: {
      message:
        '{object} type: a service-account token or bootstrap token Secret hands out cluster credentials',
      action: 'Use type Opaque, kubernetes.io/tls or kubernetes.io/dockerconfigjson.',
    },
    VIBE_POLICY_SELINUX: {
      message: "{object} {field}: sets SELinux options, which can share another pod's label and files",
      action: 'Remove seLinuxOptions; the runtime assigns a label of its own.',
    },
    VIBE_POLICY_SERVICE_ACCOUNT: {
      message: '{object} {field}: runs the pod as ServiceAccount "{name}"',
      action: 'Leave serviceAccountName out; environment pods run as a ServiceAccount with no rights.',
    },
    VIBE_POLICY_SERVICE_ACCOUNT_TOKEN: {
      message: "{object} {field}: mounts the ServiceAccount's token",
      action: 'Set automountServiceAccountToken to false.',
    },
    VIBE_POLICY_SERVICE_EXPOSURE: {
      message: '{object} {field}: exposes the Service outside the cluster',
      action: 'Remove the field; previews go through the preview Ingress or route.',
    },
    VIBE_POLICY_SERVICE_TYPE: {
      message: '{object} spec.type: Service type {type} is not allowed',
      action: 'Use ClusterIP; previews go through the preview Ingress or route.',
    },
    VIBE_POLICY_STORAGE_CLASS: {
      message: '{object} {field}: asks for storage class "{name}"',
      action: 'Leave storageClassName out or use one the policy allows.',
    },
    VIBE_POLICY_SYSCTL: {
      message: '{object} {field}: sets an unsafe sysctl',
      action: 'Use only the safe sysctls the message lists.',
    },
    VIBE_POLICY_TOLERATION: {
      message: '{object} {field}: tolerates a taint that keeps pods off a node',
      action: 'Tolerate only NoSchedule or PreferNoSchedule taints.',
    },
    VIBE_POLICY_TOO_DEEP: {
      message: '{object} {field}: nests deeper than {max} levels',
      action: 'No manifest does; flatten the value.',
    },
    VIBE_POLICY_TOO_LARGE: {
      message: 'the manifests take {bytes} bytes; at most {max} are allowed',
      action: 'Move large content out of ConfigMaps and Secrets.',
    },
    VIBE_POLICY_TOO_MANY_OBJECTS: {
      message: 'the environment has {count} objects; at most {max} are allowed',
      action: 'Declare fewer objects.',
    },
    VIBE_POLICY_UNKNOWN_FIELD: {
      message: '{object} {field}: is not a field the policy gate allows here',
      action: 'Remove the field (docs/policy.md lists what each kind may set).',
    },
    VIBE_POLICY_UNREADABLE: {
      message: 'the manifests cannot be read: {detail}',
      action: 'Emit plain JSON objects.',
    },
    VIBE_POLICY_VOLUME_TYPE: {
      message: '{object} {field}: uses a volume type the policy does not allow',
      action: 'Use an emptyDir, ConfigMap, Secret or PersistentVolumeClaim volume.',
    },
    VIBE_POLICY_WINDOWS: {
      message: '{object} {field}: sets Windows options (host processes among them)',
      action: 'Remove windowsOptions; environments run Linux pods.',
    },
  },
} as const satisfies ErrorFamily;
