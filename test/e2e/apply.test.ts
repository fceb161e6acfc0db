/**
 * applyPlan on the full local cluster: server-side apply as the environment's own identity into an
 * isolated namespace, idempotent re-apply, pruning of dropped objects (and nothing else), dry-run,
 * and the API server refusing anything outside the namespace even when a plan asks for it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseVibeEnvironmentSpec, type VibeEnvironment } from '../../operator/src/api/vibe-environment.js';
import {
  ApplyError,
  applyPlan,
  type ObjectRef,
  type Manifest,
  APPLYSET_PARENT_NAME,
  applySetIdFor,
  applierUser,
  isolationObjects,
  type IsolationSettings,
} from '../../operator/src/environment/index.js';
import { applyObject, getObject } from '../../operator/src/reconciler/apply.js';
import { isApiError } from '../../operator/src/reconciler/errors.js';
import type { Impersonation } from '../../operator/src/reconciler/kube-client.js';
import { RestMapper } from '../../operator/src/reconciler/rest-mapper.js';
import type { KubeObject } from '../../operator/src/reconciler/resource.js';
import { testClient, waitFor } from '../support/kube.js';

const client = testClient();
const mapper = new RestMapper(client);
const FIELD_MANAGER = 'vibe-operator-e2e';
const suffix = `${Date.now().toString(36)}-${Math.floor(Math.random() * 1e4)}`;
const namespace = `vibe-e2e-apply-${suffix}`;
const applySetId = applySetIdFor(namespace);
const user = applierUser(namespace);

const settings: IsolationSettings = {
  namespacePrefix: 'vibe-',
  defaults: { cpu: '2', memory: '2Gi', pods: 10, storage: '1Gi' },
  containerDefaults: { cpuRequest: '10m', memoryRequest: '16Mi', cpuLimit: '200m', memoryLimit: '64Mi' },
  podSecurity: 'restricted',
  previewIngress: 'host-network',
};

const environment: VibeEnvironment = {
  apiVersion: 'vibe.dev/v1alpha1',
  kind: 'VibeEnvironment',
  metadata: { name: 'apply', namespace: 'e2e' },
  spec: parseVibeEnvironmentSpec({ intent: 'a web server' }),
};

const configMap = (name: string, data: Record<string, string>): Manifest => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name },
  data,
});

const web: Manifest = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', labels: { app: 'web' } },
  spec: {
    replicas: 1,
    selector: { matchLabels: { app: 'web' } },
    template: {
      metadata: { labels: { app: 'web' } },
      spec: {
        automountServiceAccountToken: false,
        terminationGracePeriodSeconds: 1,
        securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
        containers: [
          {
            name: 'httpd',
            image: 'localhost/vibe/busybox:test',
            imagePullPolicy: 'Never',
            command: ['httpd', '-f', '-p', '8080', '-h', '/www'],
            ports: [{ name: 'http', containerPort: 8080 }],
            readinessProbe: { httpGet: { path: '/', port: 8080 }, periodSeconds: 1 },
            securityContext: {
              allowPrivilegeEscalation: false,
              readOnlyRootFilesystem: true,
              capabilities: { drop: ['ALL'] },
            },
          },
        ],
      },
    },
  },
};

const service: Manifest = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'web' },
  spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] },
};

const plan = [configMap('settings', { greeting: 'hello' }), web, service];
const apply = (manifests: Manifest[], extra: { dryRun?: boolean; impersonate?: Impersonation } = {}) =>
  applyPlan({
    client,
    mapper,
    fieldManager: FIELD_MANAGER,
    namespace,
    applySetId,
    manifests,
    impersonate: user,
    ...extra,
  });

const get = <T extends KubeObject = KubeObject>(target: ObjectRef | Manifest) =>
  getObject<T>(client, mapper, {
    apiVersion: target.apiVersion,
    kind: target.kind,
    name: 'metadata' in target ? target.metadata.name : target.name,
    namespace,
  });

async function resourceVersions(refs: ObjectRef[]): Promise<Map<string, string | undefined>> {
  const versions = new Map<string, string | undefined>();
  for (const ref of refs) versions.set(`${ref.kind}/${ref.name}`, (await get(ref))?.metadata.resourceVersion);
  return versions;
}

const key = (r: ObjectRef) => `${r.kind}/${r.name}`;

beforeAll(async () => {
  for (const object of isolationObjects(environment, namespace, settings)) {
    await applyObject(client, mapper, object, FIELD_MANAGER);
  }
});

afterAll(async () => {
  try {
    await client.request({ method: 'DELETE', path: `/api/v1/namespaces/${namespace}` });
  } catch (err) {
    if (!isApiError(err, 404)) throw err;
  }
});

describe('applyPlan', () => {
  it('applies a plan as the environment identity and labels every object with the applyset', async () => {
    const outcome = await apply(plan);
    expect(outcome.pruned).toEqual([]);
    expect(outcome.applied.map(key)).toEqual(['ConfigMap/settings', 'Service/web', 'Deployment/web']);
    expect(outcome.applied.every((r) => r.namespace === namespace)).toBe(true);

    for (const ref of outcome.applied) {
      const object = await get(ref);
      expect(object?.metadata.labels?.['applyset.kubernetes.io/part-of']).toBe(applySetId);
      expect(JSON.stringify(object?.metadata.managedFields)).toContain(FIELD_MANAGER);
    }
    const parent = await get({ apiVersion: 'v1', kind: 'ConfigMap', name: APPLYSET_PARENT_NAME });
    expect(parent?.metadata.labels?.['applyset.kubernetes.io/id']).toBe(applySetId);
    expect(parent?.metadata.annotations?.['applyset.kubernetes.io/contains-group-kinds']).toBe(
      'ConfigMap,Deployment.apps,Service',
    );
    expect(JSON.parse(parent?.metadata.annotations?.['vibe.dev/applyset-objects'] ?? '[]')).toEqual([
      { apiVersion: 'v1', kind: 'ConfigMap', name: 'settings' },
      { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
      { apiVersion: 'v1', kind: 'Service', name: 'web' },
    ]);

    const ready = await waitFor(
      'Deployment web to become available',
      async () => {
        const d = await get<
          KubeObject & { status?: { availableReplicas?: number; conditions?: Array<{ reason?: string }> } }
        >(web);
        // Wait for the controller's last status write too, so the next test sees only our writes.
        const settled = d?.status?.conditions?.some((c) => c.reason === 'NewReplicaSetAvailable');
        return (d?.status?.availableReplicas ?? 0) >= 1 && settled ? d : undefined;
      },
      120_000,
      500,
    );
    expect(ready.status?.availableReplicas).toBe(1);
  });

  it('changes nothing when the same plan is applied again', async () => {
    const refs: ObjectRef[] = [
      ...plan.map((m) => ({ apiVersion: m.apiVersion, kind: m.kind, name: m.metadata.name })),
      { apiVersion: 'v1', kind: 'ConfigMap', name: APPLYSET_PARENT_NAME },
    ];
    const before = await resourceVersions(refs);
    const outcome = await apply(plan);
    const after = await resourceVersions(refs);
    expect(outcome.applied).toHaveLength(3);
    expect(outcome.pruned).toEqual([]);
    const changed = [...before].filter(([k, v]) => after.get(k) !== v).map(([k]) => k);
    expect(changed).toEqual([]);
    expect([...after.values()].every((v) => v !== undefined)).toBe(true);
  });

  it('prunes what a smaller plan drops and leaves objects outside the applyset alone', async () => {
    await client.request({
      method: 'POST',
      path: `/api/v1/namespaces/${namespace}/configmaps`,
      body: configMap('foreign', { owner: 'someone else' }),
    });
    await client.request({
      method: 'POST',
      path: `/api/v1/namespaces/${namespace}/configmaps`,
      body: {
        ...configMap('other-set', { owner: 'another applyset' }),
        metadata: { name: 'other-set', labels: { 'applyset.kubernetes.io/part-of': 'applyset-other-v1' } },
      },
    });

    const outcome = await apply([web, service]);
    expect(outcome.applied.map(key)).toEqual(['Service/web', 'Deployment/web']);
    expect(outcome.pruned).toEqual([{ apiVersion: 'v1', kind: 'ConfigMap', name: 'settings', namespace }]);

    expect(await get(configMap('settings', {}))).toBeUndefined();
    expect((await get(configMap('foreign', {})))?.metadata.name).toBe('foreign');
    expect((await get(configMap('other-set', {})))?.metadata.name).toBe('other-set');
    expect((await get(web))?.metadata.name).toBe('web');
    const parent = await get({ apiVersion: 'v1', kind: 'ConfigMap', name: APPLYSET_PARENT_NAME });
    expect(parent?.metadata.annotations?.['applyset.kubernetes.io/contains-group-kinds']).toBe(
      'Deployment.apps,Service',
    );
  });

  it('persists nothing in dry-run mode, prune included', async () => {
    const outcome = await apply([configMap('draft', { a: 'b' })], { dryRun: true });
    expect(outcome.applied.map(key)).toEqual(['ConfigMap/draft']);
    expect(outcome.pruned.map(key).sort()).toEqual(['Deployment/web', 'Service/web']);
    expect(await get(configMap('draft', {}))).toBeUndefined();
    const deployment = await get(web);
    expect(deployment?.metadata.name).toBe('web');
    expect(deployment?.metadata.deletionTimestamp).toBeUndefined();
    expect((await get(service))?.metadata.name).toBe('web');
  });

  it('refuses to apply over an object the operator keeps in the namespace', async () => {
    const hijack: Manifest = {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'vibe-default-deny' },
      spec: { podSelector: { matchLabels: { nothing: 'here' } } },
    };
    const err = await apply([web, service, hijack]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApplyError);
    expect((err as ApplyError).code).toBe('VIBE_APPLY_RESERVED_NAME');
    const policy = await get<KubeObject & { spec: unknown }>(hijack);
    expect(policy?.spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
  });
});

describe('the environment identity', () => {
  const forbidden = async (manifest: Manifest) => {
    const err = await apply([web, service, manifest]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApplyError);
    expect((err as ApplyError).code).toBe('VIBE_APPLY_FORBIDDEN');
    expect((err as ApplyError).status).toBe(403);
    expect((err as ApplyError).message).toContain(user.user);
    return err as ApplyError;
  };

  it('cannot create a ClusterRoleBinding, even when a plan slips one past the policy gate', async () => {
    const name = `vibe-e2e-escalate-${suffix}`;
    const err = await forbidden({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
      subjects: [{ kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'system:authenticated' }],
    });
    expect(err.object).toBe(`ClusterRoleBinding/${name}`);
    const bindings = await client.request<{ items: KubeObject[] }>({
      method: 'GET',
      path: '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings',
    });
    expect(bindings.items.filter((b) => b.metadata.name === name)).toEqual([]);
  });

  it('cannot write into another namespace', async () => {
    const name = `vibe-e2e-escape-${suffix}`;
    await forbidden({ ...configMap(name, { x: 'y' }), metadata: { name, namespace: 'default' } });
    const inDefault = await getObject(client, mapper, {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      name,
      namespace: 'default',
    });
    expect(inDefault).toBeUndefined();
  });

  it('cannot write kinds the policy does not allow, even in its own namespace', async () => {
    await forbidden({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name: 'grab' },
      rules: [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }],
    });
    expect(
      await get({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', name: 'grab' }),
    ).toBeUndefined();
  });
});
