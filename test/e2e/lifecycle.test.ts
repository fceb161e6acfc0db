/**
 * The whole lifecycle on the full local cluster with the offline planner and
 * the runsc (gVisor) executor: an example environment is planned, isolated,
 * applied, rolled out and served at its preview URL through the preview
 * router, then torn down by its 2-minute TTL with nothing left behind.
 */
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { VibeEnvironment } from '../../operator/src/api/vibe-environment.js';
import { isApiError } from '../../operator/src/reconciler/errors.js';
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
import { OperatorProcess } from '../support/operator-process.js';

const client = testClient();
let ns: string;
let operator: OperatorProcess;
let routerPort: number;

const list = <T>(path: string, labelSelector?: string) =>
  client.request<{ items: T[] }>({
    method: 'GET',
    path,
    ...(labelSelector ? { query: { labelSelector } } : {}),
  });

function get(port: number, host: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get(`http://127.0.0.1:${port}/`, { headers: { host } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
      })
      .on('error', reject);
  });
}

beforeAll(async () => {
  await installCrds(client);
  ns = await createNamespace(client, 'lc-e2e');
  operator = await OperatorProcess.start([
    '--namespace',
    ns,
    '--planner',
    'offline',
    '--executor',
    'runsc',
    '--preview-router',
    '--preview-router-address',
    '127.0.0.1:0',
    '--expiry-warning',
    '1m',
  ]);
  await operator.ready(60_000);
  routerPort = await waitFor('the preview router port', async () => {
    const line = operator.logs.find((l) => l.msg === 'preview router listening');
    return line?.port as number | undefined;
  });
});

afterAll(async () => {
  await operator?.stop();
  if (ns) await deleteNamespace(client, ns);
  client.close();
});

describe('an example environment on the local cluster', () => {
  it('is planned under gVisor, isolated, rolled out, previewed, then expires with nothing left', async () => {
    const example = parse(readFileSync('examples/web-app.yaml', 'utf8')) as VibeEnvironment;
    example.spec.ttl = '2m';
    await client.request({ method: 'POST', path: environmentsPath(ns), body: example });
    const planner = operator.logs.find((l) => l.msg === 'planner ready');
    expect(planner).toMatchObject({ planner: 'agent/offline', executor: 'runsc' });
    expect(operator.logs.some((l) => String(l.msg).startsWith('UNSAFE'))).toBe(false);

    const phases: string[] = [];
    const ready = await waitFor(
      'phase Ready',
      async () => {
        const env = await getEnvironment<VibeEnvironment>(client, ns, 'web');
        const phase = env?.status?.phase;
        if (phase && phases.at(-1) !== phase) phases.push(phase);
        return phase === 'Ready' ? env : undefined;
      },
      180_000,
      250,
    );
    expect(phases).toContain('Ready');
    expect(phases).not.toContain('Failed');

    const target = `vibe-${ns}-web`;
    expect(ready.status).toMatchObject({ namespace: target, attempts: 1, plan: { objects: 3 } });
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
        const res = await get(routerPort, host);
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
