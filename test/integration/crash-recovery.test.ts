import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VibeEnvironment } from '../../operator/src/api/vibe-environment.js';
import type { KubeClient } from '../../operator/src/reconciler/kube-client.js';
import {
  createNamespace,
  deleteNamespace,
  environment,
  environmentsPath,
  installCrds,
  testClient,
  waitFor,
} from '../support/kube.js';
import { OperatorProcess } from '../support/operator-process.js';

const testPlanner = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../support/test-planner.ts');

/**
 * SIGKILL lands while the plan handler is running (the test planner sleeps
 * between recording its start and its completion); after a restart the
 * handler runs again and completes exactly once, and a further restart repeats
 * nothing.
 */
describe('SIGKILL in the middle of a handler', () => {
  let client: KubeClient;
  let ns: string;
  const running: OperatorProcess[] = [];

  const start = async () => {
    const op = await OperatorProcess.start(['--namespace', ns, '--planner-module', testPlanner], {
      VIBE_TEST_PLANNER_NAMESPACE: ns,
      VIBE_TEST_PLANNER_DELAY_MS: '3000',
    });
    running.push(op);
    return op;
  };
  const calls = async (what: string) =>
    (
      await client.request<{ items: unknown[] }>({
        method: 'GET',
        path: `/api/v1/namespaces/${ns}/configmaps`,
        query: { labelSelector: `vibe.dev/planner-call=${what}` },
      })
    ).items.length;

  beforeAll(async () => {
    client = testClient();
    await installCrds(client);
    ns = await createNamespace(client, 'crash');
  });

  afterAll(async () => {
    for (const op of running) await op.stop();
    if (ns) await deleteNamespace(client, ns);
    client?.close();
  });

  it('completes the handler once and never repeats it', async () => {
    const first = await start();
    await first.ready();
    await client.request({
      method: 'POST',
      path: environmentsPath(ns),
      body: environment('slow', { intent: 'slow' }),
    });
    await waitFor('the planner to start', async () => (await calls('started')) === 1);
    await first.kill('SIGKILL');
    expect(first.exitCode).toBeNull();
    expect(await calls('completed')).toBe(0);
    const mid = await client.request<VibeEnvironment>({ method: 'GET', path: environmentsPath(ns, 'slow') });
    expect(mid.status?.phase).toBe('Planning');

    const second = await start();
    const ready = await waitFor(
      'phase Ready after the restart',
      async () => {
        const env = await client.request<VibeEnvironment>({
          method: 'GET',
          path: environmentsPath(ns, 'slow'),
        });
        return env.status?.phase === 'Ready' ? env : undefined;
      },
      60_000,
    );
    expect(await calls('started')).toBe(2);
    expect(await calls('completed')).toBe(1);
    expect(ready.status?.attempts).toBe(1);
    const effects = await client.request<{ items: unknown[] }>({
      method: 'GET',
      path: `/api/v1/namespaces/vibe-${ns}-slow/configmaps`,
      query: { fieldSelector: 'metadata.name=effect' },
    });
    expect(effects.items).toHaveLength(1);

    await second.stop();
    expect(second.exitCode).toBe(0);
    const third = await start();
    await third.ready();
    await new Promise((r) => setTimeout(r, 4000));
    expect(await calls('started')).toBe(2);
    expect(await calls('completed')).toBe(1);
    expect(await third.writes()).toBe(0);
    await third.stop();
  });

  it('SIGTERM in the middle of a handler drains it: the handler finishes before the process exits', async () => {
    const op = await start();
    await op.ready();
    await client.request({
      method: 'POST',
      path: environmentsPath(ns),
      body: environment('drained', { intent: 'drain' }),
    });
    const startedBefore = await calls('started');
    await waitFor('the planner to start', async () => (await calls('started')) === startedBefore + 1);
    const completedBefore = await calls('completed');
    await op.kill('SIGTERM');
    expect(op.exitCode).toBe(0);
    expect(await calls('completed')).toBe(completedBefore + 1);
    const env = await client.request<VibeEnvironment>({
      method: 'GET',
      path: environmentsPath(ns, 'drained'),
    });
    expect(env.status?.phase).toBe('Ready');
    expect(op.logs.some((l) => l.msg === 'shutting down: draining handlers in flight')).toBe(true);
  });
});
