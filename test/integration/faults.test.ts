import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PATCH, type KubeClient } from '../../operator/src/reconciler/kube-client.js';
import { FaultProxy } from '../support/fault-proxy.js';
import {
  createEnvironment,
  createNamespace,
  deleteNamespace,
  environmentsPath,
  getEnvironment,
  installCrds,
  testClient,
  waitFor,
  waitForPhase,
} from '../support/kube.js';
import { OperatorProcess } from '../support/operator-process.js';

/** The environment controller's informer: the one the proxy hurts. */
const ENVIRONMENTS = { resource: 'vibeenvironments.vibe.dev' };

const testPlanner = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../support/test-planner.ts');

/**
 * The operator talks to the real API server through a proxy that misbehaves
 * on demand. Whatever goes wrong, the process stays up, says so in its logs
 * and metrics, and every change still arrives.
 */
describe('faults between the operator and the API server', () => {
  let client: KubeClient;
  let ns: string;
  let proxy: FaultProxy;
  let operator: OperatorProcess;

  const logged = (msg: string) => operator.logs.filter((l) => l.msg === msg).length;

  beforeAll(async () => {
    client = testClient();
    await installCrds(client);
    ns = await createNamespace(client, 'faults');
    // The environment controller's watch of its namespace; the schedule controller watches its runs with a
    // label selector, and preview host claims watch every namespace.
    proxy = await FaultProxy.start(
      (url) =>
        url.pathname.endsWith(`/namespaces/${ns}/vibeenvironments`) && !url.searchParams.has('labelSelector'),
    );
    operator = await OperatorProcess.start(
      ['--namespace', ns, '--kubeconfig', proxy.kubeconfig, '--planner-module', testPlanner],
      { VIBE_TEST_PLANNER_NAMESPACE: ns },
    );
    await operator.ready();
    await waitFor('the operator to watch', async () => proxy.watching === 1);
  });

  afterAll(async () => {
    await operator?.stop();
    await proxy?.close();
    if (ns) await deleteNamespace(client, ns);
    client?.close();
  });

  it('a malformed watch event is logged, counted and followed by a relist; nothing is lost', async () => {
    // The environment controller, the schedule controller's run watch and (for an operator watching one
    // namespace) the preview host claims' cluster-wide watch list environments once at start.
    const lists = () => operator.metric('vibe_informer_lists_total', ENVIRONMENTS);
    const listsBefore = await lists();
    expect(listsBefore).toBe(3);
    expect(proxy.injectIntoWatches('{"type":"ADDED","object":{"kind":"VibeEnvironment"')).toBe(1);
    await waitFor(
      'the malformed-event metric',
      async () =>
        (await operator.metric('vibe_watch_errors_total', { ...ENVIRONMENTS, reason: 'malformed' })) === 1,
    );
    expect(logged('malformed watch event; relisting so nothing is missed')).toBe(1);
    await createEnvironment(client, ns, 'after-malformed', { intent: 'x' });
    await waitForPhase(client, ns, 'after-malformed', 'Ready');
    expect((await lists()) - listsBefore).toBe(1);
    expect(operator.exitCode).toBeUndefined();
  });

  it('a handler that throws a non-Error is retried, logged and counted', async () => {
    await createEnvironment(client, ns, 'non-error', { intent: 'throw-non-error please' });
    await waitForPhase(client, ns, 'non-error', 'Ready');
    expect(
      await operator.metric('vibe_handler_errors_total', { handler: 'lifecycle', kind: 'unexpected' }),
    ).toBe(1);
    const failure = operator.logs.find((l) => l.msg === 'handler failed' && l.handler === 'lifecycle');
    expect(JSON.stringify(failure)).toContain('a non-Error value was thrown: {\\"not\\":\\"an Error\\"');
    expect(operator.exitCode).toBeUndefined();
  });

  it('API 5xx answers are retried with backoff and counted', async () => {
    const errorsBefore = await operator.metric('controller_runtime_reconcile_errors_total');
    proxy.failRequests = 3;
    await createEnvironment(client, ns, 'through-500s', { intent: 'x' });
    await waitForPhase(client, ns, 'through-500s', 'Ready');
    expect(proxy.seen.injected500).toBe(3);
    expect(await operator.metric('rest_client_requests_total', { code: '500' })).toBe(3);
    expect(
      (await operator.metric('controller_runtime_reconcile_errors_total')) - errorsBefore,
    ).toBeGreaterThanOrEqual(1);
    expect(operator.exitCode).toBeUndefined();
  });

  it('a dropped watch connection is resumed from the last resourceVersion', async () => {
    const watchesBefore = proxy.seen.watches;
    expect(proxy.dropWatches()).toBe(1);
    await waitFor('a new watch', async () => proxy.watching === 1 && proxy.seen.watches > watchesBefore);
    expect(
      await operator.metric('vibe_watch_errors_total', { ...ENVIRONMENTS, reason: 'connection' }),
    ).toBeGreaterThanOrEqual(1);
    await createEnvironment(client, ns, 'after-drop', { intent: 'x' });
    await waitForPhase(client, ns, 'after-drop', 'Ready');
    expect(operator.exitCode).toBeUndefined();
  });

  it('410 Gone after an outage -> relist; creates, updates and deletes made meanwhile all arrive', async () => {
    const listsBefore = await operator.metric('vibe_informer_lists_total', ENVIRONMENTS);
    proxy.outage = true;
    proxy.dropWatches();
    await createEnvironment(client, ns, 'during-outage', { intent: 'x' });
    await client.request({
      method: 'PATCH',
      path: environmentsPath(ns, 'after-drop'),
      contentType: PATCH.merge,
      body: { spec: { intent: 'changed during the outage' } },
    });
    await client.request({
      method: 'PATCH',
      path: environmentsPath(ns, 'through-500s'),
      contentType: PATCH.merge,
      body: { metadata: { finalizers: null } },
    });
    await client.request({ method: 'DELETE', path: environmentsPath(ns, 'through-500s') });
    expect(await getEnvironment(client, ns, 'through-500s')).toBeUndefined();
    await waitFor(
      'the operator to retry its watch during the outage',
      async () => proxy.seen.refusedWatches >= 1,
    );
    proxy.goneWatches = 1;
    proxy.outage = false;

    await waitForPhase(client, ns, 'during-outage', 'Ready');
    const changed = await waitForPhase(client, ns, 'after-drop', 'Ready');
    expect(changed.status?.attempts).toBe(2);
    expect(proxy.seen.injectedGone).toBe(1);
    expect((await operator.metric('vibe_informer_lists_total', ENVIRONMENTS)) - listsBefore).toBe(1);
    expect(await operator.metric('vibe_watch_errors_total', { ...ENVIRONMENTS, reason: 'gone' })).toBe(1);
    expect(await operator.metric('vibe_watch_errors_total', { reason: 'http' })).toBeGreaterThanOrEqual(1);
    expect(operator.exitCode).toBeUndefined();
  });
});
