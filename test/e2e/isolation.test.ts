/**
 * Isolation on the full local cluster, done by an operator that holds only the chart's RBAC, as
 * `helm template` renders it, with a token for its ServiceAccount: it creates an environment
 * namespace with its quota, limits, network policies, PodSecurity labels and applier identity,
 * applies a plan through that identity, reads the rollout and tears the namespace down; and it
 * cannot write workloads itself (sandbox pods only in the sandbox namespace), impersonate anyone else
 * or hand out rights it lacks. The chart's admission policy refuses sandbox pods without gVisor.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseVibeEnvironmentSpec, type VibeEnvironment } from '../../operator/src/api/vibe-environment.js';
import {
  ApplyError,
  applyPlan,
  applySetIdFor,
  applierUser,
  isolationObjects,
  type IsolationSettings,
  type Manifest,
  checkRollout,
} from '../../operator/src/environment/index.js';
import { applyObject, deleteObject, getObject } from '../../operator/src/reconciler/apply.js';
import { ApiError, isApiError } from '../../operator/src/reconciler/errors.js';
import { KubeClient } from '../../operator/src/reconciler/kube-client.js';
import { RestMapper } from '../../operator/src/reconciler/rest-mapper.js';
import type { KubeObject } from '../../operator/src/reconciler/resource.js';
import { ChartRelease } from '../support/chart.js';
import { testClient, waitFor } from '../support/kube.js';

const admin = testClient();
const adminMapper = new RestMapper(admin);
const FIELD_MANAGER = 'vibe-operator-e2e';
const suffix = `${Date.now().toString(36)}-${Math.floor(Math.random() * 1e4)}`;
const releaseName = `vibe-e2e-rbac-${suffix}`;
const envNamespace = `vibe-e2e-iso-${suffix}`;
const sandboxNamespace = `${releaseName}-sandbox`;

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

let release: ChartRelease;
let operator: KubeClient;
let mapper: RestMapper;

const list = async (client: KubeClient, path: string) =>
  (await client.request<{ items: Array<KubeObject & Record<string, unknown>> }>({ method: 'GET', path }))
    .items;

beforeAll(async () => {
  release = await ChartRelease.install(admin, releaseName, releaseName, {
    'sandbox.namespace': sandboxNamespace,
    'sandbox.image': 'vibe.dev/sandbox-runtime:unused',
  });
  operator = new KubeClient(await release.serviceAccountKubeconfig());
  mapper = new RestMapper(operator);
});

afterAll(async () => {
  await admin
    .request({ method: 'DELETE', path: `/api/v1/namespaces/${envNamespace}` })
    .catch((err: unknown) => {
      if (!isApiError(err, 404)) throw err;
    });
  await release?.uninstall();
  operator?.close();
});

describe('an operator holding only the chart RBAC', () => {
  it('creates the environment namespace and every isolation object', async () => {
    // The RoleBinding before the Role it binds: the runtime sends them at once, and `bind` on the
    // Role's name is all RBAC asks of the operator, whether or not the Role exists yet.
    const order = ['Namespace', 'RoleBinding'];
    const rank = (kind: string) => (order.includes(kind) ? order.indexOf(kind) : order.length);
    const objects = isolationObjects(environment, envNamespace, settings);
    for (const object of objects.sort((a, b) => rank(a.kind) - rank(b.kind))) {
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
    // The applier is a user: there is no account a pod could name or a Secret could get a token for.
    const sa = await getObject(admin, adminMapper, {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      name: 'vibe-applier',
      namespace: envNamespace,
    });
    expect(sa).toBeUndefined();
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
    // The pod executor's Role lets it create pods in the sandbox namespace and nowhere else.
    const pod = (namespace: string) => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'direct', namespace },
      spec: { containers: [{ name: 'c', image: 'x' }] },
    });
    expect(await status(applyObject(operator, mapper, pod(envNamespace), FIELD_MANAGER))).toBe(403);
    const canCreate = await operator.request<{ status: { allowed: boolean } }>({
      method: 'POST',
      path: '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews',
      body: {
        apiVersion: 'authorization.k8s.io/v1',
        kind: 'SelfSubjectAccessReview',
        spec: { resourceAttributes: { namespace: sandboxNamespace, resource: 'pods', verb: 'create' } },
      },
    });
    expect(canCreate.status.allowed).toBe(true);
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

  it('has the API server refuse a sandbox pod without gVisor or with a token, whoever asks', async () => {
    const sandboxPod = (spec: Record<string, unknown>) => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'probe', namespace: sandboxNamespace },
      spec: {
        securityContext: { runAsNonRoot: true, runAsUser: 65534, seccompProfile: { type: 'RuntimeDefault' } },
        containers: [
          {
            name: 'c',
            image: 'localhost/vibe/busybox:test',
            securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
          },
        ],
        ...spec,
      },
    });
    const create = (body: unknown) =>
      admin.request({
        method: 'POST',
        path: `/api/v1/namespaces/${sandboxNamespace}/pods`,
        query: { dryRun: 'All' },
        body,
      });
    const refusal = (body: unknown) =>
      create(body).then(
        () => 'admitted',
        (err: unknown) => (err instanceof ApiError ? `${err.status} ${err.message}` : String(err)),
      );
    // The policy reaches the API server's admission cache a moment after it is created.
    const runc = await waitFor(
      'the sandbox admission policy to take effect',
      async () => {
        const answer = await refusal(sandboxPod({ automountServiceAccountToken: false }));
        return answer === 'admitted' ? undefined : answer;
      },
      30_000,
      500,
    );
    expect(runc).toMatch(/^403 .*must run under gVisor \(spec\.runtimeClassName gvisor\)/);
    expect(await refusal(sandboxPod({ runtimeClassName: 'gvisor' }))).toMatch(
      /^403 .*must not mount a service account token/,
    );
    expect(
      await refusal(sandboxPod({ runtimeClassName: 'gvisor', automountServiceAccountToken: false })),
    ).toBe('admitted');
    // Outside the sandbox namespace the policy does not apply.
    const elsewhere = { ...sandboxPod({}), metadata: { name: 'probe', namespace: envNamespace } };
    expect(await refusal(elsewhere)).not.toMatch(/gVisor/);
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
