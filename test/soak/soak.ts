/**
 * `make soak` (DURATION, default 1h; SOAK_ENVS, default 200; SOAK_AWAKE, default 70): the operator
 * under hours of churn on the full local cluster, as issue 16 asks. One operator (Anthropic planner
 * behind the replay server, runsc executor) serves one namespace while the script keeps about
 * SOAK_ENVS environments moving: creates (a fifth with a 2m TTL, a tenth with Manual approval), intent
 * changes, extends, approvals, sleeps, wakes and deletes. At most about SOAK_AWAKE of them run pods:
 * the local node admits 110 pods, so the others sleep (scaled to zero) or wait for approval. The
 * operator is killed with SIGKILL at random intervals and started again; the API server is restarted
 * once, half way. Then the churn stops, everything settles, and the script asserts:
 * - no environment is stuck in a transitional phase;
 * - no namespace, attempt or plan record is left by an environment that is gone;
 * - no sandbox container is left once the operator stops (of those the soak saw appear);
 * - no object was reconciled by two workers at once (each operator's vibe_reconcile_overlaps_total,
 *   read before it is killed or stopped);
 * - no model call was made twice: no two requests the replay server got are the same (each plan's
 *   prompt names its environment, intent and earlier attempts); a kill may only cost the call that
 *   was in flight, so at most one repeat per kill;
 * - the operator's heap does not grow: of the samples taken once the population is whole, the median
 *   of the last quarter is within 20% of the first quarter's.
 * It prints every figure beside what it is held to and exits non-zero on a failed assertion.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDuration } from '../../operator/src/api/duration.js';
import { EnvironmentClient } from '../../operator/src/client/index.js';
import type { VibeEnvironment } from '../../operator/src/api/vibe-environment.js';
import { PATCH } from '../../operator/src/reconciler/kube-client.js';
import { startReplayServer } from '../replay/server.js';
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
import { runscContainerIds } from '../support/runsc-state.js';
import { replayOperatorConfig } from '../support/replay-operator-config.js';
import { runBench } from '../bench/harness.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const DURATION_MS = parseDuration(process.env.DURATION ?? '1h');
const TARGET_ENVS = Number(process.env.SOAK_ENVS ?? 200);
/**
 * Environments with pods, at most: the local node admits 110 pods, and environments on their way to
 * Ready and rolling updates need room beyond this; each pod asks for 10m of CPU of the node's two cores.
 */
const MAX_AWAKE = Number(process.env.SOAK_AWAKE ?? 70);
/** Phases in which an environment runs pods or is about to. */
const AWAKE = new Set(['Pending', 'Planning', 'Applying', 'Progressing', 'Ready']);
/** One churn action this often. */
const TICK_MS = 1_000;
/** SIGKILL the operator after a random time in this range (shorter in a short run, so it still happens). */
const KILL_EVERY_MS: [number, number] = [
  Math.min(3 * 60_000, DURATION_MS / 6),
  Math.min(8 * 60_000, DURATION_MS / 3),
];
const HEAP_SAMPLE_MS = 30_000;
const SETTLE_MS = 10 * 60_000;
const HEAP_GROWTH_LIMIT = 1.2;
const TRANSITIONAL = new Set(['Pending', 'Planning', 'Applying', 'Progressing', 'Terminating']);
const PROGRAM =
  "```ts\nimport { webService } from '@vibe/sdk';\n\nwebService('web', {\n  image: 'localhost/vibe/busybox:test',\n" +
  "  port: 8080,\n  command: ['/bin/httpd', '-f', '-p', '8080', '-h', '/www'],\n" +
  "  resources: { cpu: '10m', memory: '32Mi' },\n});\n```";

const client = testClient();
const random = (low: number, high: number) => low + Math.random() * (high - low);
const pick = <T>(items: readonly T[]): T | undefined => items[Math.floor(Math.random() * items.length)];

/** What the churn did. */
const tally = {
  created: 0,
  changed: 0,
  extended: 0,
  approved: 0,
  slept: 0,
  woken: 0,
  deleted: 0,
  kills: 0,
  apiRestarts: 0,
  /** Failed churn requests (a conflict, an environment gone meanwhile): counted, never fatal. */
  refused: 0,
};
let serial = 0;

async function environments(ns: string): Promise<VibeEnvironment[]> {
  return (await client.request<{ items: VibeEnvironment[] }>({ method: 'GET', path: environmentsPath(ns) }))
    .items;
}

/** One churn action, chosen so that the population stays near TARGET_ENVS; resolves to the population before it. */
async function churn(ns: string, users: EnvironmentClient): Promise<number> {
  const all = await environments(ns);
  const live = all.filter((e) => !e.metadata.deletionTimestamp);
  await churnOne(ns, users, live);
  return live.length;
}

