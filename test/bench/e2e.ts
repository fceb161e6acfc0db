/**
 * Benchmark (not a test) on the full local cluster: the web-app example from
 * `kubectl apply` to Ready under a running operator (offline planner, runsc),
 * side by side with the floor — the same manifests applied with kubectl into a
 * plain namespace plus `kubectl rollout status` — and the TTL teardown lag
 * (expiresAt -> teardown started, expiresAt -> namespace gone). Nothing is
 * asserted; see docs/benchmarks.md for recorded figures.
 *
 *   KUBECONFIG=... npx tsx test/bench/e2e.ts [runs]
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import type { VibeEnvironment } from '../../operator/src/api/vibe-environment.js';
import type { StoredPlan } from '../../operator/src/environment/attempt-store.js';
import { cacheDir } from '../../operator/src/sandbox/cache-dir.js';
import {
  createNamespace,
  deleteNamespace,
  environmentsPath,
  eventsFor,
  getEnvironment,
  installCrds,
  testClient,
  waitFor,
} from '../support/kube.js';
import { OperatorProcess } from '../support/operator-process.js';

const RUNS = Number(process.argv[2] ?? 3);
const client = testClient();
/** The kubectl the cluster build put in the cache, else the one on PATH. */
const cached = path.join(cacheDir(), 'bin', 'kubectl');
const kubectlBin = existsSync(cached) ? cached : 'kubectl';
const kubectl = (args: string[], input?: string) =>
  execFileSync(kubectlBin, args, { input, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });

function stats(ms: number[]): string {
  const sorted = [...ms].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return `p50 ${(at(0.5) / 1000).toFixed(2)} s  max ${(at(1) / 1000).toFixed(2)} s  (n=${sorted.length})`;
}

await installCrds(client);
const ns = await createNamespace(client, 'bench-e2e');
const operator = await OperatorProcess.start([
  '--namespace',
  ns,
  '--planner',
  'offline',
  '--executor',
  'runsc',
]);
await operator.ready(60_000);
const example = parse(readFileSync('examples/web-app.yaml', 'utf8')) as VibeEnvironment;
const toReady: number[] = [];
const floor: number[] = [];
const teardownStart: number[] = [];
const namespaceGone: number[] = [];
try {
  for (let run = 0; run < RUNS; run++) {
    const name = `web-${run}`;
    const started = Date.now();
    await client.request({
      method: 'POST',
      path: environmentsPath(ns),
      body: { ...example, metadata: { name }, spec: { ...example.spec, ttl: '1m' } },
    });
    await waitFor(
      `${name} Ready`,
      async () => (await getEnvironment<VibeEnvironment>(client, ns, name))?.status?.phase === 'Ready',
      300_000,
      100,
    );
    toReady.push(Date.now() - started);

    const planMap = await client.request<{ data: { plan: string } }>({
      method: 'GET',
      path: `/api/v1/namespaces/${ns}/configmaps/${name}.plan`,
    });
    const manifests = (JSON.parse(planMap.data.plan) as StoredPlan).manifests;
    const plain = await createNamespace(client, 'bench-floor');
    const floorStarted = Date.now();
    const unplaced = manifests.map((m) => ({ ...m, metadata: { ...m.metadata, namespace: plain } }));
    kubectl(['apply', '-n', plain, '-f', '-'], unplaced.map((m) => `---\n${stringify(m)}`).join(''));
    for (const m of manifests.filter((x) => x.kind === 'Deployment')) {
      kubectl(['rollout', 'status', '-n', plain, `deployment/${m.metadata.name}`, '--timeout=300s']);
    }
    floor.push(Date.now() - floorStarted);
    await deleteNamespace(client, plain);

    const env = await getEnvironment<VibeEnvironment>(client, ns, name);
    const expiresAt = Date.parse(env!.status!.expiresAt!);
    const target = env!.status!.namespace!;
    await waitFor(
      `${target} to be gone`,
      async () =>
        client.request({ method: 'GET', path: `/api/v1/namespaces/${target}` }).then(
          () => false,
          () => true,
        ),
      600_000,
      100,
    );
    namespaceGone.push(Date.now() - expiresAt);
    const expired = (await eventsFor(client, ns, name)).find((e) => e.reason === 'Expired') as
      { eventTime?: string; firstTimestamp?: string } | undefined;
    const at = Date.parse(expired?.firstTimestamp ?? expired?.eventTime ?? '');
    if (Number.isFinite(at)) teardownStart.push(at - expiresAt);
  }
} finally {
  await operator.stop();
  await deleteNamespace(client, ns);
  client.close();
}

process.stdout.write(
  [
    `bench-e2e: examples/web-app.yaml, ${RUNS} runs, offline planner, runsc executor`,
    `  apply -> Ready (operator)               ${stats(toReady)}`,
    `  kubectl apply + rollout status (floor)  ${stats(floor)}`,
    `  expiresAt -> teardown started           ${stats(teardownStart)}  (Event timestamps have 1 s resolution)`,
    `  expiresAt -> namespace gone             ${stats(namespaceGone)}`,
    '',
  ].join('\n'),
);
