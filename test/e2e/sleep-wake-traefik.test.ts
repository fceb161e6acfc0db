/**
 * Sleep and wake through the local cluster's real ingress controller, Traefik (ADRs 0072, 0096,
 * 0097): previews are Ingresses of class traefik fetched from the host at Traefik's documented
 * address. Idle is read from Traefik's per-service request counters; while the environment sleeps,
 * its preview routes to the operator's activator (a local process, reached by Traefik's pod at the
 * host end of the node's veth), which wakes it and hands each request back to Traefik.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { VibeEnvironment } from '../../operator/src/api/vibe-environment.js';
import { EnvironmentClient } from '../../operator/src/client/index.js';
import { httpGet } from '../support/http-get.js';
import { CONTROLLER_FLAGS, ingressAddress, ingressUrl, routedToActivator } from '../support/ingress.js';
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
import { freePort } from '../support/activator-fixtures.js';
import { OperatorProcess } from '../support/operator-process.js';

const client = testClient();
let ns: string;
let host: string;
let operator: OperatorProcess;
let environments: EnvironmentClient;

const APP_BODY = 'hello from vibe busybox';
/** The host end of the node's veth (test/cluster/lib/common.sh): Traefik's pod reaches the host there. */
const HOST_ADDRESS = process.env.VIBE_HOST_ADDRESS ?? '10.250.0.1';

function phase(want: string, timeoutMs: number): Promise<VibeEnvironment> {
  return waitFor(
    `web to be ${want}`,
    async () => {
      const env = await getEnvironment<VibeEnvironment>(client, ns, 'web');
      if (env?.status?.phase === 'Failed') throw new Error(`web failed: ${env.status.message}`);
      return env?.status?.phase === want ? env : undefined;
    },
    timeoutMs,
    500,
  );
}

async function runningPods(): Promise<number> {
  const pods = await client.request<{ items: { status?: { phase?: string } }[] }>({
    method: 'GET',
    path: `/api/v1/namespaces/vibe-${ns}-web/pods`,
  });
  return pods.items.filter((p) => p.status?.phase === 'Running').length;
}

/** Traefik's metrics endpoint: its pod's address, port traefik (8080). */
async function traefikMetricsUrl(): Promise<string> {
  const pods = await client.request<{ items: { status?: { podIP?: string } }[] }>({
    method: 'GET',
    path: '/api/v1/namespaces/traefik/pods',
    query: { labelSelector: 'app.kubernetes.io/name=traefik' },
  });
  const ip = pods.items.find((p) => p.status?.podIP)?.status?.podIP;
  if (!ip) throw new Error('Traefik has no pod with an address; is the full cluster up?');
  const url = `http://${ip}:8080/metrics`;
  const served = await fetch(url, { signal: AbortSignal.timeout(5000) }).then(
    async (res) => res.ok && (await res.text()).includes('traefik_'),
    () => false,
  );
  if (!served)
    throw new Error(
      `Traefik serves no metrics at ${url}: this cluster's Traefik predates --metrics.prometheus; apply test/cluster/ingress/traefik.yaml again (lib/ingress.sh) or recreate the cluster.`,
    );
  return url;
}

beforeAll(async () => {
  await installCrds(client);
  ns = await createNamespace(client, 'sleep-traefik');
  host = `web-${ns}.vibe.localhost`;
  environments = new EnvironmentClient(client, ns);
  const port = await freePort(HOST_ADDRESS);
  operator = await OperatorProcess.start([
    '--namespace',
    ns,
    '--planner',
    'offline',
    '--executor',
    'runsc',
    '--preview-ingress-class',
    'traefik',
    ...CONTROLLER_FLAGS,
    '--activator-endpoint',
    `${HOST_ADDRESS}:${port}`,
    '--activator-address',
    `${HOST_ADDRESS}:${port}`,
    '--preview-controller-address',
    ingressAddress(),
    '--preview-controller-metrics',
    await traefikMetricsUrl(),
  ]);
  await operator.ready(60_000);
  const example = parse(readFileSync('examples/web-app.yaml', 'utf8')) as VibeEnvironment;
  example.spec.sleep = { afterIdle: '1m', pauseTtl: false };
  await client.request({ method: 'POST', path: environmentsPath(ns), body: example });
  await phase('Ready', 240_000);
});

afterAll(async () => {
  await operator?.stop();
  if (ns) await deleteNamespace(client, ns);
  client.close();
});

describe('sleep and wake through Traefik', () => {
  it('sleeps after a minute without requests, with no pod left running', async () => {
    const asleep = await phase('Sleeping', 180_000);
    expect(asleep.status?.sleep?.reason).toBe('Idle');
    await waitFor('no running pod', async () => (await runningPods()) === 0, 90_000, 1000);
    await waitFor('Traefik to route to the activator', () => routedToActivator(host), 30_000, 500);
  }, 300_000);

  it('answers one request through Traefik with the app after waking it', async () => {
    const answer = await httpGet(ingressUrl(), host, 180_000);
    expect(answer.status).toBe(200);
    expect(answer.body).toContain(APP_BODY);
    expect((await getEnvironment<VibeEnvironment>(client, ns, 'web'))?.status?.phase).toBe('Ready');
  }, 240_000);

  it('answers every one of concurrent requests during a wake, with one wake', async () => {
    await environments.call('sleep', { name: 'web' });
    await phase('Sleeping', 60_000);
    await waitFor('no running pod', async () => (await runningPods()) === 0, 90_000, 1000);
    await waitFor('Traefik to route to the activator', () => routedToActivator(host), 30_000, 500);
    const wakesBefore = (await eventsFor(client, ns, 'web')).filter((e) => e.reason === 'Waking').length;
    const answers = await Promise.all(Array.from({ length: 6 }, () => httpGet(ingressUrl(), host, 180_000)));
    expect(answers.map((a) => a.status)).toEqual(Array(6).fill(200));
    expect(answers.every((a) => a.body.includes(APP_BODY))).toBe(true);
    const wakes = (await eventsFor(client, ns, 'web')).filter((e) => e.reason === 'Waking').length;
    expect(wakes - wakesBefore).toBe(1);
    await waitFor('the activator routes to be removed', async () => {
      const copies = await client.request<{ items: unknown[] }>({
        method: 'GET',
        path: `/apis/networking.k8s.io/v1/namespaces/vibe-${ns}-web/ingresses`,
        query: { labelSelector: 'vibe.dev/activator-route=true' },
      });
      return copies.items.length === 0;
    });
  }, 300_000);
});
