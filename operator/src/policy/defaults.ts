/**
 * What the gate fills in rather than refuses, where the safe value is the only sensible one:
 * no service-account token, PodSecurity `restricted`'s non-root, seccomp and no-escalation
 * settings, and requests and limits. It fills only fields that are absent from well-formed
 * objects; anything else is left for the allow-list to judge.
 */
import { isObj, type Obj } from './allow/rules.js';
import { podSpecPath } from './allow/workloads.js';
import type { PolicyDocument } from './document.js';

function objectAt(parent: Obj, key: string): Obj | undefined {
  if (parent[key] === undefined) parent[key] = {};
  const value = parent[key];
  return isObj(value) ? value : undefined;
}

function fill(parent: Obj, key: string, value: unknown, note: () => void): void {
  if (parent[key] !== undefined) return;
  parent[key] = value;
  note();
}

/** Fills the pod spec of a workload in place; `note` gets the path of every field filled. */
export function fillDefaults(
  object: Obj,
  kind: string,
  policy: PolicyDocument,
  note: (field: string) => void,
): void {
  const path = podSpecPath(kind);
  if (!path) return;
  let spec: unknown = object;
  for (const key of path) spec = isObj(spec) && Object.hasOwn(spec, key) ? spec[key] : undefined;
  if (!isObj(spec)) return;
  const at = path.join('.');
  fill(spec, 'automountServiceAccountToken', false, () => note(`${at}.automountServiceAccountToken`));
  const security = objectAt(spec, 'securityContext');
  if (security) {
    fill(security, 'runAsNonRoot', true, () => note(`${at}.securityContext.runAsNonRoot`));
    fill(security, 'seccompProfile', { type: 'RuntimeDefault' }, () =>
      note(`${at}.securityContext.seccompProfile`),
    );
  }
  for (const list of ['initContainers', 'containers', 'ephemeralContainers'] as const) {
    const containers = spec[list];
    if (!Array.isArray(containers)) continue;
    containers.forEach((container: unknown, i) => {
      if (!isObj(container)) return;
      const here = `${at}.${list}[${i}]`;
      const sc = objectAt(container, 'securityContext');
      if (sc)
        fill(sc, 'allowPrivilegeEscalation', false, () =>
          note(`${here}.securityContext.allowPrivilegeEscalation`),
        );
      if (list !== 'ephemeralContainers') fillResources(container, policy, () => note(`${here}.resources`));
    });
  }
}

function fillResources(container: Obj, policy: PolicyDocument, note: () => void): void {
  const resources = objectAt(container, 'resources');
  if (!resources) return;
  let changed = false;
  for (const side of ['requests', 'limits'] as const) {
    const current = objectAt(resources, side);
    if (!current) continue;
    for (const key of ['cpu', 'memory'] as const) {
      if (current[key] === undefined) {
        current[key] = policy.defaultResources[side][key];
        changed = true;
      }
    }
  }
  if (changed) note();
}
