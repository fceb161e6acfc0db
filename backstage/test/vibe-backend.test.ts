/**
 * The vibe backend plugin's routes through a real Backstage backend (startTestBackend) against the
 * real API server, once with every permission allowed and once with every one denied.
 */
import {
  mockCredentials,
  mockServices,
  startTestBackend,
  type TestBackend,
} from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import vibePlugin from '@vibe-operator/plugin-vibe-backend';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VibeEnvironment } from '../../operator/src/api/vibe-environment.js';
import type { KubeClient } from '../../operator/src/reconciler/kube-client.js';
import {
  createNamespace,
  deleteNamespace,
  environment,
  environmentsPath,
  getEnvironment,
  installCrds,
  kubeconfigPath,
  testClient,
  waitFor,
} from '../../test/support/kube.js';
import { OperatorProcess } from '../../test/support/operator-process.js';
import { manifestPlanner, previewPlan } from './environments.js';

let kube: KubeClient;
/** Planned by the manifest planner: environments reach Ready with a preview. */
let ns: string;
/** Planned by the offline planner in the sandbox: environments have attempt records. */
let planned: string;
let operator: OperatorProcess;
let plannerOperator: OperatorProcess;

function component(name: string, annotation?: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      namespace: 'default',
      annotations: annotation ? { 'vibe.dev/environments': annotation } : {},
    },
    spec: { type: 'service', lifecycle: 'experimental', owner: 'group:default/platform' },
  };
}

async function backendWith(result: AuthorizeResult.ALLOW | AuthorizeResult.DENY): Promise<TestBackend> {
  return startTestBackend({
    features: [
      vibePlugin,
      catalogServiceMock.factory({
        entities: [component('web', `${ns}/web-`), component('bare'), component('broken', 'Team_A')],
      }),
      mockServices.permissions.factory({ result }),
      mockServices.rootConfig.factory({ data: { vibe: { kubeconfig: kubeconfigPath(), namespace: ns } } }),
    ],
  });
}

/** The fields of the answers the suite reads: an environment, a list, attempts or an error. */
interface Answer {
  error?: { message: string };
  selector?: unknown;
  items?: Array<{ name: string; phase: string; previewUrl?: string }>;
  attempts?: Array<{ attempt: number; author: string; script?: string; diagnostics: unknown[] }>;
  expiresAt?: string;
  [field: string]: unknown;
}

function http(backend: TestBackend) {
  const { port } = backend.server.address() as AddressInfo;
  return async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`http://127.0.0.1:${port}/api/vibe${path}`, {
      method,
      headers: { authorization: mockCredentials.user.header(), 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Answer };
  };
}

async function createReady(name: string): Promise<VibeEnvironment> {
  await kube.request({
    method: 'POST',
    path: environmentsPath(ns),
    body: environment(name, { intent: previewPlan(name), ttl: '1h' }),
  });
  return waitFor(`${name} to be Ready`, async () => {
    const env = await getEnvironment<VibeEnvironment>(kube, ns, name);
    return env?.status?.phase === 'Ready' ? env : undefined;
  });
}

beforeAll(async () => {
  kube = testClient();
  await installCrds(kube);
  ns = await createNamespace(kube, 'backstage-routes');
  operator = await OperatorProcess.start(['--namespace', ns, '--planner-module', manifestPlanner]);
  await operator.ready();
  planned = await createNamespace(kube, 'backstage-planned');
  plannerOperator = await OperatorProcess.start([
    '--namespace',
    planned,
    '--planner',
    'offline',
    '--executor',
    'runsc',
  ]);
  await plannerOperator.ready();
  await kube.request({
    method: 'POST',
    path: environmentsPath(planned),
    body: environment('reviewed', { intent: 'nginx:1.27 on port 80, public', approval: 'Manual' }),
  });
  await createReady('web-one');
  await createReady('other');
  await waitFor(
    'reviewed to await approval',
    async () =>
      (await getEnvironment<VibeEnvironment>(kube, planned, 'reviewed'))?.status?.phase ===
      'AwaitingApproval',
    60_000,
  );
});

afterAll(async () => {
  await operator?.stop();
  await plannerOperator?.stop();
  for (const namespace of [ns, planned]) if (namespace) await deleteNamespace(kube, namespace);
  kube?.close();
});

