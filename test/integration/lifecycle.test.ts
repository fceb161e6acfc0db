import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VibeEnvironment } from '../../operator/src/api/vibe-environment.js';
import { isApiError } from '../../operator/src/reconciler/errors.js';
import { PATCH, type KubeClient } from '../../operator/src/reconciler/kube-client.js';
import {
  createNamespace,
  deleteNamespace,
  environment,
  environmentsPath,
  eventsFor,
  installCrds,
  testClient,
  waitFor,
} from '../support/kube.js';
import { OperatorProcess } from '../support/operator-process.js';

/** Create, update and delete one VibeEnvironment under a running `vibe operator`, counting what happened. */
describe('VibeEnvironment lifecycle', () => {
  let client: KubeClient;
  let ns: string;
  let operator: OperatorProcess;
  const get = (name: string) =>
    client.request<VibeEnvironment>({ method: 'GET', path: environmentsPath(ns, name) });
  const reasons = async (name: string) => (await eventsFor(client, ns, name)).map((e) => e.reason).sort();

  beforeAll(async () => {
    client = testClient();
    await installCrds(client);
    ns = await createNamespace(client, 'lifecycle');
    operator = await OperatorProcess.start(['--namespace', ns, '--planner', 'static']);
    await operator.ready();
  });

  afterAll(async () => {
    await operator?.stop();
    if (ns) await deleteNamespace(client, ns);
    client?.close();
  });

  it('create -> finalizer, plan, namespace, status Ready', async () => {
    await client.request({
      method: 'POST',
      path: environmentsPath(ns),
      body: environment('web', { intent: 'a web app', ttl: '1h' }),
    });
    const ready = await waitFor('phase Ready', async () => {
      const env = await get('web');
      return env.status?.phase === 'Ready' ? env : undefined;
    });
    expect(ready.metadata.finalizers).toEqual(['vibe.dev/environment']);
    expect(ready.status).toMatchObject({
      observedGeneration: 1,
      attempts: 1,
      namespace: `vibe-${ns}-web`,
      plan: { objects: 1, kinds: ['ConfigMap'], images: [] },
      progress: { handledGeneration: 1 },
    });
    expect(Date.parse(ready.status!.expiresAt!) - Date.parse(ready.metadata.creationTimestamp!)).toBe(
      3_600_000,
    );
    expect(ready.status?.conditions?.map((c) => [c.type, c.status, c.reason, c.observedGeneration])).toEqual([
      ['Planned', 'True', 'Planned', 1],
      ['Applied', 'True', 'Applied', 1],
      ['Ready', 'True', 'RolledOut', 1],
    ]);
    const effect = await client.request<{ data: Record<string, string> }>({
      method: 'GET',
      path: `/api/v1/namespaces/vibe-${ns}-web/configmaps/intent`,
    });
    expect(effect.data.intent).toBe('a web app');
    await waitFor('four events', async () => (await reasons('web')).length >= 4);
    expect(await reasons('web')).toEqual(['Applied', 'Planned', 'Planning', 'Ready']);
  });

  it('spec update -> the update handler gets the diff, a ttl change does not replan', async () => {
    const before = await get('web');
    await client.request({
      method: 'PATCH',
      path: environmentsPath(ns, 'web'),
      contentType: PATCH.merge,
      body: { spec: { ttl: '2h' } },
    });
    const updated = await waitFor('observedGeneration 2', async () => {
      const env = await get('web');
      return env.status?.observedGeneration === 2 ? env : undefined;
    });
    expect(updated.status?.attempts).toBe(1);
    expect(updated.status?.plan?.hash).toBe(before.status?.plan?.hash);
    expect(Date.parse(updated.status!.expiresAt!) - Date.parse(before.status!.expiresAt!)).toBe(3_600_000);
    const changes = (await eventsFor(client, ns, 'web')).filter((e) => e.reason === 'SpecChanged');
    expect(changes.map((e) => e.message)).toEqual(['Changed: spec.ttl.']);

    await client.request({
      method: 'PATCH',
      path: environmentsPath(ns, 'web'),
      contentType: PATCH.merge,
      body: { spec: { intent: 'a web app and a redis' } },
    });
    const replanned = await waitFor('observedGeneration 3 planned and Ready', async () => {
      const env = await get('web');
      return env.status?.observedGeneration === 3 && env.status.attempts === 2 && env.status.phase === 'Ready'
        ? env
        : undefined;
    });
    expect(replanned.status?.attempts).toBe(2);
    expect(replanned.status?.plan?.hash).not.toBe(before.status?.plan?.hash);
    const messages = (await eventsFor(client, ns, 'web'))
      .filter((e) => e.reason === 'SpecChanged')
      .map((e) => e.message);
    expect(messages.sort()).toEqual(['Changed: spec.intent.', 'Changed: spec.ttl.']);
  });

  it('delete -> the delete handler removes the namespace, then the finalizer is removed', async () => {
    await client.request({ method: 'DELETE', path: environmentsPath(ns, 'web') });
    await waitFor(
      'the VibeEnvironment to be gone',
      async () =>
        get('web').then(
          () => false,
          (err: unknown) => isApiError(err, 404),
        ),
      // Namespace deletion waits for the namespace controller, which a busy shared cluster delays.
      110_000,
    );
    const namespace = await client
      .request<{ status: { phase: string } }>({ method: 'GET', path: `/api/v1/namespaces/vibe-${ns}-web` })
      .catch((err: unknown) => (isApiError(err, 404) ? undefined : Promise.reject(err)));
    expect(namespace).toBeUndefined();
    expect(await operator.metric('controller_runtime_reconcile_errors_total')).toBe(0);
    expect(await operator.metric('vibe_handler_errors_total', { kind: 'unexpected' })).toBe(0);
  });
});
