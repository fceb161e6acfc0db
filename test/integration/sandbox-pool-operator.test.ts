/**
 * The operator's warm sandbox pool as wired at start-up: `--sandbox-pool-size` runsc containers
 * booted and reported in /metrics, a plan served from the pool, and SIGTERM leaving none behind.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeClient } from '../../operator/src/reconciler/kube-client.js';
import { findRunsc } from '../../operator/src/sandbox/find-runsc.js';
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
import { runscContainerIds } from '../support/runsc-state.js';

const POOL_SIZE = 2;

describe('operator with a warm sandbox pool', () => {
  const runsc = findRunsc();
  const containers = runscContainerIds;
  let client: KubeClient;
  let ns: string;
  let operator: OperatorProcess;
  const before = new Set<string>();

  beforeAll(async () => {
    if (!runsc) throw new Error('runsc is not installed: run `make cluster-build` (or set VIBE_RUNSC).');
    client = testClient();
    await installCrds(client);
    ns = await createNamespace(client, 'sandbox-pool');
    for (const id of containers()) before.add(id);
    operator = await OperatorProcess.start([
      '--namespace',
      ns,
      '--planner',
      'offline',
      '--executor',
      'runsc',
      '--sandbox-pool-size',
      String(POOL_SIZE),
    ]);
    await operator.ready(60_000);
  });

  afterAll(async () => {
    await operator?.stop();
    if (ns) await deleteNamespace(client, ns);
    client?.close();
  });

  it('boots the configured number of runners and plans from the pool', async () => {
    const ready = () => operator.metric('vibe_sandbox_pool_ready', { executor: 'runsc' });
    await waitFor('the pool to be full', async () => (await ready()) === POOL_SIZE, 60_000);
    expect(await operator.metric('vibe_sandbox_pool_size', { executor: 'runsc' })).toBe(POOL_SIZE);
    await client.request({
      method: 'POST',
      path: environmentsPath(ns),
      body: environment('web', { intent: 'nginx:1.27 on port 80', ttl: '1h' }),
    });
    await waitFor(
      'a plan served from the pool',
      async () => (await operator.metric('vibe_sandbox_pool_hits_total', { executor: 'runsc' })) >= 1,
      60_000,
    );
  });

  it('leaves no runsc container behind on SIGTERM', async () => {
    const ours = containers().filter((id) => !before.has(id));
    expect(ours.length).toBeGreaterThanOrEqual(1);
    await operator.stop();
    expect(operator.exitCode).toBe(0);
    const left = new Set(containers());
    expect(ours.filter((id) => left.has(id))).toEqual([]);
  });
});
