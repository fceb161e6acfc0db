/**
 * Benchmark (not a test): 1,000 VibeEnvironments against the control-plane
 * tier with the no-op planner. Prints time to converge, queue wait, API
 * requests per object while converging and at steady state, and the
 * operator's RSS. Nothing is asserted; see docs/benchmarks.md for the figures.
 *
 *   KUBECONFIG=... npx tsx test/bench/reconciler.ts [count] [concurrency]
 */
import type { KubeClient } from '../../operator/src/reconciler/kube-client.js';
import {
  createEnvironment,
  createNamespace,
  deleteNamespace,
  environmentsPath,
  installCrds,
  testClient,
  waitFor,
} from '../support/kube.js';
import { OperatorProcess } from '../support/operator-process.js';

const COUNT = Number(process.argv[2] ?? 1000);
const WORKERS = process.argv[3] ?? '16';
const STEADY_WINDOW_MS = 30_000;

interface EnvList {
  items: Array<{
    metadata: { generation?: number };
    status?: { phase?: string; observedGeneration?: number };
  }>;
  metadata: { continue?: string };
}

async function readyCount(client: KubeClient, ns: string): Promise<number> {
  let ready = 0;
  let token: string | undefined;
  do {
    const page = await client.request<EnvList>({
      method: 'GET',
      path: environmentsPath(ns),
      query: { limit: 500, continue: token },
    });
    ready += page.items.filter(
      (e) => e.status?.phase === 'Ready' && e.status.observedGeneration === e.metadata.generation,
    ).length;
    token = page.metadata.continue || undefined;
  } while (token);
  return ready;
}

async function totalRequests(op: OperatorProcess): Promise<number> {
  return op.metric('rest_client_requests_total');
}

/** Quantile from a Prometheus histogram's cumulative buckets: the upper bound of the bucket holding it. */
async function histogramQuantile(op: OperatorProcess, name: string, q: number): Promise<string> {
  const { text } = await op.get('/metrics');
  const buckets = [
    ...text.matchAll(new RegExp(`^${name}_bucket\\{[^}]*le="([^"]+)"[^}]*\\} (\\d+)`, 'gm')),
  ].map((m) => [m[1] === '+Inf' ? Infinity : Number(m[1]), Number(m[2])] as const);
  const total = buckets[buckets.length - 1]?.[1] ?? 0;
  const bound = buckets.find(([, count]) => count >= q * total)?.[0];
  return bound === undefined ? 'n/a' : bound === Infinity ? '> 60 s' : `<= ${bound * 1000} ms`;
}

async function main(): Promise<void> {
  const client = testClient();
  await installCrds(client);
  const ns = await createNamespace(client, 'bench');
  const op = await OperatorProcess.start([
    '--namespace',
    ns,
    '--planner',
    'noop',
    '--concurrency',
    WORKERS,
    '--log-level',
    'warn',
  ]);
  try {
    await op.ready();
    const requestsAtStart = await totalRequests(op);
    const started = Date.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: 20 }, async () => {
        while (next < COUNT) {
          const i = next++;
          await createEnvironment(client, ns, `env-${String(i).padStart(4, '0')}`, {
            intent: `bench ${i}`,
            ttl: '4h',
          });
        }
      }),
    );
    const createdMs = Date.now() - started;
    await waitFor(
      'every environment to be Ready',
      async () => (await readyCount(client, ns)) === COUNT,
      30 * 60_000,
      1000,
    );
    const convergeMs = Date.now() - started;
    const requestsConverging = (await totalRequests(op)) - requestsAtStart;

    const steadyStart = await totalRequests(op);
    await new Promise((r) => setTimeout(r, STEADY_WINDOW_MS));
    const steadyRequests = (await totalRequests(op)) - steadyStart;
    const rssMiB = (await op.metric('process_resident_memory_bytes')) / 2 ** 20;

    const rows: Array<[string, string]> = [
      ['objects', String(COUNT)],
      ['workers', WORKERS],
      ['time to create (client)', `${(createdMs / 1000).toFixed(1)} s`],
      ['time to converge (create -> all Ready)', `${(convergeMs / 1000).toFixed(1)} s`],
      ['queue wait p50', await histogramQuantile(op, 'workqueue_queue_duration_seconds', 0.5)],
      ['queue wait p99', await histogramQuantile(op, 'workqueue_queue_duration_seconds', 0.99)],
      ['reconcile p99', await histogramQuantile(op, 'controller_runtime_reconcile_time_seconds', 0.99)],
      ['API requests per object (converging)', (requestsConverging / COUNT).toFixed(2)],
      [`API requests per object (steady, ${STEADY_WINDOW_MS / 1000} s)`, (steadyRequests / COUNT).toFixed(3)],
      ['operator RSS', `${rssMiB.toFixed(0)} MiB`],
    ];
    const width = Math.max(...rows.map(([k]) => k.length));
    process.stdout.write(
      `\nReconciler benchmark\n${rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`).join('\n')}\n\n`,
    );
  } finally {
    process.stdout.write('cleaning up (deleting environments and their namespaces)...\n');
    await client
      .request({ method: 'DELETE', path: environmentsPath(ns) })
      .catch((err: unknown) => process.stderr.write(`cleanup: ${(err as Error).message}\n`));
    await waitFor(
      'the environments to be deleted',
      async () =>
        (await readyCount(client, ns)) === 0 &&
        (await client.request<EnvList>({ method: 'GET', path: environmentsPath(ns), query: { limit: 1 } }))
          .items.length === 0,
      10 * 60_000,
      2000,
    ).catch((err: unknown) => process.stderr.write(`cleanup: ${(err as Error).message}\n`));
    await op.stop();
    await deleteNamespace(client, ns);
    client.close();
  }
}

await main();
