/**
 * Admission as the second wall: the chart's ValidatingAdmissionPolicies refuse, at the API
 * server, what the policy gate refuses, when an identity with RBAC rights in an environment
 * namespace writes it directly (the applier user, a namespace admin), and admit what the gate
 * lets through. The operator's own isolation objects are admitted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseVibeEnvironmentSpec, type VibeEnvironment } from '../../operator/src/api/vibe-environment.js';
import {
  applierUser,
  isolationObjects,
  environmentSettings,
  type Manifest,
} from '../../operator/src/environment/index.js';
import { configSchema } from '../../operator/src/config.js';
import { applyObject } from '../../operator/src/reconciler/apply.js';
import { ApiError } from '../../operator/src/reconciler/errors.js';
import { PATCH, type Impersonation } from '../../operator/src/reconciler/kube-client.js';
import { RestMapper } from '../../operator/src/reconciler/rest-mapper.js';
import {
  ADMISSION_SCOPE_LABEL,
  COMPLIANT_POD_SPEC,
  createAs,
  installEnvironmentAdmission,
  type InstalledAdmission,
} from '../support/environment-admission.js';
import { installGatewayApi } from '../support/gateway-api.js';
import { testClient, waitFor } from '../support/kube.js';

const admin = testClient();
const mapper = new RestMapper(admin);
const id = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
const release = `walls-${id}`;
const settings = environmentSettings(configSchema.parse({}), undefined);
const env: VibeEnvironment = {
  apiVersion: 'vibe.dev/v1alpha1',
  kind: 'VibeEnvironment',
  metadata: { name: `adm-${id}`, namespace: 'default', uid: id },
  spec: parseVibeEnvironmentSpec({ intent: 'admission' }),
};
const namespace = `vibe-default-adm-${id}`;
const host = `adm-${id}-default.vibe.localhost`;
const applier = applierUser(namespace);
const intruder: Impersonation = { user: `walls-intruder-${id}` };

const { containers, ...restricted } = COMPLIANT_POD_SPEC;
const pod = (name: string, spec: Record<string, unknown> = {}): Manifest => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace },
  spec: { ...COMPLIANT_POD_SPEC, ...spec },
});
const ingress = (
  name: string,
  spec: Record<string, unknown>,
  annotations?: Record<string, string>,
): Manifest => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'Ingress',
  metadata: { name, namespace, ...(annotations ? { annotations } : {}) },
  spec,
});
const rule = (ruleHost: string) => ({
  host: ruleHost,
  http: {
    paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } }],
  },
});

const create = (as: Impersonation, object: Manifest) => createAs(admin, as, object);

/** The API server's refusal, which must come from one of the admission policies (not RBAC, not PodSecurity). */
async function refusedByAdmission(as: Impersonation, object: Manifest, policy: string): Promise<string> {
  const err = await create(as, object).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err, `${object.kind}/${object.metadata.name} was admitted`).toBeInstanceOf(ApiError);
  const message = (err as ApiError).message;
  expect(message).toContain(`ValidatingAdmissionPolicy '${release}-environment-${policy}'`);
  return message;
}

let installed: InstalledAdmission;

