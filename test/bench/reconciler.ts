/**
 * Benchmark (not a test): 1,000 VibeEnvironments against the control-plane
 * tier with the no-op planner. Prints time to converge, queue wait, API
 * requests per object while converging and at steady state, and the
 * operator's RSS. Nothing is asserted; see docs/benchmarks.md for the figures.
 *
 *   KUBECONFIG=... npx tsx test/bench/reconciler.ts [count] [concurrency]
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { PATCH, type KubeClient } from '../../operator/src/reconciler/kube-client.js';
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

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const COUNT = Number(process.argv[2] ?? 1000);
const WORKERS = process.argv[3] ?? '16';
const STEADY_WINDOW_MS = 30_000;
/** After the burst: this many spec updates at CHURN_PER_SECOND, the steady churn controller SLOs are stated for. */
const CHURN = Math.min(COUNT, 200);
const CHURN_PER_SECOND = 20;

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

type Buckets = Array<readonly [number, number]>;

/** vibe_rest_client_requests_by_resource_total as "verb resource" -> count. */
async function requestsByResource(op: OperatorProcess): Promise<Map<string, number>> {
  const { text } = await op.get('/metrics');
  const counts = new Map<string, number>();
  for (const m of text.matchAll(
    /^vibe_rest_client_requests_by_resource_total\{verb="([^"]*)",resource="([^"]*)"\} (\d+)/gm,
  ))
    counts.set(`${m[1]} ${m[2]}`, Number(m[3]));
  return counts;
}

/** Requests per object by verb and resource between two readings, most first. */
function breakdown(
  before: Map<string, number>,
  after: Map<string, number>,
  objects: number,
): Array<[string, number]> {
  return [...after]
    .map(([k, n]) => [k, (n - (before.get(k) ?? 0)) / objects] as [string, number])
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1]);
}

/** A Prometheus histogram's cumulative buckets as [upper bound, count]. */
async function histogram(op: OperatorProcess, name: string): Promise<Buckets> {
  const { text } = await op.get('/metrics');
  return [...text.matchAll(new RegExp(`^${name}_bucket\\{[^}]*le="([^"]+)"[^}]*\\} (\\d+)`, 'gm'))].map(
    (m) => [m[1] === '+Inf' ? Infinity : Number(m[1]), Number(m[2])] as const,
  );
}

/** The upper bound of the bucket holding quantile q, over the observations made after `since`. */
function quantile(now: Buckets, q: number, since: Buckets = []): string {
  const counts = now.map(([le, n], i) => [le, n - (since[i]?.[1] ?? 0)] as const);
  const total = counts[counts.length - 1]?.[1] ?? 0;
  const bound = counts.find(([, n]) => n >= q * total)?.[0];
  return bound === undefined || total === 0 ? 'n/a' : bound === Infinity ? '> 60 s' : `<= ${bound * 1000} ms`;
}

/**
 * Bundles `vibe operator` the way an image would ship it, so RSS is the
 * operator's and not tsx's (which adds ~100 MiB of loader state). Built fresh
 * on every run, never stale.
 */
async function bundleOperator(): Promise<string> {
  const outfile = path.join(repoRoot, 'dist/bench/operator.mjs');
  await build({
    stdin: {
      contents:
        "import { command } from './operator/src/operator-command.ts';\n" +
        'process.exitCode = await command.run(process.argv.slice(2));\n',
      resolveDir: repoRoot,
      loader: 'ts',
    },
    bundle: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    outfile,
    logLevel: 'warning',
  });
  return outfile;
}

/** The floor: server-side applies of ConfigMaps per second from WORKERS parallel clients, no operator involved. */
async function apiFloor(client: KubeClient, ns: string): Promise<number> {
  const perWorker = 25;
  const started = Date.now();
  await Promise.all(
    Array.from({ length: Number(WORKERS) }, async (_, w) => {
      for (let i = 0; i < perWorker; i++) {
        await client.request({
          method: 'PATCH',
          path: `/api/v1/namespaces/${ns}/configmaps/floor-${w}`,
          contentType: PATCH.apply,
          query: { fieldManager: 'bench', force: true },
          body: {
            apiVersion: 'v1',
            kind: 'ConfigMap',
            metadata: { name: `floor-${w}` },
            data: { i: String(i) },
          },
        });
      }
    }),
  );
  return (Number(WORKERS) * perWorker) / ((Date.now() - started) / 1000);
}

