/**
 * The whole lifecycle on the full local cluster, as a chart install would run it: the operator holds
 * only the chart's RBAC (a token for its ServiceAccount), plans with the offline planner and runs the
 * script in a sandbox pod under the gVisor RuntimeClass. An example environment is planned, isolated,
 * applied, rolled out and served at its preview URL through the preview router, then torn down by its
 * 2-minute TTL with nothing left behind.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { VibeEnvironment } from '../../operator/src/api/vibe-environment.js';
import type { StoredAttempt } from '../../operator/src/environment/index.js';
import { isApiError } from '../../operator/src/reconciler/errors.js';
import { ChartRelease } from '../support/chart.js';
import { ContainerdEvents, GVISOR_RUNTIME } from '../support/containerd-events.js';
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
import { httpGet } from '../support/http-get.js';
import { OperatorProcess } from '../support/operator-process.js';
import { PodWatch } from '../support/pod-watch.js';
import { importSandboxImage } from '../support/sandbox-image.js';

const client = testClient();
let ns: string;
let release: ChartRelease;
let sandboxNamespace: string;
let sandboxPods: PodWatch;
let containerd: ContainerdEvents;
let work: string;
let operator: OperatorProcess;
let routerPort: number;

const list = <T>(path: string, labelSelector?: string) =>
  client.request<{ items: T[] }>({
    method: 'GET',
    path,
    ...(labelSelector ? { query: { labelSelector } } : {}),
  });

beforeAll(async () => {
  await installCrds(client);
  ns = await createNamespace(client, 'lc-e2e');
  const image = await importSandboxImage();
  sandboxNamespace = `${ns}-sandbox`;
  release = await ChartRelease.install(client, `${ns}-operator`, `${ns}-operator`, {
    'operator.previewRouter': 'true',
    'sandbox.namespace': sandboxNamespace,
    'sandbox.image': image,
  });
  work = mkdtempSync(join(tmpdir(), 'vibe-lc-e2e-'));
  const kubeconfig = join(work, 'operator.kubeconfig');
  await release.serviceAccountKubeconfig(kubeconfig);
  sandboxPods = await PodWatch.start(client, sandboxNamespace);
  containerd = new ContainerdEvents();
  // The operator runs on the chart's own config file (planner, pod executor, sandbox namespace and
  // image, leader election in the release namespace); flags override what a test run needs.
  operator = await OperatorProcess.start(
    [
      '--config',
      release.writeOperatorConfig(join(work, 'config.yaml')),
      '--namespace',
      ns,
      '--preview-router-address',
      '127.0.0.1:0',
      '--expiry-warning',
      '1m',
    ],
    {},
    { kubeconfig },
  );
  await operator.ready(60_000);
  routerPort = await operator.previewRouterPort();
});

afterAll(async () => {
  await operator?.stop();
  containerd?.stop();
  await sandboxPods?.stop();
  if (ns) await deleteNamespace(client, ns);
  await release?.uninstall();
  if (work) rmSync(work, { recursive: true, force: true });
  client.close();
});

describe('an example environment on the local cluster', () => {
  it('is planned in a gVisor sandbox pod, isolated, rolled out, previewed, then expires with nothing left', async () => {
    const example = parse(readFileSync('examples/web-app.yaml', 'utf8')) as VibeEnvironment;
    example.spec.ttl = '2m';
    await client.request({ method: 'POST', path: environmentsPath(ns), body: example });
    const planner = operator.logs.find((l) => l.msg === 'planner ready');
    expect(planner).toMatchObject({ planner: 'agent/offline', executor: 'pod', sandboxNamespace });
    expect(operator.logs.some((l) => String(l.msg).startsWith('UNSAFE'))).toBe(false);

    const phases: string[] = [];
    /** When each phase was first seen, to place the sandbox run in the lifecycle. */
    const phaseSeenAt: Array<[phase: string, at: number]> = [];
    const ready = await waitFor(
      'phase Ready',
      async () => {
        const env = await getEnvironment<VibeEnvironment>(client, ns, 'web');
        const phase = env?.status?.phase;
        if (phase && phases.at(-1) !== phase) {
          phases.push(phase);
          phaseSeenAt.push([phase, Date.now()]);
        }
        return phase === 'Ready' ? env : undefined;
      },
      180_000,
      250,
    ).catch(async (err: unknown) => {
      const env = await getEnvironment<VibeEnvironment>(client, ns, 'web');
      throw new Error(
        `${(err as Error).message}: phases ${phases.join(' -> ')}, status ${JSON.stringify(env?.status?.message)}; the operator's last warnings and errors:\n${operator.complaints()}`,
      );
    });
    expect(phases).toContain('Ready');
    expect(phases).not.toContain('Failed');
    const errors = operator.logs.filter((l) => l.level >= 50);
    expect(errors).toEqual([]);
    // It reconciled as the leader, through the chart's Lease Role in the release namespace.
    const lease = await client.request<{ spec: { holderIdentity?: string } }>({
      method: 'GET',
      path: `/apis/coordination.k8s.io/v1/namespaces/${release.namespace}/leases/${release.name}`,
    });
    expect(lease.spec.holderIdentity).toBeTruthy();

    // Planning ran the script in exactly one sandbox pod, under gVisor, and it succeeded.
    const runtimeClass = await client.request<{ handler: string }>({
      method: 'GET',
      path: '/apis/node.k8s.io/v1/runtimeclasses/gvisor',
    });
    expect(runtimeClass.handler).toBe('runsc');
    const runs = [...sandboxPods.pods.values()];
    expect(runs).toHaveLength(1);
    const [run] = runs;
    expect(run?.pod.spec.runtimeClassName).toBe('gvisor');
    // The sandbox pod may appear before a 250 ms poll first sees Planning (the namespace and the
    // Planning status are written together), so place the run by the phase that follows Planning:
    // the environment must not leave Planning before its sandbox pod exists.
    const planningAt = phaseSeenAt.findIndex(([phase]) => phase === 'Planning');
    expect(planningAt, `phases ${phases.join(' -> ')}`).toBeGreaterThanOrEqual(0);
    const leftPlanningAt = phaseSeenAt[planningAt + 1]?.[1] ?? Infinity;
    expect(run?.firstSeenAt ?? Infinity).toBeLessThan(leftPlanningAt);
    expect(run?.phases.at(-1)).toBe('Succeeded');
    const container = run?.pod.status?.containerStatuses?.[0];
    expect(container?.state?.terminated?.exitCode).toBe(0);
    // containerd started it with the gVisor shim, not runc: the RuntimeClass was honoured on the node.
    expect(containerd.runtimeOf(container?.containerID ?? ''), containerd.describe()).toBe(GVISOR_RUNTIME);

    const target = `vibe-${ns}-web`;
    expect(ready.status).toMatchObject({
      namespace: target,
      attempts: 1,
      plan: {
        objects: 3,
        kinds: ['Deployment', 'Ingress', 'Service'],
        images: ['localhost/vibe/busybox:test'],
      },
      usage: { tokens: 0, cost: '0' },
    });
    const host = `web-${ns}.vibe.localhost`;
    expect(ready.status?.previewUrl).toBe(`http://${host}:${routerPort}/`);

    const namespace = await client.request<{ metadata: { labels: Record<string, string> } }>({
      method: 'GET',
      path: `/api/v1/namespaces/${target}`,
    });
    expect(namespace.metadata.labels).toMatchObject({
      'pod-security.kubernetes.io/enforce': 'restricted',
      'app.kubernetes.io/managed-by': 'vibe-operator',
      'vibe.dev/environment': 'web',
    });
    const names = async (path: string) =>
      (await list<{ metadata: { name: string } }>(path)).items.map((i) => i.metadata.name).sort();
    expect(await names(`/api/v1/namespaces/${target}/resourcequotas`)).toEqual(['vibe-quota']);
    expect(await names(`/api/v1/namespaces/${target}/limitranges`)).toEqual(['vibe-limits']);
    expect(await names(`/apis/networking.k8s.io/v1/namespaces/${target}/networkpolicies`)).toContain(
      'vibe-default-deny',
    );
    const deployments = await list<{ metadata: { name: string }; status?: { availableReplicas?: number } }>(
      `/apis/apps/v1/namespaces/${target}/deployments`,
    );
    expect(deployments.items.map((d) => [d.metadata.name, d.status?.availableReplicas])).toEqual([
      ['busybox', 1],
    ]);
    const ingresses = await list<{ spec: { ingressClassName: string; rules: Array<{ host: string }> } }>(
      `/apis/networking.k8s.io/v1/namespaces/${target}/ingresses`,
    );
    expect(ingresses.items.map((i) => [i.spec.ingressClassName, i.spec.rules[0]?.host])).toEqual([
      ['vibe', host],
    ]);

    const answer = await waitFor(
      'the preview to answer',
      async () => {
        const res = await httpGet(`http://127.0.0.1:${routerPort}/`, host);
        return res.status === 200 ? res : undefined;
      },
      60_000,
      500,
    );
    expect(answer.body).toContain('hello from vibe busybox');

    const records = await list<{ metadata: { name: string; labels: Record<string, string> } }>(
      `/api/v1/namespaces/${ns}/configmaps`,
      'vibe.dev/environment=web',
    );
    expect(records.items.map((r) => r.metadata.labels['vibe.dev/record']).sort()).toEqual([
      'attempt',
      'plan',
    ]);
    // The sandbox run was the attempt's sandbox gate, and that attempt's manifests became the plan.
    const attempt = records.items.find((r) => r.metadata.labels['vibe.dev/record'] === 'attempt') as
      { data: { record: string } } | undefined;
    const stored = JSON.parse(attempt?.data.record ?? '{}') as StoredAttempt;
    expect(stored.gates?.map((g) => [g.gate, g.ok])).toContainEqual(['sandbox', true]);
    expect(stored.diagnostics).toEqual([]);

    // Each sandbox run cleans up after itself: no pod, no script ConfigMap, no NetworkPolicy.
    expect(run?.deleted).toBe(true);
    const leftovers = await Promise.all(
      [
        `/api/v1/namespaces/${sandboxNamespace}/pods`,
        `/api/v1/namespaces/${sandboxNamespace}/configmaps`,
        `/apis/networking.k8s.io/v1/namespaces/${sandboxNamespace}/networkpolicies`,
      ].map(async (path) => (await list<unknown>(path, 'app.kubernetes.io/managed-by=vibe')).items),
    );
    expect(leftovers).toEqual([[], [], []]);

    await waitFor(
      'the VibeEnvironment to be deleted at its TTL',
      async () => (await getEnvironment(client, ns, 'web')) === undefined,
      600_000,
      1000,
    );
    const reasons = (await eventsFor(client, ns, 'web')).map((e) => e.reason);
    for (const reason of [
      'Planning',
      'Planned',
      'Applied',
      'Ready',
      'ExpiringSoon',
      'Expired',
      'DeletingNamespace',
    ]) {
      expect(reasons).toContain(reason);
    }
    const gone = await client.request({ method: 'GET', path: `/api/v1/namespaces/${target}` }).then(
      () => false,
      (err: unknown) => isApiError(err, 404),
    );
    expect(gone).toBe(true);
    const left = await waitFor(
      'the attempt and plan records to be collected',
      async () => {
        const items = (await list(`/api/v1/namespaces/${ns}/configmaps`, 'vibe.dev/environment=web')).items;
        return items.length === 0 ? items : undefined;
      },
      120_000,
      1000,
    );
    expect(left).toEqual([]);
  }, 900_000);
});