describe('environment admission policies', () => {
  beforeAll(async () => {
    installed = await installEnvironmentAdmission(admin, release, id);
    for (const object of isolationObjects(env, namespace, settings.isolation, host)) {
      if (object.kind === 'Namespace')
        object.metadata.labels = { ...object.metadata.labels, [ADMISSION_SCOPE_LABEL]: id };
      await applyObject(admin, mapper, object, 'vibe-tests');
    }
    // An account a pod could name, were admission not there; written by the admin, whom it admits.
    await applyObject(
      admin,
      mapper,
      { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'helper', namespace } },
      'vibe-tests',
    );
    await applyObject(
      admin,
      mapper,
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'RoleBinding',
        metadata: { name: 'intruder-admin', namespace },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'admin' },
        subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: intruder.user }],
      },
      'vibe-tests',
    );
    // Policies take effect a moment after they are written.
    await waitFor(
      'the admission policies to take effect',
      async () => {
        const probe: Manifest = {
          apiVersion: 'v1',
          kind: 'Service',
          metadata: { name: `probe-${Date.now()}`, namespace },
          spec: { type: 'ClusterIP', ports: [{ port: 80 }], externalIPs: ['203.0.113.9'] },
        };
        try {
          await create(applier, probe);
          await admin.request({
            method: 'DELETE',
            path: `/api/v1/namespaces/${namespace}/services/${probe.metadata.name}`,
          });
          return false;
        } catch (err) {
          return err instanceof ApiError && err.message.includes('ValidatingAdmissionPolicy');
        }
      },
      30_000,
      500,
    );
  });

  afterAll(async () => {
    await installed?.uninstall();
    await admin.request({ method: 'DELETE', path: `/api/v1/namespaces/${namespace}` }).catch(() => undefined);
  });

  it('lets the control plane keep the namespace: its default ServiceAccount is created', async () => {
    await waitFor('the default ServiceAccount', () =>
      admin
        .request({ method: 'GET', path: `/api/v1/namespaces/${namespace}/serviceaccounts/default` })
        .then(() => true),
    );
  });

  it('installs a policy and a binding for each family of kinds', () => {
    expect(installed.policies.map((p) => p.slice(release.length + 1)).sort()).toEqual([
      'environment-applier-fence',
      'environment-cronjobs',
      'environment-http-routes',
      'environment-identities',
      'environment-ingresses',
      'environment-network-policies',
      'environment-pods',
      'environment-podtemplates',
      'environment-secrets',
      'environment-services',
      'environment-workloads',
    ]);
  });

  it('refuses the ways a workload could obtain an identity, from the applier itself', async () => {
    await refusedByAdmission(applier, pod('named', { serviceAccountName: 'helper' }), 'pods');
    await refusedByAdmission(applier, pod('mounted', { automountServiceAccountToken: true }), 'pods');
    await refusedByAdmission(
      applier,
      pod('projected', {
        volumes: [
          { name: 't', projected: { sources: [{ serviceAccountToken: { path: 'token', audience: 'x' } }] } },
        ],
      }),
      'pods',
    );
    await refusedByAdmission(
      applier,
      {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: {
          name: 'token',
          namespace,
          annotations: { 'kubernetes.io/service-account.name': 'default' },
        },
        type: 'kubernetes.io/service-account-token',
      },
      'secrets',
    );
    await refusedByAdmission(
      applier,
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'named', namespace },
        spec: {
          selector: { matchLabels: { app: 'x' } },
          template: {
            metadata: { labels: { app: 'x' } },
            spec: { ...restricted, serviceAccountName: 'admin', containers },
          },
        },
      },
      'workloads',
    );
  });

  it('refuses RoleBindings, ServiceAccounts and token Secrets from a namespace admin', async () => {
    await refusedByAdmission(
      intruder,
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'RoleBinding',
        metadata: { name: 'grab', namespace },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
        subjects: [{ kind: 'ServiceAccount', name: 'default', namespace }],
      },
      'identities',
    );
    await refusedByAdmission(
      intruder,
      { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'worker', namespace } },
      'identities',
    );
    await refusedByAdmission(
      intruder,
      {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: {
          name: 'token',
          namespace,
          annotations: { 'kubernetes.io/service-account.name': 'default' },
        },
        type: 'kubernetes.io/service-account-token',
      },
      'secrets',
    );
  });

  it('refuses pod fields PodSecurity does not cover', async () => {
    await refusedByAdmission(applier, pod('pinned', { nodeName: 'node-1' }), 'pods');
    await refusedByAdmission(
      applier,
      pod('tolerant', {
        tolerations: [{ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists' }],
      }),
      'pods',
    );
    await refusedByAdmission(
      applier,
      pod('csi', { volumes: [{ name: 'h', csi: { driver: 'hostpath.csi.k8s.io' } }] }),
      'pods',
    );
  });

  it('refuses Services, NetworkPolicies and Ingresses that reach outside the environment', async () => {
    await refusedByAdmission(
      applier,
      {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'ext', namespace },
        spec: { type: 'ExternalName', externalName: 'kubernetes.default' },
      },
      'services',
    );
    await refusedByAdmission(
      applier,
      {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: { name: 'wide', namespace },
        spec: { podSelector: {}, egress: [{ to: [{ namespaceSelector: {} }] }], policyTypes: ['Egress'] },
      },
      'network-policies',
    );
    await refusedByAdmission(
      applier,
      {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: { name: 'metadata', namespace },
        spec: {
          podSelector: {},
          egress: [{ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }] }],
          policyTypes: ['Egress'],
        },
      },
      'network-policies',
    );
    const deleted = await admin
      .request({
        method: 'DELETE',
        path: `/apis/networking.k8s.io/v1/namespaces/${namespace}/networkpolicies/vibe-default-deny`,
        impersonate: applier,
      })
      .catch((e: unknown) => e);
    expect((deleted as ApiError).message).toContain(`${release}-environment-network-policies`);
    await refusedByAdmission(
      applier,
      ingress('other', { rules: [rule('shop-team-b.vibe.localhost')] }),
      'ingresses',
    );
    await installGatewayApi(admin);
    await refusedByAdmission(
      applier,
      {
        apiVersion: 'gateway.networking.k8s.io/v1',
        kind: 'HTTPRoute',
        metadata: { name: 'other', namespace },
        spec: { hostnames: ['*.vibe.localhost'], rules: [{ backendRefs: [{ name: 'web', port: 80 }] }] },
      },
      'http-routes',
    );
    await refusedByAdmission(
      applier,
      ingress(
        'snippet',
        { rules: [rule(host)] },
        { 'nginx.ingress.kubernetes.io/configuration-snippet': 'x' },
      ),
      'ingresses',
    );
  });

  it('fences the applier to the namespace it was impersonated for', async () => {
    const elsewhere: Impersonation = {
      user: applier.user,
      extra: { 'vibe.dev/applier-namespace': 'vibe-default-other' },
    };
    await refusedByAdmission(
      elsewhere,
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'fenced', namespace }, data: { a: 'b' } },
      'applier-fence',
    );
  });

  it('admits what the gate lets through', async () => {
    const admitted: Manifest[] = [
      pod('web', {
        volumes: [
          { name: 'c', configMap: { name: 'settings' } },
          { name: 'tmp', emptyDir: {} },
        ],
      }),
      {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'db', namespace },
        type: 'Opaque',
        stringData: { p: 'x' },
      },
      {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'web', namespace },
        spec: { ports: [{ port: 80 }], selector: { app: 'web' } },
      },
      {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: { name: 'web-from-api', namespace },
        spec: {
          podSelector: { matchLabels: { app: 'web' } },
          ingress: [{ from: [{ podSelector: { matchLabels: { app: 'api' } } }] }],
          egress: [{ to: [{ ipBlock: { cidr: '203.0.113.0/24' } }] }],
        },
      },
      ingress('web', { ingressClassName: 'vibe', rules: [rule(host), rule(`admin.${host}`)] }),
    ];
    for (const object of admitted) await expect(create(applier, object)).resolves.toBeDefined();
  });

  it('lets controllers update a scheduled pod without touching its spec, and still judges spec changes', async () => {
    const tracked = pod('tracked');
    await create(applier, {
      ...tracked,
      // The API server drops the job controller's own finalizer from pods no Job owns; any finalizer
      // stands for it here.
      metadata: { ...tracked.metadata, finalizers: ['vibe.dev/test-held'] },
    } as Manifest);
    const podPath = `/api/v1/namespaces/${namespace}/pods/tracked`;
    // The scheduler's binding: the pod now carries a nodeName, as every running pod does.
    await admin.request({
      method: 'POST',
      path: `${podPath}/binding`,
      body: {
        apiVersion: 'v1',
        kind: 'Binding',
        metadata: { name: 'tracked' },
        target: { kind: 'Node', name: 'a-node' },
      },
    });
    const jobController: Impersonation = { user: 'system:serviceaccount:kube-system:job-controller' };
    const untracked = await admin.request<{
      metadata: { finalizers?: string[] };
      spec: { nodeName?: string; tolerations?: unknown[] };
    }>({
      method: 'PATCH',
      path: podPath,
      contentType: PATCH.json,
      body: [{ op: 'remove', path: '/metadata/finalizers' }],
      impersonate: jobController,
    });
    expect(untracked.metadata.finalizers).toBeUndefined();
    expect(untracked.spec.nodeName).toBe('a-node');
    // A spec change by someone who is not the operator is judged by the same rules as a create:
    // tolerations are one of the few pod fields an update may change.
    const err = await admin
      .request({
        method: 'PATCH',
        path: podPath,
        contentType: PATCH.json,
        body: [
          {
            op: 'add',
            path: '/spec/tolerations',
            value: [
              ...(untracked.spec.tolerations ?? []),
              { key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' },
            ],
          },
        ],
        impersonate: intruder,
      })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).message).toContain(`ValidatingAdmissionPolicy '${release}-environment-pods'`);
    // No kubelet runs on this tier to confirm the deletion of a pod bound to a node.
    await admin.request({ method: 'DELETE', path: podPath, query: { gracePeriodSeconds: 0 } });
  });

  it('lets the namespace be torn down with the policies in place', async () => {
    await admin.request({ method: 'DELETE', path: `/api/v1/namespaces/${namespace}` });
    await waitFor(
      'the namespace to be deleted',
      () =>
        admin.request({ method: 'GET', path: `/api/v1/namespaces/${namespace}` }).then(
          () => false,
          (err: unknown) => err instanceof ApiError && err.status === 404,
        ),
      60_000,
      500,
    );
  });
});
