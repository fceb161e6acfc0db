/**
 * `make bench-wake`: how long a sleeping environment takes to answer the first request to its
 * preview (request -> first byte of the app's answer, through the operator's preview router, whose
 * activator wakes it), side by side with its floor: `kubectl scale` of the same workloads from zero
 * plus `kubectl rollout status`. examples/web-app.yaml through the operator (offline planner, runsc
 * executor); each run puts it to sleep with `vibe sleep` and waits, untimed, until no pod of it is
 * left. Prints, never asserts. BENCH_RUNS (default 5) sets the timed runs after one warm-up.
 * WAKE_VIA=traefik takes the request through the cluster's Traefik instead: the preview is an
 * Ingress of class traefik, and while it sleeps Traefik routes it to the operator's activator.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import type { VibeEnvironment } from '../../operator/src/api/vibe-environment.js';
import { EnvironmentClient } from '../../operator/src/client/index.js';
import type { Manifest } from '../../operator/src/environment/index.js';
import {
  createNamespace,
  deleteNamespace,
  environmentsPath,
  getEnvironment,
  installCrds,
  testClient,
  waitFor,
} from '../support/kube.js';
import { CONTROLLER_FLAGS, ingressAddress, ingressUrl, routedToActivator } from '../support/ingress.js';
import { localOperatorArgs } from '../support/operator-process.js';
import { figures, seconds, table } from './figures.js';
import { holding, loadAverage, runBench, storedPlan, withOperator, withScratchNamespace } from './harness.js';
import { floorRun, scaleFromZeroRun } from './kubectl-floor.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const EXAMPLE = fileURLToPath(new URL('../../examples/web-app.yaml', import.meta.url));
const NAME = 'web';
const APP_BODY = 'hello from vibe busybox';
const TIMEOUT_MS = 300_000;
/** router: the operator's preview router; traefik: the cluster's ingress controller (ADR 0096). */
const VIA = process.env.WAKE_VIA === 'traefik' ? 'traefik' : 'router';
/** The host end of the node's veth, where Traefik's pod reaches the activator. */
const HOST_ADDRESS = process.env.VIBE_HOST_ADDRESS ?? '10.250.0.1';

const client = testClient();

/** One wake: request -> first byte, and request -> phase Ready as the operator wrote it. */
interface WakeRun {
  firstByteMs: number;
  readyMs: number;
}

/**
 * GET the preview and resolve at its first byte (the status line), then check the answer is the
 * app's; the activator holds the request while it wakes the environment.
 */
function firstByte(url: string, host: string): Promise<number> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers: { host, accept: 'text/plain' }, timeout: TIMEOUT_MS }, (res) => {
        const ms = performance.now() - started;
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () =>
          res.statusCode === 200 && body.includes(APP_BODY)
            ? resolve(ms)
            : reject(new Error(`the preview answered ${res.statusCode}: ${body.slice(0, 200)}`)),
        );
      })
      .on('timeout', function (this: http.ClientRequest) {
        this.destroy(new Error(`no answer from the preview within ${TIMEOUT_MS / 1000} s`));
      })
      .on('error', reject);
  });
}

async function phase(namespace: string, want: string): Promise<VibeEnvironment> {
  return waitFor(
    `${NAME} to be ${want}`,
    async () => {
      const env = await getEnvironment<VibeEnvironment>(client, namespace, NAME);
      if (env?.status?.phase === 'Failed') throw new Error(`${NAME} failed: ${env.status.message ?? ''}`);
      return env?.status?.phase === want ? env : undefined;
    },
    TIMEOUT_MS,
    100,
  );
}

async function podCount(namespace: string): Promise<number> {
  const pods = await client.request<{ items: unknown[] }>({
    method: 'GET',
    path: `/api/v1/namespaces/${namespace}/pods`,
  });
  return pods.items.length;
}

/** Puts the environment to sleep and waits, untimed, until no pod of it is left. */
async function asleep(environments: EnvironmentClient, namespace: string, target: string): Promise<void> {
  await environments.call('sleep', { name: NAME });
  await phase(namespace, 'Sleeping');
  await waitFor('no pod left', async () => (await podCount(target)) === 0, TIMEOUT_MS, 100);
}

