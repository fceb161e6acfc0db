/**
 * The install path users take, on the full local cluster: `make images` and `make helm-install` from
 * no release, then the chart's Deployment is the operator (two replicas, one leader, the pod executor,
 * a model behind the replay server). Covers failover, a rolling upgrade that replans nothing, an
 * uninstall that leaves environments alone and a reinstall that adopts them.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { VibeEnvironment } from '../../operator/src/api/vibe-environment.js';
import { applyObject } from '../../operator/src/reconciler/apply.js';
import { isApiError } from '../../operator/src/reconciler/errors.js';
import { RestMapper } from '../../operator/src/reconciler/rest-mapper.js';
import { startReplayServer, type ReplayServer } from '../replay/server.js';
import { helmBinary, renderChart } from '../support/chart.js';
import { httpGet } from '../support/http-get.js';
import {
  createNamespace,
  deleteNamespace,
  environmentsPath,
  getEnvironment,
  testClient,
  waitFor,
  waitForPhase,
} from '../support/kube.js';
import { PodWatch } from '../support/pod-watch.js';

const REPO = path.resolve(import.meta.dirname, '../..');
const RELEASE = 'vibe';
const SYSTEM = 'vibe-system';
const SANDBOX = 'vibe-sandbox';
/** The host's end of the node's veth: where pods reach a server on the host. */
const HOST_FROM_PODS = '10.250.0.1';
/** Traefik's hostPort on the node, when the cluster runs it. */
const NODE_IP = '10.250.0.2';
const LEASE_SECONDS = 15;
const WEB_PROGRAM =
  "```ts\nimport { webService } from '@vibe/sdk';\n\nwebService('web', {\n  image: 'localhost/vibe/busybox:test',\n" +
  "  port: 8080,\n  command: ['/bin/httpd', '-f', '-p', '8080', '-h', '/www'],\n  public: true,\n});\n```";

const client = testClient();
let replay: ReplayServer;
let ns: string;
let sandboxPods: PodWatch;

interface PodView {
  metadata: { name: string; uid: string; deletionTimestamp?: string };
  spec: { containers: { image: string }[] };
  status?: { podIP?: string; phase?: string; conditions?: { type: string; status: string }[] };
}

const run = (command: string, args: string[], env: Record<string, string> = {}) =>
  execFileSync(command, args, {
    cwd: REPO,
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
    env: { ...process.env, ...env },
  });
const helm = (...args: string[]) => run(helmBinary(), args);

function helmInstall(version: string): void {
  const model = [
    '--set model.provider.kind=anthropic',
    `--set model.provider.baseURL=http://${HOST_FROM_PODS}:${new URL(replay.url).port}`,
    '--set model.apiKeySecret.name=vibe-model-key',
  ].join(' ');
  run('make', ['--no-print-directory', 'helm-install', `VERSION=${version}`], { HELM_ARGS: model });
}

const operatorPods = async () =>
  (
    await client.request<{ items: PodView[] }>({
      method: 'GET',
      path: `/api/v1/namespaces/${SYSTEM}/pods`,
      query: { labelSelector: `app.kubernetes.io/instance=${RELEASE}` },
    })
  ).items.filter(
    (p) =>
      !p.metadata.deletionTimestamp &&
      p.metadata.name.startsWith(`${RELEASE}-`) &&
      !p.metadata.name.endsWith('-selftest'),
  );

const leaseHolder = async () =>
  (
    await client.request<{ spec: { holderIdentity?: string } }>({
      method: 'GET',
      path: `/apis/coordination.k8s.io/v1/namespaces/${SYSTEM}/leases/${RELEASE}`,
    })
  ).spec.holderIdentity;

/** The operator pod holding the Lease (the identity is POD-NAME_PID). */
async function leader(): Promise<PodView> {
  const holder = await leaseHolder();
  const pods = await operatorPods();
  const found = pods.filter((p) => holder?.startsWith(`${p.metadata.name}_`));
  expect(found, `Lease holder ${holder} among ${pods.map((p) => p.metadata.name).join(', ')}`).toHaveLength(
    1,
  );
  return found[0]!;
}

/** UIDs of every pod in the test environments' namespaces: a restart or a re-apply changes them. */
async function workloadPodUids(): Promise<string[]> {
  const uids: string[] = [];
  for (const name of ['web', 'failover']) {
    const env = await getEnvironment<VibeEnvironment>(client, ns, name);
    const namespace = env?.status?.namespace;
    if (!namespace) continue;
    const pods = await client.request<{ items: PodView[] }>({
      method: 'GET',
      path: `/api/v1/namespaces/${namespace}/pods`,
    });
    uids.push(...pods.items.map((p) => `${namespace}/${p.metadata.name}/${p.metadata.uid}`));
  }
  return uids.sort();
}

const sandboxRuns = () => sandboxPods.pods.size;

async function applyExample(name: string): Promise<void> {
  const example = parse(readFileSync(path.join(REPO, 'examples/web-app.yaml'), 'utf8')) as VibeEnvironment;
  await client.request({
    method: 'POST',
    path: environmentsPath(ns),
    body: { ...example, metadata: { name } },
  });
}