async function churnOne(
  ns: string,
  users: EnvironmentClient,
  live: readonly VibeEnvironment[],
): Promise<void> {
  const roll = Math.random();
  // Room for pods first: without it new environments would wait in Progressing for the node.
  const awake = live.filter((e) => AWAKE.has(e.status?.phase ?? 'Pending'));
  if (awake.length > MAX_AWAKE) {
    const ready = pick(awake.filter((e) => e.status?.phase === 'Ready'));
    if (ready) {
      await users.call('sleep', { name: ready.metadata.name });
      tally.slept++;
      return;
    }
  }
  if (live.length < TARGET_ENVS * 0.9 || (live.length < TARGET_ENVS * 1.1 && roll < 0.3)) {
    const name = `soak-${(serial++).toString(36)}`;
    const intent = `a web app for soak environment ${name}, revision 0`;
    await createEnvironment(client, ns, name, {
      intent,
      ttl: Math.random() < 0.2 ? '2m' : '4h',
      ...(Math.random() < 0.1 ? { approval: 'Manual' } : {}),
    });
    tally.created++;
    return;
  }
  const env = pick(live);
  if (!env) return;
  const name = env.metadata.name;
  if (env.status?.phase === 'Sleeping' && awake.length < MAX_AWAKE && roll < 0.5) {
    await users.call('wake', { name });
    tally.woken++;
    return;
  }
  if (roll < 0.5) {
    const revision = Number(/revision (\d+)$/.exec(env.spec.intent)?.[1] ?? 0) + 1;
    await client.request({
      method: 'PATCH',
      path: environmentsPath(ns, name),
      contentType: PATCH.merge,
      body: { spec: { intent: `a web app for soak environment ${name}, revision ${revision}` } },
    });
    tally.changed++;
  } else if (roll < 0.65) {
    await users.call('extend', { name, by: '30m' });
    tally.extended++;
  } else if (roll < 0.8 && env.status?.phase === 'AwaitingApproval') {
    await users.call('approve', { name });
    tally.approved++;
  } else {
    await client.request({ method: 'DELETE', path: environmentsPath(ns, name) });
    tally.deleted++;
  }
}