/** The operator's flags for VIA: the preview router, or Traefik with the activator on a free host port. */
async function operatorArgs(namespace: string): Promise<string[]> {
  if (VIA === 'router') return localOperatorArgs(namespace);
  const probe = http.createServer();
  await new Promise<void>((resolve) => probe.listen(0, HOST_ADDRESS, resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return [
    ...['--namespace', namespace, '--planner', 'offline', '--executor', 'runsc'],
    ...['--preview-ingress-class', 'traefik', ...CONTROLLER_FLAGS],
    ...['--activator-endpoint', `${HOST_ADDRESS}:${port}`, '--activator-address', `${HOST_ADDRESS}:${port}`],
    ...['--preview-controller-address', ingressAddress()],
  ];
}

/** RUNS wakes of one environment (after a warm-up), and the manifests its plan applied. */
async function operatorRuns(): Promise<{ runs: WakeRun[]; manifests: Manifest[] }> {
  const example = parse(readFileSync(EXAMPLE, 'utf8')) as VibeEnvironment;
  const namespace = await createNamespace(client, 'bench-wake');
  const args = await operatorArgs(namespace);
  return holding(
    () => deleteNamespace(client, namespace),
    () =>
      withOperator(
        namespace,
        async (operator) => {
          const environments = new EnvironmentClient(client, namespace);
          await client.request({
            method: 'POST',
            path: environmentsPath(namespace),
            body: { ...example, metadata: { name: NAME } },
          });
          const ready = await phase(namespace, 'Ready');
          const target = ready.status!.namespace!;
          const host = new URL(ready.status!.previewUrl!).host;
          const url =
            VIA === 'traefik' ? ingressUrl() : `http://127.0.0.1:${await operator.previewRouterPort()}/`;
          const runs: WakeRun[] = [];
          for (let i = 0; i <= RUNS; i++) {
            await asleep(environments, namespace, target);
            if (VIA === 'traefik')
              await waitFor('Traefik to route to the activator', () => routedToActivator(host), 30_000, 200);
            const started = performance.now();
            const firstByteMs = await firstByte(url, host);
            await phase(namespace, 'Ready');
            const run = { firstByteMs, readyMs: performance.now() - started };
            console.error(
              `  wake ${i === 0 ? 'warm-up' : i}: first byte ${seconds(run.firstByteMs)} s, ` +
                `Ready seen ${seconds(run.readyMs)} s`,
            );
            if (i > 0) runs.push(run);
          }
          return { runs, manifests: (await storedPlan(client, namespace, NAME)).manifests };
        },
        args,
      ),
  );
}

/** RUNS floor runs (after a warm-up) in one namespace holding the same manifests. */
async function floorRuns(manifests: Manifest[]): Promise<number[]> {
  return withScratchNamespace(client, 'bench-wake-floor', async (namespace) => {
    await floorRun(namespace, manifests);
    const floor: number[] = [];
    for (let i = 0; i <= RUNS; i++) {
      const ms = await scaleFromZeroRun(namespace, manifests);
      console.error(`  kubectl scale from zero ${i === 0 ? 'warm-up' : i}: ${seconds(ms)} s`);
      if (i > 0) floor.push(ms);
    }
    return floor;
  });
}

async function main(): Promise<void> {
  await installCrds(client);
  console.error(`bench-wake: ${RUNS} runs after one warm-up, through the ${VIA}; load ${loadAverage()}`);
  const { runs, manifests } = await operatorRuns();
  const floor = figures(await floorRuns(manifests));
  const wake = figures(runs.map((r) => r.firstByteMs));
  const ready = figures(runs.map((r) => r.readyMs));
  const row = (what: string, f: typeof wake, note = '') => [
    what,
    seconds(f.p50),
    seconds(f.p95),
    seconds(f.min),
    note,
  ];
  console.log(
    `\nwake of a sleeping ${NAME} (${manifests.map((m) => m.kind).join(', ')}), ${RUNS} runs, seconds\n`,
  );
  console.log(
    table(
      ['', 'p50', 'p95', 'min', 'note'],
      [
        row(
          `operator via ${VIA}: request -> first byte of the app`,
          wake,
          `${(wake.p50 / floor.p50).toFixed(2)}x of the floor (p50)`,
        ),
        row('  request -> phase Ready seen', ready, 'read every 100 ms'),
        row('floor: kubectl scale from zero + rollout status', floor, ''),
      ],
    ),
  );
  console.log(`\nload average ${loadAverage()}`);
}

await runBench('bench-wake', main, () => client.close());
