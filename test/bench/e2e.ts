/**
 * `make bench-e2e`: each example (examples/web-app.yaml, and the multi-component
 * examples/web-postgres-redis.yaml) from `kubectl apply` to phase Ready through the operator (offline
 * planner, runsc executor, preview router, official images mapped to the local ones), side by side
 * with its floor, `kubectl apply` of the same manifests plus rollout wait, and with the sandbox run;
 * then the TTL teardown lag of the first (expiresAt -> teardown starts -> namespace gone). Prints,
 * never asserts. BENCH_RUNS (default 11: probe ticks make single runs vary by up to a probe period)
 * sets the number of timed runs of each after one warm-up run; every run starts after a random pause
 * of up to a second (KUBELET_TICK_MS).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import type { VibeEnvironment } from '../../operator/src/api/vibe-environment.js';
import type { Manifest } from '../../operator/src/environment/index.js';
import { isApiError } from '../../operator/src/reconciler/errors.js';
import {
  createNamespace,
  deleteNamespace,
  environmentsPath,
  eventsFor,
  getEnvironment,
  installCrds,
  testClient,
} from '../support/kube.js';
import { importExampleImages } from '../support/example-images.js';
import { figures, seconds, table, type Figures } from './figures.js';
import { holding, loadAverage, runBench, storedPlan, withOperator, withScratchNamespace } from './harness.js';
import { floorRun } from './kubectl-floor.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 11);
const EXAMPLES = ['web-app.yaml', 'web-postgres-redis.yaml'].map((file) =>
  fileURLToPath(new URL(`../../examples/${file}`, import.meta.url)),
);
const TTL = '1m';
/** How often the environment, its events and its namespace are read; the resolution of every figure. */
const POLL_MS = 100;
const READY_TIMEOUT_MS = 300_000;
const TEARDOWN_TIMEOUT_MS = 300_000;
const TEARDOWN_TARGET_MS = 1_000;
const RATIO_TARGET = 1.2;
/**
 * The kubelet learns that a container started at its next relist, once a second, and the startup
 * probe's tick then either finds it running or waits a second more. Back-to-back runs of equal length
 * lock onto one phase of that clock (every floor run lucky, or every one a second late), so each run
 * starts after a random pause of up to one tick, untimed.
 */
const KUBELET_TICK_MS = 1_000;

/** One operator run: when each step was first seen, in ms after the VibeEnvironment was created. */
interface OperatorRun {
  startupMs: number;
  plannedMs: number;
  appliedMs: number;
  readyMs: number;
  sandboxMs: number;
  manifests: Manifest[];
}

const client = testClient();
const examples = EXAMPLES.map((file) => parse(readFileSync(file, 'utf8')) as VibeEnvironment);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Creates the environment and reads it and its events every POLL_MS until Ready: the Planned and
 * Applied events mark the ends of planning (namespace; isolation beside the sandbox run and gates;
 * dry-run) and of applying (server-side apply); the rest up to Ready is the rollout.
 */
async function followToReady(namespace: string, env: VibeEnvironment): Promise<Map<string, number>> {
  const name = env.metadata.name;
  const seen = new Map<string, number>();
  const started = performance.now();
  await client.request({ method: 'POST', path: environmentsPath(namespace), body: env });
  while (performance.now() - started < READY_TIMEOUT_MS) {
    const [current, events] = await Promise.all([
      getEnvironment<VibeEnvironment>(client, namespace, name),
      eventsFor(client, namespace, name),
    ]);
    const now = performance.now() - started;
    for (const e of events) if (!seen.has(e.reason)) seen.set(e.reason, now);
    const phase = current?.status?.phase;
    if (phase === 'Ready') {
      seen.set('phase Ready', now);
      return seen;
    }
    if (phase === 'Failed') throw new Error(`the environment failed: ${current?.status?.message ?? ''}`);
    await sleep(POLL_MS);
  }
  throw new Error(`the environment was not Ready within ${READY_TIMEOUT_MS / 1000} s`);
}

