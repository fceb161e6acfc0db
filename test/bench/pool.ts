/**
 * `make bench-pool`: planning latency with the warm sandbox pool beside its floors, in one run.
 * Locally: the reference plan with the runsc executor's pool against bare `runsc --network=none do
 * true`. With KUBECONFIG naming a cluster that has the gvisor RuntimeClass (the full local cluster):
 * the plan with the pod executor's pool against a bare gVisor pod start (create -> Succeeded of a pod
 * running `node --version` from the sandbox image). Each pooled plan first waits, untimed, for the pool
 * to be full again, as an operator idle between plans finds it. Prints, never asserts.
 * BENCH_RUNS (default 20) and BENCH_POD_RUNS (default 8) set the timed runs after one warm-up.
 */
import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { runAgent } from '../../operator/src/agent/loop.js';
import { offlineAuthor } from '../../operator/src/agent/offline-author.js';
import { DEFAULT_POLICY } from '../../operator/src/policy/index.js';
import { cacheDir } from '../../operator/src/sandbox/cache-dir.js';
import { findRunsc } from '../../operator/src/sandbox/find-runsc.js';
import { podExecutor } from '../../operator/src/sandbox/pod-executor.js';
import { runscExecutor } from '../../operator/src/sandbox/runsc-executor.js';
import type { SandboxExecutor } from '../../operator/src/sandbox/types.js';
import type { PoolObserver } from '../../operator/src/sandbox/pool/warm-pool.js';
import { importSandboxImage } from '../support/sandbox-image.js';
import { figures, table, type Figures } from './figures.js';

const REFERENCE_INTENT =
  'A preview of my API, image ghcr.io/acme/orders-api:pr-42 listening on port 8080, with a Postgres database. Make it public.';
const RUNS = Number(process.env.BENCH_RUNS ?? 20);
const POD_RUNS = Number(process.env.BENCH_POD_RUNS ?? 8);
const POLL_MS = 50;

/** A pool observer and a wait for the pool to be full again. */
function refills(): { observer: Partial<PoolObserver>; full: () => Promise<void> } {
  let ready = 0;
  let wake: (() => void) | undefined;
  return {
    observer: {
      ready: (count) => {
        ready = count;
        if (count > 0) wake?.();
      },
    },
    full: () => (ready > 0 ? Promise.resolve() : new Promise<void>((resolve) => (wake = resolve))),
  };
}

/** Plans the reference intent; returns the whole plan's and the sandbox gate's milliseconds. */
async function plan(executor: SandboxExecutor): Promise<{ planMs: number; sandboxMs: number }> {
  const started = performance.now();
  const outcome = await runAgent({
    intent: REFERENCE_INTENT,
    author: offlineAuthor,
    executor,
    policy: DEFAULT_POLICY,
    namespace: 'bench',
    maxAttempts: 1,
  });
  const planMs = performance.now() - started;
  if (!outcome.ok) throw new Error(`the reference intent failed: ${JSON.stringify(outcome.failure)}`);
  return { planMs, sandboxMs: outcome.attempts[0]!.gates.find((g) => g.gate === 'sandbox')!.ms };
}

/** One warm-up, then `runs` timed plans, each after `before` (untimed). */
async function plans(
  runs: number,
  executor: SandboxExecutor,
  before: () => Promise<void> = () => Promise.resolve(),
): Promise<{ plan: Figures; sandbox: Figures }> {
  await before();
  await plan(executor);
  const planMs: number[] = [];
  const sandboxMs: number[] = [];
  for (let i = 0; i < runs; i++) {
    await before();
    const r = await plan(executor);
    planMs.push(r.planMs);
    sandboxMs.push(r.sandboxMs);
  }
  return { plan: figures(planMs), sandbox: figures(sandboxMs) };
}

const ms = (f: Figures) => [f.p50, f.p95, f.min].map((v) => v.toFixed(0));
const ratio = (f: Figures, floor: Figures) => `${(f.p50 / floor.p50).toFixed(2)}x`;
const rows: string[][] = [];

