/**
 * No usable identity inside an environment, on the full cluster (its own admission policies beside
 * the ones cluster-up installs). A planted script (run under runsc, as an agent's
 * would be) emits every way the gate once let a workload reach the applier's rights: a token
 * Secret for the applier's account, a pod naming it, a projected token volume, a RoleBinding to
 * the applier Role. The environment ends Failed at the policy gate with nothing of it created;
 * the same objects written straight to the API server as the applier are refused by admission
 * (or by RBAC, for the kinds the applier may not write at all).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VibeEnvironment } from '../../operator/src/api/vibe-environment.js';
import { applierUser, type Manifest } from '../../operator/src/environment/index.js';
import { ApiError } from '../../operator/src/reconciler/errors.js';
import { PATCH } from '../../operator/src/reconciler/kube-client.js';
import {
  ADMISSION_SCOPE_LABEL,
  COMPLIANT_POD_SPEC,
  createAs,
  installEnvironmentAdmission,
  type InstalledAdmission,
} from '../support/environment-admission.js';
import {
  createNamespace,
  deleteNamespace,
  environment,
  environmentsPath,
  getEnvironment,
  installCrds,
  testClient,
  waitFor,
} from '../support/kube.js';
import { OperatorProcess } from '../support/operator-process.js';

const scriptPlanner = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../support/script-planner.ts',
);
const client = testClient();
const id = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
let ns: string;
let operator: OperatorProcess;
let admission: InstalledAdmission;

const podSpec = COMPLIANT_POD_SPEC;
/** What the script emits, and what the test then writes directly. */
const grabs: Manifest[] = [
  {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name: 'applier-token',
      annotations: { 'kubernetes.io/service-account.name': 'vibe-applier' },
    },
    type: 'kubernetes.io/service-account-token',
  },
  {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'as-applier' },
    spec: { ...podSpec, serviceAccountName: 'vibe-applier', automountServiceAccountToken: true },
  },
  {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'projected' },
    spec: {
      selector: { matchLabels: { app: 'p' } },
      template: {
        metadata: { labels: { app: 'p' } },
        spec: {
          ...podSpec,
          volumes: [{ name: 't', projected: { sources: [{ serviceAccountToken: { path: 'token' } }] } }],
        },
      },
    },
  },
  {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: { name: 'grab-applier' },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'vibe-applier' },
    subjects: [{ kind: 'ServiceAccount', name: 'default' }],
  },
];
const script = `import { apiObject } from '@vibe/sdk';
for (const object of ${JSON.stringify(grabs)}) apiObject(object);
`;

/** Which wall refused a write: an admission policy, the missing account, or RBAC. */
function refusedBy(err: unknown): string {
  if (!(err instanceof ApiError)) return String(err);
  if (err.message.includes('ValidatingAdmissionPolicy')) return `${err.status} admission`;
  if (err.message.includes('serviceaccount "vibe-applier" not found')) return `${err.status} no such account`;
  if (err.message.includes('cannot create resource')) return `${err.status} rbac`;
  return `${err.status} ${err.message}`;
}

const names = async (p: string) =>
  (await client.request<{ items: Array<{ metadata: { name: string } }> }>({ method: 'GET', path: p })).items
    .map((i) => i.metadata.name)
    .sort();

beforeAll(async () => {
  await installCrds(client);
  ns = await createNamespace(client, 'applier-id');
  admission = await installEnvironmentAdmission(client, `applier-${id}`, id);
  operator = await OperatorProcess.start(['--namespace', ns, '--planner-module', scriptPlanner]);
  await operator.ready(60_000);
});

afterAll(async () => {
  await operator?.stop();
  if (ns) await deleteNamespace(client, ns);
  await admission?.uninstall();
  client.close();
});

describe('the applier identity', () => {
  it('cannot be reached by a script: the environment fails at the policy gate and nothing is created', async () => {
    await client.request({
      method: 'POST',
      path: environmentsPath(ns),
      body: environment('thief', { intent: script, ttl: '30m', budget: { maxAttempts: 1 } }),
    });
    const failed = await waitFor(
      'phase Failed',
      async () => {
        const env = await getEnvironment<VibeEnvironment>(client, ns, 'thief');
        return env?.status?.phase === 'Failed' ? env : undefined;
      },
      120_000,
    );
    const ready = failed.status?.conditions?.find((c) => c.type === 'Ready');
    expect(ready).toMatchObject({ status: 'False', reason: 'PolicyViolation' });
    const target = `vibe-${ns}-thief`;
    expect(await names(`/api/v1/namespaces/${target}/secrets`)).toEqual([]);
    expect(await names(`/api/v1/namespaces/${target}/pods`)).toEqual([]);
    expect(await names(`/apis/apps/v1/namespaces/${target}/deployments`)).toEqual([]);
    expect(await names(`/apis/rbac.authorization.k8s.io/v1/namespaces/${target}/rolebindings`)).toEqual([
      'vibe-applier',
    ]);
    // No account to name or to mint a token for: the applier is a user.
    expect(await names(`/api/v1/namespaces/${target}/serviceaccounts`)).not.toContain('vibe-applier');
  }, 180_000);

  it('cannot be reached through the API either: admission (or RBAC) refuses the same objects', async () => {
    const target = `vibe-${ns}-thief`;
    await client.request({
      method: 'PATCH',
      path: `/api/v1/namespaces/${target}`,
      contentType: PATCH.merge,
      body: { metadata: { labels: { [ADMISSION_SCOPE_LABEL]: id } } },
    });
    const applier = applierUser(target);
    const refusals = async () =>
      Promise.all(
        grabs.map((g) =>
          createAs(client, applier, { ...g, metadata: { ...g.metadata, namespace: target } }).then(
            () => `${g.kind}: admitted`,
            (err: unknown) => `${g.kind}: ${refusedBy(err)}`,
          ),
        ),
      );
    // Policies reach a freshly labelled namespace a moment later.
    const seen = await waitFor('admission to cover the namespace', async () => {
      const r = await refusals();
      return r.every((line) => !line.includes('admitted')) ? r : undefined;
    });
    expect(seen).toEqual([
      'Secret: 403 admission',
      'Pod: 403 no such account',
      'Deployment: 403 admission',
      'RoleBinding: 403 rbac',
    ]);
  });
});