/** The preview through the cluster's ingress controller when it runs Traefik, else undefined. */
async function fetchPreview(url: string): Promise<{ status: number; body: string } | undefined> {
  const traefik = await client
    .request({ method: 'GET', path: '/apis/networking.k8s.io/v1/ingressclasses/traefik' })
    .then(() => true)
    .catch(() => false);
  if (!traefik) return undefined;
  return waitFor(
    'the preview through Traefik',
    async () => {
      const answer = await httpGet(`http://${NODE_IP}/`, new URL(url).host);
      return answer.status === 200 ? answer : undefined;
    },
    60_000,
    1000,
  );
}

/**
 * The release adopted the admission policies `make cluster-up` installs, and its uninstall removed
 * them; later suites on this cluster expect them, so they go back as cluster-up puts them.
 */
async function restoreClusterAdmission(): Promise<void> {
  const mapper = new RestMapper(client);
  const policies = renderChart(RELEASE, SYSTEM, { 'sandbox.image': 'unused' }).filter(
    (o) =>
      o.kind.startsWith('ValidatingAdmissionPolic') && o.metadata.name.startsWith(`${RELEASE}-environment-`),
  );
  for (const policy of policies) await applyObject(client, mapper, policy, 'vibe-cluster-up');
}

beforeAll(async () => {
  replay = await startReplayServer({
    scenario: { name: 'helm-install', anthropic: Array.from({ length: 20 }, () => ({ text: WEB_PROGRAM })) },
    host: '0.0.0.0',
  });
  // From no release: an earlier run's is removed, environments and CRDs stay (they are kept).
  try {
    helm('uninstall', RELEASE, '--namespace', SYSTEM, '--wait');
  } catch {
    // no release to remove
  }
  await client
    .request({ method: 'POST', path: '/api/v1/namespaces', body: { metadata: { name: SYSTEM } } })
    .catch((err: unknown) => {
      if (!isApiError(err, 409)) throw err;
    });
  await client
    .request({
      method: 'POST',
      path: `/api/v1/namespaces/${SYSTEM}/secrets`,
      body: { metadata: { name: 'vibe-model-key' }, stringData: { 'api-key': 'replay-key-not-secret' } },
    })
    .catch((err: unknown) => {
      if (!isApiError(err, 409)) throw err;
    });
  const others = await client.request<{ items: VibeEnvironment[] }>({
    method: 'GET',
    path: '/apis/vibe.dev/v1alpha1/vibeenvironments',
  });
  for (const env of others.items) {
    console.warn(
      `an environment outside this suite, which the release's operator will serve: ` +
        `${env.metadata.namespace}/${env.metadata.name} (phase ${env.status?.phase ?? 'none'})`,
    );
  }
  ns = await createNamespace(client, 'helm-e2e');
  run('make', ['--no-print-directory', 'images', 'VERSION=0.1.0-e2e.1']);
  helmInstall('0.1.0-e2e.1');
  sandboxPods = await PodWatch.start(client, SANDBOX);
}, 900_000);

afterAll(async () => {
  if (ns) {
    for (const name of ['web', 'failover']) {
      await client.request({ method: 'DELETE', path: environmentsPath(ns, name) }).catch(() => undefined);
    }
    await waitFor(
      'the test environments to be gone',
      async () =>
        (await getEnvironment(client, ns, 'web')) === undefined &&
        (await getEnvironment(client, ns, 'failover')) === undefined,
      120_000,
      1000,
    ).catch(() => undefined);
  }
  try {
    helm('uninstall', RELEASE, '--namespace', SYSTEM, '--wait');
  } catch {
    // already gone
  }
  await restoreClusterAdmission();
  await client
    .request({ method: 'DELETE', path: `/api/v1/namespaces/${SYSTEM}/secrets/vibe-model-key` })
    .catch(() => undefined);
  if (ns) await deleteNamespace(client, ns);
  await sandboxPods?.stop();
  await replay?.close();
  client.close();
}, 300_000);

