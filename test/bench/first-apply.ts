/**
 * `make bench-first-apply`: how soon after `kubectl apply` of examples/web-app.yaml the operator has
 * applied its Deployment, on the control-plane tier (no pods are needed to see that), beside its floor,
 * `kubectl apply` of the same manifests into a fresh namespace. The operator is started as bench-e2e
 * starts it (offline planner, runsc executor with its warm pool), a fresh one per run, and the
 * environment is created the moment it reports ready; the Deployment is seen through a watch. The
 * gates' own times come from the attempt record. Prints, never asserts. BENCH_RUNS (default 5) timed
 * runs after one warm-up.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import type { VibeEnvironment } from '../../operator/src/api/vibe-environment.js';
import type { Manifest, StoredAttempt } from '../../operator/src/environment/index.js';
import {
  createNamespace,
  deleteNamespace,
  environmentsPath,
  installCrds,
  testClient,
} from '../support/kube.js';
import { figures, seconds, table, type Figures } from './figures.js';
import { holding, loadAverage, runBench, storedPlan, withOperator, withScratchNamespace } from './harness.js';
import { applyRun } from './kubectl-floor.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const EXAMPLE = fileURLToPath(new URL('../../examples/web-app.yaml', import.meta.url));
const TIMEOUT_MS = 60_000;
const GATES = ['author', 'typecheck', 'sandbox', 'policy', 'dry-run'] as const;

interface Run {
  appliedMs: number;
  gates: Record<string, number>;
  manifests: Manifest[];
}

const client = testClient();
const example = parse(readFileSync(EXAMPLE, 'utf8')) as VibeEnvironment;

interface WatchEvent {
  type: string;
  object: { metadata: { namespace?: string; name: string } };
}

/** Resolves with the time the first Deployment in a namespace starting with `prefix` is seen, from now on. */
function deploymentSeen(prefix: string, signal: AbortSignal, ready: () => void): Promise<number> {
  return new Promise((resolve, reject) => {
    void (async () => {
      const list = await client.request<{ metadata: { resourceVersion: string } }>({
        method: 'GET',
        path: '/apis/apps/v1/deployments',
        query: { limit: 1 },
      });
      ready();
      await client.stream(
        {
          path: '/apis/apps/v1/deployments',
          query: { watch: true, resourceVersion: list.metadata.resourceVersion },
          signal,
        },
        (line) => {
          const event = JSON.parse(line) as WatchEvent;
          if (event.type === 'ADDED' && event.object.metadata.namespace?.startsWith(prefix))
            resolve(performance.now());
        },
      );
    })().catch(reject);
  });
}

async function operatorRun(): Promise<Run> {
  const namespace = await createNamespace(client, 'bench-first-apply');
  return holding(
    () => deleteNamespace(client, namespace),
    () =>
      withOperator(namespace, async () => {
        const stop = new AbortController();
        const timer = setTimeout(
          () => stop.abort(new Error('no Deployment was applied in time')),
          TIMEOUT_MS,
        );
        try {
          let watching!: () => void;
          const started = new Promise<void>((resolve) => (watching = resolve));
          const seen = deploymentSeen(`vibe-${namespace}-`, stop.signal, watching);
          await started;
          const created = performance.now();
          await client.request({ method: 'POST', path: environmentsPath(namespace), body: example });
          const appliedMs = (await seen) - created;
          const { manifests } = await storedPlan(client, namespace, example.metadata.name);
          return { appliedMs, gates: await gateTimes(namespace), manifests };
        } finally {
          clearTimeout(timer);
          stop.abort();
        }
      }),
  );
}

/** The accepted attempt's gate times, milliseconds by gate. */
async function gateTimes(namespace: string): Promise<Record<string, number>> {
  const list = await client.request<{ items: Array<{ data?: Record<string, string> }> }>({
    method: 'GET',
    path: `/api/v1/namespaces/${namespace}/configmaps`,
    query: { labelSelector: `vibe.dev/environment=${example.metadata.name},vibe.dev/record=attempt` },
  });
  const attempts = list.items.map((i) => JSON.parse(i.data?.record ?? '{}') as StoredAttempt);
  const last = attempts.sort((a, b) => a.attempt - b.attempt).at(-1);
  return Object.fromEntries((last?.gates ?? []).map((g) => [g.gate, g.ms]));
}

function row(what: string, f: Figures, note = ''): string[] {
  return [what, seconds(f.p50), seconds(f.p95), seconds(f.min), note];
}

async function main(): Promise<void> {
  await installCrds(client);
  console.error(`bench-first-apply: ${RUNS} runs after one warm-up; load ${loadAverage()}`);
  const runs: Run[] = [];
  for (let i = 0; i <= RUNS; i++) {
    const run = await operatorRun();
    console.error(
      `  operator run ${i === 0 ? 'warm-up' : i}: Deployment applied in ${seconds(run.appliedMs)} s`,
    );
    if (i > 0) runs.push(run);
  }
  const floor: number[] = [];
  for (let i = 0; i <= RUNS; i++) {
    const ms = await withScratchNamespace(client, 'bench-first-apply-floor', (ns) =>
      applyRun(ns, runs[0]!.manifests),
    );
    console.error(`  kubectl run ${i === 0 ? 'warm-up' : i}: ${seconds(ms)} s`);
    if (i > 0) floor.push(ms);
  }
  const applied = figures(runs.map((r) => r.appliedMs));
  const kubectl = figures(floor);
  console.log(`\ncreate -> Deployment applied, ${example.metadata.name}, ${RUNS} runs, seconds\n`);
  console.log(
    table(
      ['', 'p50', 'p95', 'min', 'note'],
      [
        row('operator: create -> Deployment applied', applied, 'seen through a watch'),
        ...GATES.map((gate) =>
          row(`  gate: ${gate}`, figures(runs.map((r) => r.gates[gate] ?? NaN)), 'from the attempt record'),
        ),
        row('floor: kubectl apply of the same manifests', kubectl, 'a fresh namespace each'),
      ],
    ),
  );
  console.log(`\nload average ${loadAverage()}`);
}

await runBench('bench-first-apply', main, () => client.close());
