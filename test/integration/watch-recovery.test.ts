import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PATCH, type KubeClient } from '../../operator/src/reconciler/kube-client.js';
import {
  createEnvironment,
  createNamespace,
  deleteNamespace,
  environmentsPath,
  installCrds,
  testClient,
  waitFor,
  waitForPhase,
} from '../support/kube.js';
import { OperatorProcess } from '../support/operator-process.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * The real kube-apiserver is restarted under a running operator (after an
 * etcd compaction, so the operator's old resourceVersion is gone for good).
 * Changes made the moment it is back must all arrive.
 */
describe('kube-apiserver restart under a running operator', () => {
  let client: KubeClient;
  let ns: string;
  let operator: OperatorProcess;

  beforeAll(async () => {
    client = testClient();
    await installCrds(client);
    ns = await createNamespace(client, 'restart');
    operator = await OperatorProcess.start(['--namespace', ns, '--planner', 'static']);
    await operator.ready();
  });

  afterAll(async () => {
    await operator?.stop();
    await waitFor(
      'the API server',
      async () => (await client.request({ method: 'GET', path: '/readyz' })) !== undefined,
    );
    if (ns) await deleteNamespace(client, ns);
    client?.close();
  });

  it('recovers the watch and misses no change made meanwhile', { timeout: 240_000 }, async () => {
    await createEnvironment(client, ns, 'before', { intent: 'x' });
    await waitForPhase(client, ns, 'before', 'Ready');
    compactEtcd();
    execFileSync('bash', [path.join(repoRoot, 'test/cluster/restart.sh'), 'kube-apiserver'], {
      cwd: repoRoot,
      stdio: 'inherit',
      timeout: 120_000,
    });
    await waitFor(
      'the API server to answer',
      async () => {
        await client.request({ method: 'GET', path: '/readyz' });
        return true;
      },
      60_000,
    );
    await createEnvironment(client, ns, 'after', { intent: 'y' });
    await client.request({
      method: 'PATCH',
      path: environmentsPath(ns, 'before'),
      contentType: PATCH.merge,
      body: { spec: { intent: 'changed right after the restart' } },
    });
    await waitForPhase(client, ns, 'after', 'Ready', 90_000);
    const changed = await waitForPhase(client, ns, 'before', 'Ready', 90_000);
    expect(changed.status?.attempts).toBe(2);
    expect(await operator.metric('vibe_watch_errors_total')).toBeGreaterThanOrEqual(1);
    expect(operator.exitCode).toBeUndefined();
  });
});

/** Compacts etcd to its current revision with the cluster's etcdctl, if the cluster exposes it. */
function compactEtcd(): void {
  const dir = process.env.VIBE_CLUSTER_DIR;
  if (!dir) return;
  const env = execFileSync('bash', ['-c', `source "${dir}/env" && env`], { encoding: 'utf8' });
  const vars = Object.fromEntries(
    env
      .split('\n')
      .filter((l) => l.startsWith('ETCDCTL_'))
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );
  const etcdctl = path.join(dir, 'bin/etcdctl');
  const status = execFileSync(etcdctl, ['endpoint', 'status', '-w', 'json'], {
    env: { ...process.env, ...vars },
    encoding: 'utf8',
  });
  const revision = (JSON.parse(status) as Array<{ Status: { header: { revision: number } } }>)[0]!.Status
    .header.revision;
  execFileSync(etcdctl, ['compact', String(revision)], { env: { ...process.env, ...vars }, stdio: 'ignore' });
}