describe('make images + make helm-install', () => {
  it('runs the Deployment Available with 2 replicas, exactly one Lease holder, /metrics on each pod IP', async () => {
    // The rollout is done once both pods are Ready, and a standby is Ready before anyone holds the
    // Lease; a Lease an earlier release's pod held stays taken until it expires.
    await waitFor(
      'both operator pods Ready and one of them holding the Lease',
      async () => {
        const holder = await leaseHolder();
        const pods = await operatorPods();
        const ready = pods.filter((p) =>
          p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'),
        );
        return ready.length === 2 && pods.some((p) => holder?.startsWith(`${p.metadata.name}_`))
          ? true
          : undefined;
      },
      (LEASE_SECONDS + 30) * 1000,
      500,
    );
    const deployment = await client.request<{
      status: { readyReplicas?: number; conditions?: { type: string; status: string }[] };
    }>({ method: 'GET', path: `/apis/apps/v1/namespaces/${SYSTEM}/deployments/${RELEASE}` });
    expect(deployment.status.readyReplicas).toBe(2);
    expect(deployment.status.conditions?.find((c) => c.type === 'Available')?.status).toBe('True');
    const pods = await operatorPods();
    expect(pods).toHaveLength(2);
    for (const pod of pods) expect(pod.spec.containers[0]!.image).toBe('localhost/vibe/operator:0.1.0-e2e.1');
    await leader();
    for (const pod of pods) {
      const metrics = await httpGet(`http://${pod.status!.podIP!}:8080/metrics`);
      expect(metrics.status).toBe(200);
      expect(metrics.body).toContain('controller_runtime_reconcile_total');
    }
  });

  it('takes examples/web-app.yaml to Ready with a preview, planned by the model in a sandbox pod', async () => {
    await applyExample('web');
    const env = (await waitForPhase(client, ns, 'web', 'Ready', 240_000)) as VibeEnvironment;
    const status = JSON.stringify(env.status);
    expect(env.status?.previewUrl, status).toMatch(/^http:\/\/web-/);
    // This environment's own record: one attempt, written by the model (tokens spent). The server's
    // count is a floor only: the release's operator serves the whole cluster, and a suite before
    // this one may have left an environment it plans too (named in the log by beforeAll).
    expect(env.status?.attempts, status).toBe(1);
    expect(env.status?.usage?.tokens, status).toBeGreaterThan(0);
    expect(replay.count('anthropic'), status).toBeGreaterThanOrEqual(1);
    expect(sandboxRuns(), status).toBeGreaterThanOrEqual(1);
    const preview = await fetchPreview(env.status!.previewUrl!);
    if (preview) expect(preview.body).toContain('hello from vibe busybox');
  });

  it('passes helm test', () => {
    const out = helm('test', RELEASE, '--namespace', SYSTEM, '--timeout', '5m', '--logs');
    expect(out).toMatch(/Phase:\s+Succeeded/);
    expect(out).toContain('preview answered 200');
  });

  it('fails over: the other replica takes the Lease and a new environment reaches Ready', async () => {
    const old = await leader();
    const before = await leaseHolder();
    await client.request({
      method: 'DELETE',
      path: `/api/v1/namespaces/${SYSTEM}/pods/${old.metadata.name}`,
      query: { gracePeriodSeconds: 0 },
    });
    await applyExample('failover');
    const holder = await waitFor(
      'another Lease holder',
      async () => {
        const h = await leaseHolder();
        return h && h !== before ? h : undefined;
      },
      (LEASE_SECONDS + 30) * 1000,
      500,
    );
    expect(holder.startsWith(`${old.metadata.name}_`)).toBe(false);
    await waitForPhase(client, ns, 'failover', 'Ready', 240_000);
  });

  it('upgrades to a rebuilt image without a model request, a sandbox run or a workload restart', async () => {
    await waitForPhase(client, ns, 'web', 'Ready');
    const models = replay.count('anthropic');
    const runs = sandboxRuns();
    const uids = await workloadPodUids();
    expect(uids.length).toBeGreaterThanOrEqual(2);
    run('make', ['--no-print-directory', 'images', 'VERSION=0.1.0-e2e.2']);
    helmInstall('0.1.0-e2e.2');
    const pods = await operatorPods();
    expect(pods.map((p) => p.spec.containers[0]!.image)).toEqual([
      'localhost/vibe/operator:0.1.0-e2e.2',
      'localhost/vibe/operator:0.1.0-e2e.2',
    ]);
    const upgraded = await waitFor(
      'a new pod to lead',
      async () => {
        const holder = await leaseHolder();
        return pods.find((p) => holder?.startsWith(`${p.metadata.name}_`));
      },
      60_000,
      500,
    );
    expect(upgraded).toBeDefined();
    // The new leader lists and reconciles every environment; give it time to do anything it would.
    await new Promise((r) => setTimeout(r, 20_000));
    for (const name of ['web', 'failover']) await waitForPhase(client, ns, name, 'Ready');
    expect(replay.count('anthropic')).toBe(models);
    expect(sandboxRuns()).toBe(runs);
    expect(await workloadPodUids()).toEqual(uids);
  });

  it('uninstalls without touching environments, and a reinstall adopts them without replanning', async () => {
    const models = replay.count('anthropic');
    const runs = sandboxRuns();
    const uids = await workloadPodUids();
    helm('uninstall', RELEASE, '--namespace', SYSTEM, '--wait');
    expect(await operatorPods()).toEqual([]);
    await client.request({
      method: 'GET',
      path: '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/vibeenvironments.vibe.dev',
    });
    for (const name of ['web', 'failover'])
      expect((await getEnvironment(client, ns, name))?.status?.phase).toBe('Ready');
    expect(await workloadPodUids()).toEqual(uids);

    helmInstall('0.1.0-e2e.2');
    await waitFor(
      'a leader after the reinstall',
      async () => (await leaseHolder()) && (await leader()),
      60_000,
      500,
    );
    await new Promise((r) => setTimeout(r, 20_000));
    for (const name of ['web', 'failover']) await waitForPhase(client, ns, name, 'Ready');
    expect(replay.count('anthropic')).toBe(models);
    expect(sandboxRuns()).toBe(runs);
    expect(await workloadPodUids()).toEqual(uids);
  });
});
