/**
 * Benchmark (not a test): 1,000 VibeEnvironments against the control-plane
 * tier with the no-op planner. Prints time to converge, queue wait, API
 * requests per object while converging (by verb and resource) and at steady
 * state, the operator's RSS and heap, and how long one environment created in
 * another namespace in the middle of the burst (and one created right after an
 * operator restart) waits and takes to be Ready. Nothing is asserted here; see
 * docs/benchmarks.md for the figures and check-budgets.ts for the CI guard,
 * which reads the result BENCH_RESULT names.
 *
 *   KUBECONFIG=... npx tsx test/bench/reconciler.ts [count] [concurrency]
 *   BENCH_RESULT=file.json   also write the figures as JSON
 *   BENCH_STEADY_MS=30000    the quiet window that counts requests at rest
 *   BENCH_CHURN=200          spec updates after the quiet window (0: none)
 *   BENCH_RESTART=1          restart the operator and time a new environment behind the relist (0: skip)
 *   BENCH_HEAP_SNAPSHOT=1    after converging, take a heap snapshot of the operator and summarize it
 *   BENCH_TEARDOWN=1         delete through the operator and time it (0: stop the operator, drop the
 *                            finalizers and leave the namespaces to the namespace controller)
 */
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  bundleOperator as bundleImage,
  OPERATOR_NODE_FLAGS,
} from '../../operator/src/image/operator-rootfs.js';
import { PATCH, type KubeClient } from '../../operator/src/reconciler/kube-client.js';
import {
  createNamespace,
  environment,
  deleteNamespace,
  environmentsPath,
  installCrds,
  testClient,
  waitFor,
} from '../support/kube.js';
import { OperatorProcess } from '../support/operator-process.js';
import { heapSummary } from './heap-summary.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const COUNT = Number(process.argv[2] ?? 1000);
const WORKERS = process.argv[3] ?? '16';
const STEADY_WINDOW_MS = Number(process.env.BENCH_STEADY_MS ?? 30_000);
/** After the burst: this many spec updates at CHURN_PER_SECOND, the steady churn controller SLOs are stated for. */
const CHURN = Math.min(COUNT, Number(process.env.BENCH_CHURN ?? 200));
const CHURN_PER_SECOND = 20;
const RESTART = process.env.BENCH_RESTART !== '0';
const RESULT = process.env.BENCH_RESULT;
const HEAP_SNAPSHOT = process.env.BENCH_HEAP_SNAPSHOT === '1';
const TEARDOWN = process.env.BENCH_TEARDOWN !== '0';
const FINALIZER = 'vibe.dev/environment';
const RUN_LABEL = 'bench.vibe.dev/run';

interface Env {
  metadata: { generation?: number; finalizers?: string[] };
  status?: { phase?: string; observedGeneration?: number };
}

interface EnvList {
  items: Env[];
  metadata: { continue?: string };
}

const isReady = (e: Env) =>
  e.status?.phase === 'Ready' && e.status.observedGeneration === e.metadata.generation;

/** One user's environment, timed from the outside. */
interface Followed {
  /** Created -> the operator's finalizer is on it: its queue wait plus one watch event and one request. */
  queuedMs: number;
  /** Created -> Ready with its generation observed. */
  readyMs: number;
  /** The longest of its waits in the work queue until it was Ready (the operator's debug log, per reconcile). */
  maxQueueWaitMs?: number;
}

/** The operator's own account of how long each reconcile of `key` waited in the queue. */
function queueWaits(op: OperatorProcess, key: string): number[] {
  return op.logs
    .filter((l) => l.msg === 'reconciled' && l.key === key && typeof l.queuedMs === 'number')
    .map((l) => l.queuedMs as number);
}

function withQueueWait(op: OperatorProcess, key: string, followed: Followed): Followed {
  const waits = queueWaits(op, key);
  return waits.length ? { ...followed, maxQueueWaitMs: Math.max(...waits) } : followed;
}