const runsc = findRunsc();
if (!runsc) {
  process.stderr.write(
    'bench-pool: runsc not found; install it with `make cluster-build` or set VIBE_RUNSC.\n',
  );
  process.exit(2);
}
const cache = cacheDir();
const bareSamples: number[] = [];
for (let i = 0; i <= RUNS; i++) {
  const started = performance.now();
  const r = spawnSync(runsc, ['--network=none', 'do', 'true'], { stdio: 'ignore' });
  if (r.status !== 0) throw new Error(`runsc do true exited with ${r.status}`);
  if (i > 0) bareSamples.push(performance.now() - started);
}
const bare = figures(bareSamples);
const local = refills();
const pooled = runscExecutor({ runsc, cacheDir: cache, poolSize: 1, poolObserver: local.observer });
const pool = await plans(RUNS, pooled, local.full);
await pooled.close?.();
const cold = await plans(RUNS, runscExecutor({ runsc, cacheDir: cache }));
rows.push(
  ['bare `runsc --network=none do true` (floor)', ...ms(bare), ''],
  ['plan, runsc warm pool (whole pipeline)', ...ms(pool.plan), ratio(pool.plan, bare)],
  ['of which the sandbox gate', ...ms(pool.sandbox), ratio(pool.sandbox, bare)],
  ['plan, runsc without pool (whole pipeline)', ...ms(cold.plan), ratio(cold.plan, bare)],
  ['of which the sandbox gate', ...ms(cold.sandbox), ratio(cold.sandbox, bare)],
);

if (process.env.KUBECONFIG) {
  const image = await importSandboxImage();
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromFile(process.env.KUBECONFIG);
  const core = kubeConfig.makeApiClient(CoreV1Api);
  const namespace = `vibe-bench-pool-${process.pid}`;
  await core.createNamespace({ body: { metadata: { name: namespace } } });
  try {
    const podStart = async (): Promise<number> => {
      const name = `bare-${Math.random().toString(16).slice(2, 10)}`;
      const started = performance.now();
      await core.createNamespacedPod({
        namespace,
        body: {
          metadata: { name },
          spec: {
            runtimeClassName: 'gvisor',
            restartPolicy: 'Never',
            automountServiceAccountToken: false,
            terminationGracePeriodSeconds: 0,
            containers: [
              {
                name: 'bare',
                image,
                imagePullPolicy: 'IfNotPresent',
                command: ['/bin/node'],
                args: ['--version'],
              },
            ],
          },
        },
      });
      for (;;) {
        const pod = await core.readNamespacedPod({ name, namespace });
        if (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') break;
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      }
      const elapsed = performance.now() - started;
      await core.deleteNamespacedPod({ name, namespace, gracePeriodSeconds: 0 });
      return elapsed;
    };
    const podSamples: number[] = [];
    for (let i = 0; i <= POD_RUNS; i++) {
      const elapsed = await podStart();
      if (i > 0) podSamples.push(elapsed);
    }
    const barePod = figures(podSamples);
    const remote = refills();
    const podPooled = podExecutor({
      kubeConfig,
      namespace,
      image,
      pollMs: POLL_MS,
      poolSize: 1,
      poolObserver: remote.observer,
    });
    const podPool = await plans(POD_RUNS, podPooled, remote.full);
    await podPooled.close?.();
    const podCold = await plans(POD_RUNS, podExecutor({ kubeConfig, namespace, image, pollMs: POLL_MS }));
    rows.push(
      ['bare gVisor pod start, create -> Succeeded (floor)', ...ms(barePod), ''],
      ['plan, pod warm pool (whole pipeline)', ...ms(podPool.plan), ratio(podPool.plan, barePod)],
      ['of which the sandbox gate', ...ms(podPool.sandbox), ratio(podPool.sandbox, barePod)],
      ['plan, pod executor without pool (whole pipeline)', ...ms(podCold.plan), ratio(podCold.plan, barePod)],
      ['of which the sandbox gate', ...ms(podCold.sandbox), ratio(podCold.sandbox, barePod)],
    );
  } finally {
    await core.deleteNamespace({ name: namespace });
  }
}

process.stdout.write(
  [
    `reference intent: ${REFERENCE_INTENT}`,
    `runs: ${RUNS} local, ${process.env.KUBECONFIG ? `${POD_RUNS} in the cluster` : 'no cluster (KUBECONFIG unset)'}, each after one warm-up; milliseconds; ratio = p50 / its floor's p50`,
    `load average at the end: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
    '',
    table(['measure', 'p50', 'p95', 'min', 'ratio'], rows),
    '',
  ].join('\n'),
);