async function operatorRun(example: VibeEnvironment): Promise<OperatorRun> {
  const namespace = await createNamespace(client, 'bench-e2e');
  return holding(
    () => deleteNamespace(client, namespace),
    () =>
      withOperator(namespace, async (_operator, startupMs) => {
        const seen = await followToReady(namespace, example);
        const readyMs = seen.get('phase Ready')!;
        const { manifests, sandboxMs } = await storedPlan(client, namespace, example.metadata.name);
        return {
          startupMs,
          plannedMs: seen.get('Planned') ?? NaN,
          appliedMs: seen.get('Applied') ?? NaN,
          readyMs: Math.min(seen.get('Ready') ?? readyMs, readyMs),
          sandboxMs,
          manifests,
        };
      }),
  );
}

async function kubectlRun(manifests: Manifest[]): Promise<number> {
  return withScratchNamespace(client, 'bench-e2e-floor', (namespace) => floorRun(namespace, manifests));
}

interface TeardownLag {
  expiresAt: string;
  startsMs: number;
  startSign: string;
  goneMs: number;
}

/** Reads the environment's namespace and events every POLL_MS from Ready until the namespace is gone. */
async function teardownRun(example: VibeEnvironment): Promise<TeardownLag> {
  const name = example.metadata.name;
  const namespace = await createNamespace(client, 'bench-e2e-ttl');
  return holding(
    () => deleteNamespace(client, namespace),
    () =>
      withOperator(namespace, async () => {
        await followToReady(namespace, { ...example, spec: { ...example.spec, ttl: TTL } });
        const status = (await getEnvironment<VibeEnvironment>(client, namespace, name))?.status;
        if (!status?.expiresAt || !status.namespace) throw new Error('Ready without expiresAt or namespace');
        const expiresAt = Date.parse(status.expiresAt);
        let starts: { at: number; sign: string } | undefined;
        const deadline = expiresAt + TEARDOWN_TIMEOUT_MS;
        while (Date.now() < deadline) {
          const [ns, events] = await Promise.all([
            client
              .request<{ metadata: { deletionTimestamp?: string } }>({
                method: 'GET',
                path: `/api/v1/namespaces/${status.namespace}`,
              })
              .catch((err: unknown) => {
                if (isApiError(err, 404)) return undefined;
                throw err;
              }),
            eventsFor(client, namespace, name),
          ]);
          const now = Date.now();
          if (!starts) {
            const sign = ns?.metadata.deletionTimestamp
              ? 'namespace deletionTimestamp'
              : events.some((e) => e.reason === 'Expired')
                ? 'Expired event'
                : ns === undefined
                  ? 'namespace gone'
                  : undefined;
            if (sign) starts = { at: now, sign };
          }
          if (ns === undefined) {
            return {
              expiresAt: status.expiresAt,
              startsMs: starts!.at - expiresAt,
              startSign: starts!.sign,
              goneMs: now - expiresAt,
            };
          }
          await sleep(POLL_MS);
        }
        throw new Error(
          `namespace ${status.namespace} was not gone ${TEARDOWN_TIMEOUT_MS / 1000} s after expiry`,
        );
      }),
  );
}

function row(what: string, f: Figures, extra = ''): string[] {
  return [what, seconds(f.p50), seconds(f.p95), seconds(f.min), extra];
}

