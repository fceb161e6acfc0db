/**
 * Isolation on the full local cluster, done by an operator that holds only the chart's RBAC: it
 * creates an environment namespace with its quota, limits, network policies, PodSecurity labels and
 * applier identity, applies a plan through that identity, reads the rollout and tears the namespace
 * down; and it cannot write workloads itself, impersonate anyone else or hand out rights it lacks.
 */
import { readFileSync } from 'node:fs';
import { KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { parseVibeEnvironmentSpec, type VibeEnvironment } from '../../operator/src/api/vibe-environment.js';
import { ApplyError, applyPlan } from '../../operator/src/environment/applier.js';
import { applySetIdFor } from '../../operator/src/environment/applyset.js';
import {
  applierUser,
  isolationObjects,
  type IsolationSettings,
} from '../../operator/src/environment/isolation.js';
import type { Manifest } from '../../operator/src/environment/planner.js';
import { checkRollout } from '../../operator/src/environment/readiness.js';
import { applyObject, deleteObject, getObject } from '../../operator/src/reconciler/apply.js';
import { ApiError, isApiError } from '../../operator/src/reconciler/errors.js';
import { KubeClient } from '../../operator/src/reconciler/kube-client.js';
import { RestMapper } from '../../operator/src/reconciler/rest-mapper.js';
import type { KubeObject } from '../../operator/src/reconciler/resource.js';
import { kubeconfigPath, testClient, waitFor } from '../support/kube.js';

const admin = testClient();
const adminMapper = new RestMapper(admin);
const FIELD_MANAGER = 'vibe-operator-e2e';
const suffix = `${Date.now().toString(36)}-${Math.floor(Math.random() * 1e4)}`;
const release = `vibe-e2e-rbac-${suffix}`;
const releaseNamespace = release;
const envNamespace = `vibe-e2e-iso-${suffix}`;

const settings: IsolationSettings = {
  namespacePrefix: 'vibe-',
  defaults: { cpu: '1', memory: '1Gi', pods: 5, storage: '1Gi' },
  containerDefaults: { cpuRequest: '20m', memoryRequest: '16Mi', cpuLimit: '100m', memoryLimit: '32Mi' },
  podSecurity: 'restricted',
  previewIngress: { namespaceSelector: { 'kubernetes.io/metadata.name': 'vibe-system' } },
};

const environment: VibeEnvironment = {
  apiVersion: 'vibe.dev/v1alpha1',
  kind: 'VibeEnvironment',
  metadata: { name: 'isolated', namespace: 'team-a' },
  spec: parseVibeEnvironmentSpec({ intent: 'a pod', resources: { cpu: '1500m', memory: '768Mi', pods: 4 } }),
};

/** Renders the chart's RBAC template the way helm would for this release (it uses nothing else). */
function renderRbac(): Manifest[] {
  const template = readFileSync(
    new URL('../../charts/vibe-operator/templates/rbac.yaml', import.meta.url),
    'utf8',
  );
  const text = template
    .split('\n')
    .filter((line) => !/^\s*\{\{-? (if \.Values\.rbac\.create|end) -?\}\}\s*$/.test(line))
    .join('\n')
    .replaceAll('{{ .Release.Name }}', release)
    .replaceAll('{{ .Release.Namespace }}', releaseNamespace);
  expect(text).not.toContain('{{');
  return parseAllDocuments(text).map((d) => d.toJS() as Manifest);
}

let operator: KubeClient;
let mapper: RestMapper;

/** A client that authenticates as the chart's ServiceAccount with a short-lived token. */
async function operatorClient(): Promise<KubeClient> {
  const { status } = await admin.request<{ status: { token: string } }>({
    method: 'POST',
    path: `/api/v1/namespaces/${releaseNamespace}/serviceaccounts/${release}/token`,
    body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { expirationSeconds: 600 } },
  });
  const base = new KubeConfig();
  base.loadFromFile(kubeconfigPath());
  const cluster = base.getCurrentCluster();
  if (!cluster) throw new Error('the test kubeconfig has no current cluster');
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [cluster],
    users: [{ name: 'operator', token: status.token }],
    contexts: [{ name: 'operator', cluster: cluster.name, user: 'operator' }],
    currentContext: 'operator',
  });
  return new KubeClient(kc);
}