/** Polls one environment every 50 ms from its creation until it is Ready. */
async function follow(client: KubeClient, ns: string, name: string, createdAt: number): Promise<Followed> {
  let queuedMs: number | undefined;
  for (;;) {
    const env = await client.request<Env>({ method: 'GET', path: environmentsPath(ns, name) });
    const elapsed = Date.now() - createdAt;
    if (queuedMs === undefined && env.metadata.finalizers?.includes(FINALIZER)) queuedMs = elapsed;
    if (isReady(env)) return { queuedMs: queuedMs ?? elapsed, readyMs: elapsed };
    if (elapsed > 10 * 60_000) throw new Error(`${ns}/${name} was not Ready after 10 minutes`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function create(client: KubeClient, ns: string, name: string, run: string, i: number): Promise<void> {
  const body = environment(name, { intent: `bench ${i}`, ttl: '4h' });
  await client.request({
    method: 'POST',
    path: environmentsPath(ns),
    body: { ...body, metadata: { ...body.metadata, labels: { [RUN_LABEL]: run } } },
  });
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
    ready += page.items.filter(isReady).length;
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
 * Bundles `vibe` exactly as the operator image ships it (operator/src/image/operator-rootfs.ts), so
 * RSS is the product's and not tsx's (which adds ~100 MiB of loader state). Built fresh on every run,
 * never stale. Returns the entry's path.
 */
async function bundleOperator(): Promise<string> {
  const outdir = path.join(repoRoot, 'dist/bench/operator');
  rmSync(outdir, { recursive: true, force: true });
  await bundleImage(outdir);
  return path.join(outdir, 'vibe.mjs');
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
  // The single user whose environment arrives in the middle of the burst, in a namespace of its own.
  const userNs = await createNamespace(client, 'bench-user');
  const selector = `${RUN_LABEL}=${ns}`;
  const userEnvs: string[] = [];
  let op: OperatorProcess | undefined;
  try {
    const floor = await apiFloor(client, ns);
    const bundle = await bundleOperator();
    const snapshotDir = path.join(repoRoot, 'dist/bench');
    const startOperator = () =>
      OperatorProcess.start(
        // Debug logs carry each reconcile's queue wait (one line per reconcile).
        ['--label-selector', selector, '--planner', 'noop', '--concurrency', WORKERS, '--log-level', 'debug'],
        {},
        {
          command: [
            ...OPERATOR_NODE_FLAGS,
            ...(HEAP_SNAPSHOT ? ['--heapsnapshot-signal=SIGUSR2', `--diagnostic-dir=${snapshotDir}`] : []),
            bundle,
            'operator',
          ],
        },
      );
    op = await startOperator();
    await op.ready();
    const rssIdle = await op.metric('process_resident_memory_bytes');
    const heapIdle = await op.metric('nodejs_heap_size_used_bytes');
    const requestsAtStart = await totalRequests(op);
    const byResourceAtStart = await requestsByResource(op);
    const started = Date.now();
    let next = 0;
    let midBurst: Promise<Followed> | undefined;
    await Promise.all(
      Array.from({ length: 20 }, async () => {
        while (next < COUNT) {
          const i = next++;
          if (i === Math.floor(COUNT / 2)) {
            userEnvs.push('mine');
            const createdAt = Date.now();
            await create(client, userNs, 'mine', ns, -1);
            midBurst = follow(client, userNs, 'mine', createdAt);
          }
          await create(client, ns, `env-${String(i).padStart(4, '0')}`, ns, i);
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
    const user = withQueueWait(op, `${userNs}/mine`, await midBurst!);
    // The user's environment was converged too; per environment counts both.
    const converged = COUNT + 1;
    const requestsConverging = (await totalRequests(op)) - requestsAtStart;
    const convergingByResource = breakdown(byResourceAtStart, await requestsByResource(op), converged);

    const burstQueue = await histogram(op, 'workqueue_queue_duration_seconds');
    const burstReconcile = await histogram(op, 'controller_runtime_reconcile_time_seconds');

    const steadyStart = await totalRequests(op);
    const steadyWritesStart = await op.writes();
    await new Promise((r) => setTimeout(r, STEADY_WINDOW_MS));
    const steadyRequests = (await totalRequests(op)) - steadyStart;
    const steadyWrites = (await op.writes()) - steadyWritesStart;
    const rss = await op.metric('process_resident_memory_bytes');
    const heapUsed = await op.metric('nodejs_heap_size_used_bytes');
    const heapSpaces = await heapSpacesOf(op);
    const heapTable = HEAP_SNAPSHOT ? await snapshotSummary(op, snapshotDir) : undefined;
    const reconciles = `${await op.metric('controller_runtime_reconcile_total')} / ${await op.metric('controller_runtime_reconcile_errors_total')} / ${await op.metric('workqueue_retries_total')}`;

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

    let afterRestart: Followed | undefined;
    if (RESTART) {
      await op.stop();
      op = await startOperator();
      await op.ready();
      userEnvs.push('after-restart');
      const createdAt = Date.now();
      await create(client, userNs, 'after-restart', ns, -2);
      afterRestart = withQueueWait(
        op,
        `${userNs}/after-restart`,
        await follow(client, userNs, 'after-restart', createdAt),
      );
    }

    const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
    const rows: Array<[string, string]> = [
      ['objects', `${COUNT} (+1 in another namespace mid-burst)`],
      ['floor: API server writes/s (SSA, same parallelism)', floor.toFixed(0)],
      ['workers', WORKERS],
      ['time to create (client)', `${(createdMs / 1000).toFixed(1)} s`],
      ['time to converge (create -> all Ready)', `${(convergeMs / 1000).toFixed(1)} s`],
      ['queue wait p50 (burst)', quantile(burstQueue, 0.5)],
      ['queue wait p99 (burst)', quantile(burstQueue, 0.99)],
      ['reconcile p99 (burst)', quantile(burstReconcile, 0.99)],
      ['mid-burst user environment: longest queue wait (operator log)', `${user.maxQueueWaitMs ?? '-'} ms`],
      ['mid-burst user environment: create -> finalizer (queue wait bound)', `${user.queuedMs} ms`],
      ['mid-burst user environment: create -> Ready', `${(user.readyMs / 1000).toFixed(1)} s`],
      ...(afterRestart
        ? ([
            [
              'after a restart, behind the relist: longest queue wait',
              `${afterRestart.maxQueueWaitMs ?? '-'} ms`,
            ],
            ['after a restart, behind the relist: create -> finalizer', `${afterRestart.queuedMs} ms`],
            [
              'after a restart, behind the relist: create -> Ready',
              `${(afterRestart.readyMs / 1000).toFixed(1)} s`,
            ],
          ] as Array<[string, string]>)
        : []),
      ...(CHURN > 0
        ? ([
            [
              `queue wait p50 (churn: ${CHURN} updates at ${CHURN_PER_SECOND}/s)`,
              quantile(churnQueue, 0.5, burstQueue),
            ],
            [
              `queue wait p99 (churn: ${CHURN} updates at ${CHURN_PER_SECOND}/s)`,
              quantile(churnQueue, 0.99, burstQueue),
            ],
          ] as Array<[string, string]>)
        : []),
      ['API requests per object (converging)', (requestsConverging / converged).toFixed(2)],
      ['floor: converge time at that rate', `${(requestsConverging / floor).toFixed(1)} s`],
      [
        `API requests per object (steady, ${STEADY_WINDOW_MS / 1000} s)`,
        `${(steadyRequests / COUNT).toFixed(3)} (${steadyRequests} requests, ${steadyWrites} writes)`,
      ],
      ['reconciles / errors / retries', reconciles],
      ['operator RSS idle / after converging', `${mib(rssIdle)} / ${mib(rss)}`],
      ['operator heap used idle / after converging', `${mib(heapIdle)} / ${mib(heapUsed)}`],
    ];
    for (const [what, n] of convergingByResource) rows.push([`  converging: ${what}`, n.toFixed(2)]);
    for (const [space, bytes] of Object.entries(heapSpaces)) rows.push([`  heap space ${space}`, mib(bytes)]);
    const width = Math.max(...rows.map(([k]) => k.length));
    process.stdout.write(
      `\nReconciler benchmark\n${rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`).join('\n')}\n\n`,
    );
    if (heapTable) process.stdout.write(`Heap after converging, by constructor (shallow):\n${heapTable}\n\n`);
    if (RESULT) {
      const result = {
        environments: COUNT,
        workers: Number(WORKERS),
        requestsPerEnvironmentConverging: requestsConverging / converged,
        requestsAtRest: steadyRequests,
        writesAtRest: steadyWrites,
        rssBytes: rss,
        rssIdleBytes: rssIdle,
        heapUsedBytes: heapUsed,
        heapSpaces,
        convergingByResource: Object.fromEntries(convergingByResource),
        midBurst: user,
        ...(afterRestart ? { afterRestart } : {}),
      };
      writeFileSync(RESULT, `${JSON.stringify(result, null, 2)}\n`);
      process.stdout.write(`result written to ${RESULT}\n`);
    }
  } finally {
    if (TEARDOWN) await teardown(client, ns, userNs, userEnvs);
    await op?.stop();
    await deleteNamespace(client, ns);
    await deleteNamespace(client, userNs);
    client.close();
  }
}

/** Deletes every environment through the operator and waits until they are gone, timed. */
async function teardown(client: KubeClient, ns: string, userNs: string, userEnvs: string[]): Promise<void> {
  process.stdout.write('cleaning up: deleting the environments through the operator...\n');
  const teardownStarted = Date.now();
  let next = 0;
  await Promise.all(
    userEnvs.map((name) =>
      client.request({ method: 'DELETE', path: environmentsPath(userNs, name) }).catch(() => undefined),
    ),
  );
  await Promise.all(
    Array.from({ length: 20 }, async () => {
      while (next < COUNT) {
        const name = `env-${String(next++).padStart(4, '0')}`;
        await client.request({ method: 'DELETE', path: environmentsPath(ns, name) }).catch(() => undefined);
      }
    }),
  );
  const remaining = async (namespace: string) =>
    (
      await client.request<EnvList>({
        method: 'GET',
        path: environmentsPath(namespace),
        query: { limit: 1 },
      })
    ).items.length;
  await waitFor(
    'the environments to be deleted',
    async () => (await remaining(ns)) + (await remaining(userNs)) === 0,
    20 * 60_000,
    2000,
  ).then(
    () =>
      process.stdout.write(
        `  teardown of ${COUNT} environments: ${((Date.now() - teardownStarted) / 1000).toFixed(1)} s\n`,
      ),
    (err: unknown) => process.stderr.write(`cleanup: ${(err as Error).message}\n`),
  );
}

/** Signals the operator to write a heap snapshot into dir, waits for it and summarizes it as a markdown table. */
async function snapshotSummary(op: OperatorProcess, dir: string): Promise<string> {
  const snapshots = () => readdirSync(dir).filter((f) => f.endsWith('.heapsnapshot'));
  for (const old of snapshots()) rmSync(path.join(dir, old));
  op.child.kill('SIGUSR2');
  const file = await waitFor('the heap snapshot', async () => snapshots()[0], 120_000, 1000);
  // Written in chunks; the file is complete once it ends the JSON document it started.
  await waitFor(
    'the heap snapshot to be complete',
    async () => readFileSync(path.join(dir, file), 'utf8').trimEnd().endsWith(']}'),
    300_000,
    2000,
  );
  const summary = heapSummary(JSON.parse(readFileSync(path.join(dir, file), 'utf8')));
  rmSync(path.join(dir, file));
  const total = summary.reduce((n, s) => n + s.bytes, 0);
  return [
    '| what | MiB | count |',
    '|---|---|---|',
    ...summary
      .slice(0, 20)
      .map((s) => `| \`${s.what.slice(0, 60)}\` | ${(s.bytes / 2 ** 20).toFixed(1)} | ${s.count} |`),
    `| total | ${(total / 2 ** 20).toFixed(1)} | |`,
  ].join('\n');
}

/** nodejs_heap_space_size_used_bytes by space, the spaces that hold anything. */
async function heapSpacesOf(op: OperatorProcess): Promise<Record<string, number>> {
  const { text } = await op.get('/metrics');
  const spaces: Record<string, number> = {};
  for (const m of text.matchAll(/^nodejs_heap_space_size_used_bytes\{space="([^"]+)"\} (\d+)/gm))
    if (Number(m[2]) > 0) spaces[m[1]!] = Number(m[2]);
  return spaces;
}

await main();