describe('with every permission allowed', () => {
  let backend: TestBackend;
  let call: ReturnType<typeof http>;
  beforeAll(async () => {
    backend = await backendWith(AuthorizeResult.ALLOW);
    call = http(backend);
  });
  afterAll(() => backend?.stop());

  it("lists the entity's environments: those its annotation selects, and no others", async () => {
    const res = await call('GET', '/entities/component/default/web/environments');
    expect(res.status).toBe(200);
    expect(res.body.selector).toEqual({ namespace: ns, prefix: 'web-' });
    expect(res.body.items?.map((e) => e.name)).toEqual(['web-one']);
    expect(res.body.items?.[0]).toMatchObject({
      phase: 'Ready',
      previewUrl: `http://web-one-${ns}.vibe.localhost/`,
    });
  });

  it('says what to add when the entity has no annotation or a malformed one', async () => {
    const bare = await call('GET', '/entities/component/default/bare/environments');
    expect(bare.status).toBe(404);
    expect(bare.body.error?.message).toContain('has no vibe.dev/environments annotation');
    const broken = await call('GET', '/entities/component/default/broken/environments');
    expect(broken.status).toBe(400);
    expect(broken.body.error?.message).toContain('is not NAMESPACE or NAMESPACE/NAME-PREFIX');
    const missing = await call('GET', '/entities/component/default/nowhere/environments');
    expect(missing.status).toBe(404);
  });

  it('gets one environment, its attempts and its logs', async () => {
    const env = await call('GET', `/environments/${ns}/web-one`);
    expect(env.status).toBe(200);
    expect(env.body).toMatchObject({ name: 'web-one', namespace: ns, phase: 'Ready' });
    const attempts = await call('GET', `/environments/${planned}/reviewed/attempts`);
    expect(attempts.status).toBe(200);
    expect(attempts.body.attempts).toHaveLength(1);
    expect(attempts.body.attempts?.[0]).toMatchObject({ attempt: 1, author: 'offline', diagnostics: [] });
    expect(attempts.body.attempts?.[0]?.script).toContain("from '@vibe/sdk'");
    // The control-plane tier runs no pods: the environment has no container to read logs of.
    const logs = await call('GET', `/environments/${ns}/web-one/logs?tailLines=20`);
    expect(logs).toEqual({ status: 200, body: { lines: [] } });
    const tooMany = await call('GET', `/environments/${ns}/web-one/logs?tailLines=100000`);
    expect(tooMany.status).toBe(400);
    const gone = await call('GET', `/environments/${ns}/nothing-here`);
    expect(gone.status).toBe(404);
    expect(gone.body.error?.message).toContain('VIBE_CLIENT_NOT_FOUND');
  });

  it('extends an environment: its annotation and expiry move', async () => {
    const before = await call('GET', `/environments/${ns}/web-one`);
    const res = await call('POST', `/environments/${ns}/web-one/extend`, { by: '2h' });
    expect(res.status).toBe(200);
    expect(Date.parse(String(res.body.expiresAt)) - Date.parse(String(before.body.expiresAt))).toBe(
      2 * 3600_000,
    );
    const env = await getEnvironment<VibeEnvironment>(kube, ns, 'web-one');
    expect(env?.metadata.annotations?.['vibe.dev/extend']).toBe('2h');
    const invalid = await call('POST', `/environments/${ns}/web-one/extend`, { by: 'forever' });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error?.message).toContain('by must be a duration');
  });

  it('deletes an environment', async () => {
    const res = await call('DELETE', `/environments/${ns}/other`);
    expect(res).toEqual({ status: 200, body: { name: 'other', namespace: ns, deleted: true } });
    await waitFor('other to be gone', async () => (await getEnvironment(kube, ns, 'other')) === undefined);
  });
});

describe('with every permission denied', () => {
  let backend: TestBackend;
  let call: ReturnType<typeof http>;
  beforeAll(async () => {
    backend = await backendWith(AuthorizeResult.DENY);
    call = http(backend);
  });
  afterAll(() => backend?.stop());

  it('refuses to read, extend and delete, and changes nothing', async () => {
    const before = await getEnvironment<VibeEnvironment>(kube, ns, 'web-one');
    for (const [method, path, body] of [
      ['GET', '/entities/component/default/web/environments'],
      ['GET', `/environments/${ns}/web-one`],
      ['GET', `/environments/${ns}/web-one/attempts`],
      ['GET', `/environments/${ns}/web-one/logs`],
      ['POST', `/environments/${ns}/web-one/extend`, { by: '1h' }],
      ['DELETE', `/environments/${ns}/web-one`],
    ] as const) {
      const res = await call(method, path, body);
      expect(res.status, `${method} ${path}`).toBe(403);
      expect(res.body.error?.message).toMatch(
        /the permission policy denies vibe\.environment\.(read|extend|delete)/,
      );
    }
    const after = await getEnvironment<VibeEnvironment>(kube, ns, 'web-one');
    expect(after?.metadata.deletionTimestamp).toBeUndefined();
    expect(after?.metadata.annotations?.['vibe.dev/extend']).toBe(
      before?.metadata.annotations?.['vibe.dev/extend'],
    );
  });
});