async function main(): Promise<void> {
  importExampleImages();
  await installCrds(client);
  console.error(`bench-e2e: ${RUNS} runs of each after one warm-up; load ${loadAverage()}`);
  for (const example of examples) await benchExample(example);
  const first = examples[0]!;
  const lag = await teardownRun(first);
  console.error(`  teardown: starts ${seconds(lag.startsMs)} s after ${lag.expiresAt} (${lag.startSign})`);
  console.log(
    `\nTTL teardown lag, ${first.metadata.name}, ttl ${TTL}, after expiresAt ${lag.expiresAt}, seconds\n`,
  );
  console.log(
    table(
      ['', 'lag', 'target'],
      [
        [`teardown starts (${lag.startSign})`, seconds(lag.startsMs), seconds(TEARDOWN_TARGET_MS)],
        ['namespace gone', seconds(lag.goneMs), ''],
      ],
    ),
  );
  console.log(`\npolled every ${POLL_MS} ms; load average ${loadAverage()}`);
}

/** One example: RUNS operator runs, then RUNS floor runs of the manifests it planned, as one table. */
async function benchExample(example: VibeEnvironment): Promise<void> {
  const runs: OperatorRun[] = [];
  for (let i = 0; i <= RUNS; i++) {
    await sleep(Math.random() * KUBELET_TICK_MS);
    const run = await operatorRun(example);
    console.error(
      `  ${example.metadata.name}: operator run ${i === 0 ? 'warm-up' : i}: Ready in ${seconds(run.readyMs)} s ` +
        `(planned ${seconds(run.plannedMs)}, applied ${seconds(run.appliedMs)}, sandbox ${seconds(run.sandboxMs)})`,
    );
    if (i > 0) runs.push(run);
  }
  const manifests = runs[0]!.manifests;
  const floor: number[] = [];
  for (let i = 0; i <= RUNS; i++) {
    await sleep(Math.random() * KUBELET_TICK_MS);
    const ms = await kubectlRun(manifests);
    console.error(`  ${example.metadata.name}: kubectl run ${i === 0 ? 'warm-up' : i}: ${seconds(ms)} s`);
    if (i > 0) floor.push(ms);
  }

  const ready = figures(runs.map((r) => r.readyMs));
  const planning = figures(runs.map((r) => r.plannedMs));
  const applying = figures(runs.map((r) => r.appliedMs - r.plannedMs));
  const rollout = figures(runs.map((r) => r.readyMs - r.appliedMs));
  const sandbox = figures(runs.map((r) => r.sandboxMs));
  const kubectl = figures(floor);
  const startup = figures(runs.map((r) => r.startupMs));
  const bound = { p50: kubectl.p50 + sandbox.p50, p95: kubectl.p95 + sandbox.p95 };
  const ratio = (x: number, y: number) => `${(x / y).toFixed(2)}x`;

  console.log(
    `\napply -> Ready, ${example.metadata.name} (${manifests.map((m) => m.kind).join(', ')}), ${RUNS} runs, seconds\n`,
  );
  console.log(
    table(
      ['', 'p50', 'p95', 'min', 'note'],
      [
        row(
          'operator: apply -> phase Ready',
          ready,
          `${ratio(ready.p50, bound.p50)} of floor + sandbox (p50)`,
        ),
        row(
          '  planning (until the Planned event)',
          planning,
          'namespace; isolation beside sandbox run and gates; dry-run',
        ),
        row('    of which the sandbox run (runsc)', sandbox, 'the gate time in the attempt record'),
        row('  applying (Planned -> Applied)', applying, 'server-side apply'),
        row('  rollout (Applied -> Ready)', rollout, ''),
        row('floor: kubectl apply + rollout status', kubectl, ''),
        ['floor + sandbox run', seconds(bound.p50), seconds(bound.p95), '', ''],
        row('(operator start-up, not counted)', startup, ''),
      ],
    ),
  );
  const target = ready.p50 / bound.p50 <= RATIO_TARGET ? 'within' : 'NOT within';
  console.log(
    `\noperator / (floor + sandbox run): p50 ${ratio(ready.p50, bound.p50)}, p95 ${ratio(ready.p95, bound.p95)}` +
      ` (target ${RATIO_TARGET}x: ${target})`,
  );
}

await runBench('bench-e2e', main, () => client.close());
