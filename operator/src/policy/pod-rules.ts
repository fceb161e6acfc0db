/** Rules for anything that carries a pod template: host access, privileges, identity, resources, images. */
import type { PolicyDocument } from './document.js';
import { imageAllowed } from './images.js';
import type { Violation } from './violation.js';

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const asObj = (v: unknown): Obj => (isObj(v) ? v : {});
const asArray = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** Where each workload kind keeps its pod spec. */
export function podSpecPath(kind: string): string[] | undefined {
  switch (kind) {
    case 'Pod':
      return ['spec'];
    case 'Deployment':
    case 'StatefulSet':
    case 'ReplicaSet':
    case 'DaemonSet':
    case 'Job':
      return ['spec', 'template', 'spec'];
    case 'CronJob':
      return ['spec', 'jobTemplate', 'spec', 'template', 'spec'];
    default:
      return undefined;
  }
}

export function podSpecOf(object: Obj, path: string[]): Obj | undefined {
  let node: unknown = object;
  for (const key of path) node = isObj(node) ? node[key] : undefined;
  return isObj(node) ? node : undefined;
}

export function checkPodSpec(
  spec: Obj,
  at: string,
  object: string,
  policy: PolicyDocument,
  defaulted: (field: string) => void,
): Violation[] {
  const out: Violation[] = [];
  const v = (code: Violation['code'], field: string, message: string, fix: string) =>
    out.push({ code, object, field: `${at}.${field}`, message, fix });

  for (const key of ['hostNetwork', 'hostPID', 'hostIPC'] as const) {
    if (spec[key] === true)
      v(
        'VIBE_POLICY_HOST_NAMESPACE',
        key,
        `${key} is true: the pod would share the node's ${key.slice(4).toLowerCase()} namespace.`,
        `remove ${key} or set it to false.`,
      );
  }
  if (spec.automountServiceAccountToken === true) {
    v(
      'VIBE_POLICY_SERVICE_ACCOUNT_TOKEN',
      'automountServiceAccountToken',
      'mounts a service-account token into the pod.',
      'set automountServiceAccountToken to false.',
    );
  } else if (spec.automountServiceAccountToken === undefined) {
    spec.automountServiceAccountToken = false;
  }
  asArray(spec.volumes).forEach((volume, i) => {
    if (isObj(volume) && 'hostPath' in volume) {
      v(
        'VIBE_POLICY_HOST_PATH',
        `volumes[${i}].hostPath`,
        `volume "${String(volume.name)}" mounts a path from the node.`,
        'use an emptyDir, ConfigMap, Secret or PersistentVolumeClaim volume.',
      );
    }
  });
  const podSecurity = asObj(spec.securityContext);
  if (podSecurity.runAsUser === 0) {
    v(
      'VIBE_POLICY_RUN_AS_ROOT',
      'securityContext.runAsUser',
      'runs the pod as root (user 0).',
      'set runAsUser to a non-zero user id and runAsNonRoot to true.',
    );
  }
  if (podSecurity.runAsNonRoot === false) {
    v(
      'VIBE_POLICY_RUN_AS_ROOT',
      'securityContext.runAsNonRoot',
      'allows the pod to run as root.',
      'set runAsNonRoot to true.',
    );
  }

  for (const list of ['initContainers', 'containers', 'ephemeralContainers'] as const) {
    asArray(spec[list]).forEach((raw, i) => {
      if (!isObj(raw)) return;
      const c = raw;
      const here = `${list}[${i}]`;
      const name = typeof c.name === 'string' ? c.name : String(i);
      const image = typeof c.image === 'string' ? c.image : '';
      const imageProblem = imageAllowed(image, policy.images);
      if (imageProblem)
        v(
          'VIBE_POLICY_IMAGE',
          `${here}.image`,
          `container "${name}": ${imageProblem}`,
          'use an image from an allowed registry.',
        );
      const sc = asObj(c.securityContext);
      if (sc.privileged === true)
        v(
          'VIBE_POLICY_PRIVILEGED',
          `${here}.securityContext.privileged`,
          `container "${name}" is privileged.`,
          'remove privileged or set it to false.',
        );
      if (sc.allowPrivilegeEscalation === true) {
        v(
          'VIBE_POLICY_PRIVILEGE_ESCALATION',
          `${here}.securityContext.allowPrivilegeEscalation`,
          `container "${name}" may gain privileges.`,
          'set allowPrivilegeEscalation to false.',
        );
      }
      if (sc.runAsUser === 0)
        v(
          'VIBE_POLICY_RUN_AS_ROOT',
          `${here}.securityContext.runAsUser`,
          `container "${name}" runs as root (user 0).`,
          'set runAsUser to a non-zero user id.',
        );
      if (sc.runAsNonRoot === false)
        v(
          'VIBE_POLICY_RUN_AS_ROOT',
          `${here}.securityContext.runAsNonRoot`,
          `container "${name}" may run as root.`,
          'set runAsNonRoot to true.',
        );
      const caps = asObj(sc.capabilities);
      if (asArray(caps.add).length) {
        v(
          'VIBE_POLICY_CAPABILITIES',
          `${here}.securityContext.capabilities.add`,
          `container "${name}" adds capabilities (${asArray(caps.add).join(', ')}).`,
          'remove capabilities.add.',
        );
      }
      if (!asArray(caps.drop).includes('ALL')) {
        v(
          'VIBE_POLICY_CAPABILITIES',
          `${here}.securityContext.capabilities.drop`,
          `container "${name}" keeps the default Linux capabilities.`,
          'set securityContext.capabilities.drop to ["ALL"].',
        );
      }
      asArray(c.ports).forEach((p, j) => {
        if (isObj(p) && p.hostPort !== undefined) {
          v(
            'VIBE_POLICY_HOST_PORT',
            `${here}.ports[${j}].hostPort`,
            `container "${name}" binds a port on the node (${String(p.hostPort)}).`,
            'remove hostPort; expose the port through a Service.',
          );
        }
      });
      if (list !== 'ephemeralContainers')
        fillResources(c, policy, () => defaulted(`${at}.${here}.resources`));
    });
  }
  return out;
}

function fillResources(container: Obj, policy: PolicyDocument, defaulted: () => void): void {
  const resources = asObj(container.resources);
  let changed = false;
  for (const side of ['requests', 'limits'] as const) {
    const current = asObj(resources[side]);
    for (const key of ['cpu', 'memory'] as const) {
      if (current[key] === undefined) {
        current[key] = policy.defaultResources[side][key];
        changed = true;
      }
    }
    resources[side] = current;
  }
  container.resources = resources;
  if (changed) defaulted();
}
