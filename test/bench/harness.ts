/**
 * What the cluster benches share: cleanup of everything they start on any exit (Ctrl-C included),
 * the operator they run as a child process, the plan it stored, and the load figure they print.
 */
import { readFileSync } from 'node:fs';
import type { StoredAttempt, StoredPlan, Manifest } from '../../operator/src/environment/index.js';
import { isApiError } from '../../operator/src/reconciler/errors.js';
import type { KubeClient } from '../../operator/src/reconciler/kube-client.js';
import { LOCAL_IMAGE_MIRRORS } from '../support/example-images.js';
import { localOperatorArgs, OperatorProcess } from '../support/operator-process.js';

/** What is still running or standing in the shared cluster, undone in reverse order on any exit. */
const undo: Array<() => Promise<void>> = [];

export async function undoAll(): Promise<void> {
  while (undo.length) await undo.pop()!().catch((err: unknown) => console.error(`cleanup: ${String(err)}`));
}

/** Runs `work` with `release` queued for any exit, then releases at once. */
export async function holding<T>(release: () => Promise<void>, work: () => Promise<T>): Promise<T> {
  undo.push(release);
  try {
    return await work();
  } finally {
    const i = undo.lastIndexOf(release);
    if (i >= 0) undo.splice(i, 1);
    await release();
  }
}

/**
 * Runs `work` with the name of a namespace it creates itself (a floor's, made by kubectl), and deletes
 * that namespace afterwards, on any exit too.
 */
export function withScratchNamespace<T>(
  client: KubeClient,
  prefix: string,
  work: (namespace: string) => Promise<T>,
): Promise<T> {
  const namespace = `${prefix}-${Date.now().toString(36)}-${Math.floor(Math.random() * 1e4)}`;
  return holding(
    () =>
      client
        .request({ method: 'DELETE', path: `/api/v1/namespaces/${namespace}` })
        .then(() => undefined)
        .catch((err: unknown) => {
          if (!isApiError(err, 404)) throw err;
        }),
    () => work(namespace),
  );
}

/**
 * Starts `vibe operator` for one namespace (offline planner, runsc executor, preview router on a
 * free port, official images mapped to the local ones), runs `work` with it and the time it took to
 * report ready, and stops it whatever happens.
 */
export async function withOperator<T>(
  namespace: string,
  work: (operator: OperatorProcess, startupMs: number) => Promise<T>,
  args: string[] = localOperatorArgs(namespace),
): Promise<T> {
  const started = performance.now();
  const operator = await OperatorProcess.start([...args, ...LOCAL_IMAGE_MIRRORS]);
  return holding(
    () => operator.stop(),
    async () => {
      await operator.ready(60_000);
      return work(operator, performance.now() - started);
    },
  );
}

export function loadAverage(): string {
  return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
}

/** Runs a bench's main: cleans up on Ctrl-C or SIGTERM, and on failure says so and exits non-zero. */
export async function runBench(name: string, main: () => Promise<void>, close: () => void): Promise<void> {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      console.error(`${name}: ${signal}, cleaning up`);
      void undoAll().finally(() => process.exit(130));
    });
  }
  try {
    await main();
  } catch (err) {
    console.error(`${name} failed: ${(err as Error).stack ?? String(err)}`);
    process.exitCode = 1;
  } finally {
    await undoAll();
    close();
  }
}

async function configMapData(
  client: KubeClient,
  namespace: string,
  name: string,
  selector: string,
): Promise<Array<Record<string, string>>> {
  const list = await client.request<{ items: Array<{ data?: Record<string, string> }> }>({
    method: 'GET',
    path: `/api/v1/namespaces/${namespace}/configmaps`,
    query: { labelSelector: `vibe.dev/environment=${name},${selector}` },
  });
  return list.items.map((i) => i.data ?? {});
}

/** The plan the environment ended up with, and how long its accepted attempt spent in the sandbox. */
export async function storedPlan(
  client: KubeClient,
  namespace: string,
  name: string,
): Promise<{ manifests: Manifest[]; sandboxMs: number }> {
  const [plan] = await configMapData(client, namespace, name, 'vibe.dev/record=plan');
  if (!plan?.plan) throw new Error(`no stored plan for ${namespace}/${name}`);
  const sandbox = (await configMapData(client, namespace, name, 'vibe.dev/record=attempt'))
    .map((d) => JSON.parse(d.record ?? '{}') as StoredAttempt)
    .flatMap((a) => a.gates ?? [])
    .filter((g) => g.gate === 'sandbox');
  return {
    manifests: (JSON.parse(plan.plan) as StoredPlan).manifests,
    sandboxMs: sandbox.at(-1)?.ms ?? NaN,
  };
}
