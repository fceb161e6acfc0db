/**
 * The chart's environment admission policies (templates/environment-admission.yaml) installed on a
 * shared test cluster, bound only to namespaces carrying a label of the test's own, so suites of
 * other branches running on the same cluster never meet them.
 */
import type { Manifest } from '../../operator/src/environment/index.js';
import { applyObject, deleteObject } from '../../operator/src/reconciler/apply.js';
import type { Impersonation, KubeClient } from '../../operator/src/reconciler/kube-client.js';
import { RestMapper } from '../../operator/src/reconciler/rest-mapper.js';
import { renderChart } from './chart.js';

export const ADMISSION_SCOPE_LABEL = 'vibe.dev/admission-test';

/** A pod spec that PodSecurity restricted, the policy gate and the admission policies all admit. */
export const COMPLIANT_POD_SPEC = {
  automountServiceAccountToken: false,
  securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
  containers: [
    {
      name: 'web',
      image: 'nginx:1.27',
      securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
    },
  ],
} as const;

export interface InstalledAdmission {
  /** The ValidatingAdmissionPolicies by name. */
  policies: string[];
  uninstall(): Promise<void>;
}

export async function installEnvironmentAdmission(
  admin: KubeClient,
  release: string,
  scope: string,
): Promise<InstalledAdmission> {
  const mapper = new RestMapper(admin);
  const objects = renderChart(release, 'vibe-system', { 'sandbox.image': 'unused' }).filter(
    (o) =>
      o.kind.startsWith('ValidatingAdmissionPolic') && o.metadata.name.startsWith(`${release}-environment-`),
  );
  const scoped = objects.map((o): Manifest => {
    if (o.kind !== 'ValidatingAdmissionPolicyBinding') return o;
    const spec = structuredClone(o.spec) as {
      matchResources: { namespaceSelector: { matchExpressions: unknown[] } };
    };
    spec.matchResources.namespaceSelector.matchExpressions.push({
      key: ADMISSION_SCOPE_LABEL,
      operator: 'In',
      values: [scope],
    });
    return { ...o, spec };
  });
  for (const object of scoped) await applyObject(admin, mapper, object, 'vibe-tests-admission');
  return {
    policies: objects.filter((o) => o.kind === 'ValidatingAdmissionPolicy').map((o) => o.metadata.name),
    async uninstall() {
      for (const object of scoped) {
        await deleteObject(admin, mapper, { ...object, name: object.metadata.name });
      }
    },
  };
}

/** POSTs `object` into its namespace as `as`, the way a workload holding those rights would. */
export async function createAs(admin: KubeClient, as: Impersonation, object: Manifest): Promise<unknown> {
  const resource = await new RestMapper(admin).resourceFor(object.apiVersion, object.kind);
  const prefix = resource.group ? `/apis/${resource.group}/${resource.version}` : `/api/${resource.version}`;
  return admin.request({
    method: 'POST',
    path: `${prefix}/namespaces/${object.metadata.namespace}/${resource.plural}`,
    body: object,
    impersonate: as,
  });
}