async function main(): Promise<void> {
  const client = testClient();
  await installCrds(client);
  const ns = await createNamespace(client, 'bench');
  let op: OperatorProcess | undefined;
  try {
    const floor = await apiFloor(client, ns);
    const bundle = await bundleOperator();
    op = await OperatorProcess.start(
      ['--namespace', ns, '--planner', 'noop', '--concurrency', WORKERS],
      {},
      {
        command: ['--max-semi-space-size=2', bundle],
      },
    );
    await op.ready();
    const requestsAtStart = await totalRequests(op);
    const byResourceAtStart = await requestsByResource(op);
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
    const convergingByResource = breakdown(byResourceAtStart, await requestsByResource(op), COUNT);

    const burstQueue = await histogram(op, 'workqueue_queue_duration_seconds');
    const burstReconcile = await histogram(op, 'controller_runtime_reconcile_time_seconds');

    const writes = async () => {
      let n = 0;
      for (const method of ['POST', 'PUT', 'PATCH', 'DELETE'])
        n += await op!.metric('rest_client_requests_total', { method });
      return n;
    };
    const steadyStart = await totalRequests(op);
    const steadyWritesStart = await writes();
    await new Promise((r) => setTimeout(r, STEADY_WINDOW_MS));
    const steadyRequests = (await totalRequests(op)) - steadyStart;
    const steadyWrites = (await writes()) - steadyWritesStart;
    const rssMiB = (await op.metric('process_resident_memory_bytes')) / 2 ** 20;

    for (let i = 0; i < CHURN; i++) {
      const started = Date.now();
      await client.request({
        method: 'PATCH',
        path: environmentsPath(ns, `env-${String(i).padStart(4, '0')}`),
        contentType: PATCH.merge,
        body: { spec: { ttl: '5h' } },
      });
      await new Promise((r) => setTimeout(r, Math.max(0, 1000 / CHURN_PER_SECOND - (Date.now() - started))));
    }
    await waitFor(
      'the churn to be handled',
      async () => (await readyCount(client, ns)) === COUNT,
      10 * 60_000,
      1000,
    );
    const churnQueue = await histogram(op, 'workqueue_queue_duration_seconds');

    const rows: Array<[string, string]> = [
      ['objects', String(COUNT)],
      ['floor: API server writes/s (SSA, same parallelism)', floor.toFixed(0)],
      ['workers', WORKERS],
      ['time to create (client)', `${(createdMs / 1000).toFixed(1)} s`],
      ['time to converge (create -> all Ready)', `${(convergeMs / 1000).toFixed(1)} s`],
      ['queue wait p50 (burst)', quantile(burstQueue, 0.5)],
      ['queue wait p99 (burst)', quantile(burstQueue, 0.99)],
      ['reconcile p99 (burst)', quantile(burstReconcile, 0.99)],
      [
        `queue wait p50 (churn: ${CHURN} updates at ${CHURN_PER_SECOND}/s)`,
        quantile(churnQueue, 0.5, burstQueue),
      ],
      [
        `queue wait p99 (churn: ${CHURN} updates at ${CHURN_PER_SECOND}/s)`,
        quantile(churnQueue, 0.99, burstQueue),
      ],
      ['API requests per object (converging)', (requestsConverging / COUNT).toFixed(2)],
      ['floor: converge time at that rate', `${(requestsConverging / floor).toFixed(1)} s`],
      [
        `API requests per object (steady, ${STEADY_WINDOW_MS / 1000} s)`,
        `${(steadyRequests / COUNT).toFixed(3)} (${steadyRequests} requests, ${steadyWrites} writes)`,
      ],
      [
        'reconciles / errors / retries',
        `${await op.metric('controller_runtime_reconcile_total')} / ${await op.metric('controller_runtime_reconcile_errors_total')} / ${await op.metric('workqueue_retries_total')}`,
      ],
      ['operator RSS', `${rssMiB.toFixed(0)} MiB`],
    ];
    for (const [what, n] of convergingByResource) rows.push([`  converging: ${what}`, n.toFixed(2)]);
    const width = Math.max(...rows.map(([k]) => k.length));
    process.stdout.write(
      `\nReconciler benchmark\n${rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`).join('\n')}\n\n`,
    );
  } finally {
    process.stdout.write('cleaning up: deleting the environments through the operator...\n');
    const teardownStarted = Date.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: 20 }, async () => {
        while (next < COUNT) {
          const name = `env-${String(next++).padStart(4, '0')}`;
          await client.request({ method: 'DELETE', path: environmentsPath(ns, name) }).catch(() => undefined);
        }
      }),
    );
    await waitFor(
      'the environments to be deleted',
      async () =>
        (await client.request<EnvList>({ method: 'GET', path: environmentsPath(ns), query: { limit: 1 } }))
          .items.length === 0,
      20 * 60_000,
      2000,
    ).then(
      () =>
        process.stdout.write(
          `  teardown of ${COUNT} environments: ${((Date.now() - teardownStarted) / 1000).toFixed(1)} s\n`,
        ),
      (err: unknown) => process.stderr.write(`cleanup: ${(err as Error).message}\n`),
    );
    await op?.stop();
    await deleteNamespace(client, ns);
    client.close();
  }
}

await main();