const list = async (client: KubeClient, path: string) =>
  (await client.request<{ items: Array<KubeObject & Record<string, unknown>> }>({ method: 'GET', path }))
    .items;

beforeAll(async () => {
  await admin.request({
    method: 'POST',
    path: '/api/v1/namespaces',
    body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: releaseNamespace } },
  });
  for (const object of renderRbac()) await applyObject(admin, adminMapper, object, FIELD_MANAGER);
  operator = await operatorClient();
  mapper = new RestMapper(operator);
  // The operator's own ClusterRoleBinding reaches the RBAC cache a moment after it is written.
  await waitFor('the chart RBAC to take effect', () =>
    operator.request({ method: 'GET', path: '/api/v1/namespaces' }).then(() => true),
  );
});

afterAll(async () => {
  for (const path of [
    `/apis/rbac.authorization.k8s.io/v1/clusterrolebindings/${release}`,
    `/apis/rbac.authorization.k8s.io/v1/clusterroles/${release}`,
    `/api/v1/namespaces/${envNamespace}`,
    `/api/v1/namespaces/${releaseNamespace}`,
  ]) {
    await admin.request({ method: 'DELETE', path }).catch((err: unknown) => {
      if (!isApiError(err, 404)) throw err;
    });
  }
  operator?.close();
});