async function heapUsed(op: OperatorProcess): Promise<number> {
  return op.metric('nodejs_heap_size_used_bytes');
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

/** Namespaces the operator made for environments of `ns` that no longer exist. */
async function orphanNamespaces(ns: string, names: Set<string>): Promise<string[]> {
  const owned = await client.request<{ items: Array<{ metadata: { name: string } }> }>({
    method: 'GET',
    path: '/api/v1/namespaces',
    query: { labelSelector: 'app.kubernetes.io/managed-by=vibe-operator' },
  });
  return owned.items
    .map((n) => n.metadata.name)
    .filter((n) => n.startsWith(`vibe-${ns}-`) && !names.has(n.slice(`vibe-${ns}-`.length)));
}

/** Attempt and plan records (ConfigMaps in `ns`) whose environment no longer exists. */
async function orphanRecords(ns: string, names: Set<string>): Promise<string[]> {
  const records = await client.request<{
    items: Array<{ metadata: { name: string; labels?: Record<string, string> } }>;
  }>({
    method: 'GET',
    path: `/api/v1/namespaces/${ns}/configmaps`,
    query: { labelSelector: 'vibe.dev/record' },
  });
  return records.items
    .filter((c) => !names.has(c.metadata.labels?.['vibe.dev/environment'] ?? ''))
    .map((c) => c.metadata.name);
}

async function startOperator(ns: string, config: string): Promise<OperatorProcess> {
  const op = await OperatorProcess.start(['--config', config, '--namespace', ns]);
  await op.ready(120_000);
  return op;
}

async function main(): Promise<void> {
  await installCrds(client);
  const ns = await createNamespace(client, 'soak');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'vibe-soak-'));
  const replay = await startReplayServer({
    scenario: { name: 'soak', anthropic: [{ text: PROGRAM }], whenExhausted: 'repeat-last' },
  });
  const config = replayOperatorConfig(dir, replay.url);
  const users = new EnvironmentClient(client, ns);
  const containersBefore = new Set(runscContainerIds());
  let op = await startOperator(ns, config);
  const heap: Array<{ at: number; bytes: number }> = [];
  const started = Date.now();
  let nextKill = started + random(...KILL_EVERY_MS);
  // The heap is sampled once the population is whole: growth while it ramps up is no leak.
  let nextHeap = Infinity;
  let apiRestarted = false;
  /** Reconciles that began while another worker had the same object, summed over every operator run. */
  let overlaps = 0;
  console.error(`soak: ${DURATION_MS / 60_000} min, about ${TARGET_ENVS} environments in ${ns}`);
  try {
    while (Date.now() - started < DURATION_MS) {
      const population = await churn(ns, users).catch(() => {
        tally.refused++;
        return 0;
      });
      if (nextHeap === Infinity && population >= TARGET_ENVS * 0.9) nextHeap = Date.now();
      if (Date.now() >= nextHeap) {
        heap.push({ at: Date.now() - started, bytes: await heapUsed(op) });
        nextHeap += HEAP_SAMPLE_MS;
      }
      if (Date.now() >= nextKill) {
        overlaps += await op.metric('vibe_reconcile_overlaps_total');
        await op.kill('SIGKILL');
        tally.kills++;
        op = await startOperator(ns, config);
        nextKill = Date.now() + random(...KILL_EVERY_MS);
      }
      if (!apiRestarted && Date.now() - started > DURATION_MS / 2) {
        const restarted = spawnSync(
          'bash',
          [path.join(repoRoot, 'test/cluster/restart.sh'), 'kube-apiserver'],
          {
            stdio: 'inherit',
          },
        );
        if (restarted.status !== 0) throw new Error('the API server could not be restarted');
        apiRestarted = true;
        tally.apiRestarts++;
      }
      await new Promise((r) => setTimeout(r, TICK_MS));
    }
    console.error(`soak: churn over (${JSON.stringify(tally)}); settling`);
    const settled = await waitFor(
      'every environment out of its transitional phases',
      async () => {
        const all = await environments(ns);
        return all.every((e) => !TRANSITIONAL.has(e.status?.phase ?? 'Pending')) ? all : undefined;
      },
      SETTLE_MS,
      2_000,
    ).catch(() => undefined);
    const all = await environments(ns);
    const names = new Set(all.map((e) => e.metadata.name));
    const stuck = all
      .filter((e) => TRANSITIONAL.has(e.status?.phase ?? 'Pending'))
      .map((e) => `${e.metadata.name} (${e.status?.phase ?? 'no phase'})`);
    const namespaces = await orphanNamespaces(ns, names);
    const records = await orphanRecords(ns, names);
    overlaps += await op.metric('vibe_reconcile_overlaps_total');
    await op.stop();
    const containers = runscContainerIds().filter((c) => !containersBefore.has(c));
    const quarter = Math.max(1, Math.floor(heap.length / 4));
    const firstHeap = median(heap.slice(0, quarter).map((h) => h.bytes));
    const lastHeap = median(heap.slice(-quarter).map((h) => h.bytes));
    const calls = replay.requests.filter((r) => r.api === 'anthropic').map((r) => JSON.stringify(r.body));
    const repeats = calls.length - new Set(calls).size;
    const checks: Array<[string, boolean, string]> = [
      [
        'no environment in a transitional phase',
        settled !== undefined && stuck.length === 0,
        stuck.join(', '),
      ],
      ['no orphan namespace', namespaces.length === 0, namespaces.join(', ')],
      ['no orphan attempt or plan record', records.length === 0, records.join(', ')],
      ['no sandbox container left', containers.length === 0, containers.join(', ')],
      [
        'no object handled by two workers at once',
        overlaps === 0,
        `${overlaps} reconciles began while the same object was being reconciled`,
      ],
      [
        'no duplicate model call',
        repeats <= tally.kills,
        `${repeats} repeated of ${calls.length} calls (${tally.kills} kills, each may repeat the call in flight)`,
      ],
      [
        `heap not growing (last quarter within ${HEAP_GROWTH_LIMIT}x of the first)`,
        lastHeap <= firstHeap * HEAP_GROWTH_LIMIT,
        `${(firstHeap / 2 ** 20).toFixed(1)} MiB -> ${(lastHeap / 2 ** 20).toFixed(1)} MiB over ${heap.length} samples`,
      ],
    ];
    console.log(`\nsoak, ${DURATION_MS / 60_000} min, about ${TARGET_ENVS} environments`);
    console.log(JSON.stringify(tally));
    const phases = new Map<string, number>();
    for (const e of all)
      phases.set(e.status?.phase ?? 'none', (phases.get(e.status?.phase ?? 'none') ?? 0) + 1);
    console.log(`phases at the end: ${JSON.stringify(Object.fromEntries(phases))}`);
    for (const [what, ok, detail] of checks)
      console.log(`${ok ? 'ok  ' : 'FAIL'}  ${what}${detail ? `: ${detail}` : ''}`);
    if (checks.some(([, ok]) => !ok)) process.exitCode = 1;
  } finally {
    await op.stop().catch(() => undefined);
    await deleteNamespace(client, ns);
    await replay.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await runBench('soak', main, () => client.close());