describe('an operator holding only the chart RBAC', () => {
  it('creates the environment namespace and every isolation object', async () => {
    for (const object of isolationObjects(environment, envNamespace, settings)) {
      await applyObject(operator, mapper, object, FIELD_MANAGER);
    }
    const ns = await getObject(admin, adminMapper, {
      apiVersion: 'v1',
      kind: 'Namespace',
      name: envNamespace,
    });
    expect(ns?.metadata.labels).toMatchObject({
      'vibe.dev/environment': 'isolated',
      'vibe.dev/environment-namespace': 'team-a',
      'app.kubernetes.io/managed-by': 'vibe-operator',
      'pod-security.kubernetes.io/enforce': 'restricted',
      'pod-security.kubernetes.io/audit': 'restricted',
      'pod-security.kubernetes.io/warn': 'restricted',
    });

    const [quota] = await list(admin, `/api/v1/namespaces/${envNamespace}/resourcequotas`);
    expect(quota?.metadata.name).toBe('vibe-quota');
    expect((quota?.spec as { hard: Record<string, string> }).hard).toMatchObject({
      'requests.cpu': '1500m',
      'limits.memory': '768Mi',
      pods: '4',
      'services.nodeports': '0',
    });
    const [limits] = await list(admin, `/api/v1/namespaces/${envNamespace}/limitranges`);
    expect(limits?.metadata.name).toBe('vibe-limits');
    const policies = await list(
      admin,
      `/apis/networking.k8s.io/v1/namespaces/${envNamespace}/networkpolicies`,
    );
    expect(policies.map((p) => p.metadata.name).sort()).toEqual([
      'vibe-allow-dns',
      'vibe-allow-preview',
      'vibe-allow-same-namespace',
      'vibe-default-deny',
    ]);
    const sa = await getObject<KubeObject & { automountServiceAccountToken?: boolean }>(admin, adminMapper, {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      name: 'vibe-applier',
      namespace: envNamespace,
    });
    expect(sa?.automountServiceAccountToken).toBe(false);
    const roles = await list(admin, `/apis/rbac.authorization.k8s.io/v1/namespaces/${envNamespace}/roles`);
    expect(roles.map((r) => r.metadata.name)).toEqual(['vibe-applier']);
  });

  it('applies a plan through the applier identity; a pod without resources gets the default limits', async () => {
    const pod: Manifest = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'idle' },
      spec: {
        automountServiceAccountToken: false,
        terminationGracePeriodSeconds: 1,
        securityContext: { runAsNonRoot: true, runAsUser: 65534, seccompProfile: { type: 'RuntimeDefault' } },
        containers: [
          {
            name: 'pause',
            image: 'localhost/vibe/pause:1',
            imagePullPolicy: 'Never',
            securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
          },
        ],
      },
    };
    const outcome = await applyPlan({
      client: operator,
      mapper,
      fieldManager: FIELD_MANAGER,
      namespace: envNamespace,
      applySetId: applySetIdFor(envNamespace),
      manifests: [pod],
      impersonate: applierUser(envNamespace),
    });
    expect(outcome.applied).toEqual([
      { apiVersion: 'v1', kind: 'Pod', name: 'idle', namespace: envNamespace },
    ]);
    const stored = await getObject<KubeObject & { spec: { containers: Array<{ resources: unknown }> } }>(
      admin,
      adminMapper,
      { apiVersion: 'v1', kind: 'Pod', name: 'idle', namespace: envNamespace },
    );
    expect(stored?.spec.containers[0]?.resources).toEqual({
      requests: { cpu: '20m', memory: '16Mi' },
      limits: { cpu: '100m', memory: '32Mi' },
    });
    const report = await waitFor(
      'the pod to be ready',
      async () => {
        const r = await checkRollout({ client: operator, namespace: envNamespace, applied: outcome.applied });
        return r.ready ? r : undefined;
      },
      120_000,
      500,
    );
    expect(report.failures).toEqual([]);
  });

  it('has PodSecurity refuse a pod that may run as root, even through the applier', async () => {
    const err = await applyPlan({
      client: operator,
      mapper,
      fieldManager: FIELD_MANAGER,
      namespace: envNamespace,
      applySetId: applySetIdFor(envNamespace),
      manifests: [
        {
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: { name: 'root' },
          spec: {
            containers: [{ name: 'c', image: 'localhost/vibe/pause:1' }],
          },
        },
      ],
      impersonate: applierUser(envNamespace),
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApplyError);
    expect((err as ApplyError).code).toBe('VIBE_APPLY_POD_SECURITY');
    expect((err as ApplyError).message).toContain('violates PodSecurity "restricted:latest"');
    expect((err as ApplyError).message).toContain('runAsNonRoot');
  });

  it('cannot write workloads itself, impersonate another account or grant rights it lacks', async () => {
    const status = async (request: Promise<unknown>) =>
      request.then(
        () => 200,
        (err: unknown) => (err instanceof ApiError ? err.status : -1),
      );
    const deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'direct', namespace: envNamespace },
      spec: {
        selector: { matchLabels: { a: 'b' } },
        template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'x' }] } },
      },
    };
    expect(await status(applyObject(operator, mapper, deployment, FIELD_MANAGER))).toBe(403);
    expect(
      await status(
        operator.request({
          method: 'GET',
          path: `/api/v1/namespaces/${envNamespace}/configmaps`,
          impersonate: `system:serviceaccount:${envNamespace}:default`,
        }),
      ),
    ).toBe(403);
    const grab = {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name: 'grab', namespace: envNamespace },
      rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['get'] }],
    };
    expect(await status(applyObject(operator, mapper, grab, FIELD_MANAGER))).toBe(403);
    expect(
      await status(operator.request({ method: 'GET', path: '/api/v1/namespaces/kube-system/secrets' })),
    ).toBe(403);
  });

  it('tears the environment namespace down', async () => {
    expect(
      await deleteObject(operator, mapper, { apiVersion: 'v1', kind: 'Namespace', name: envNamespace }),
    ).toBe(true);
    const ns = await getObject(admin, adminMapper, {
      apiVersion: 'v1',
      kind: 'Namespace',
      name: envNamespace,
    });
    expect(ns === undefined || ns.metadata.deletionTimestamp !== undefined).toBe(true);
  });
});
