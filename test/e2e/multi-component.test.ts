/**
 * A multi-component environment on the full local cluster: examples/web-postgres-redis.yaml (the
 * demo app behind a postgres database and a redis cache) through the operator with the offline
 * planner, to Ready, and its preview fetched from the host through Traefik, where the page shows
 * what the app reached through the wiring the building blocks gave it. A variant whose database
 * port is wrong never becomes Ready, and the rollout diagnostic names the dependency it missed.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { VibeEnvironment } from '../../operator/src/api/vibe-environment.js';
import type { StoredAttempt } from '../../operator/src/environment/index.js';
import { importExampleImages, LOCAL_IMAGE_MIRRORS } from '../support/example-images.js';
import { httpGet } from '../support/http-get.js';
import { CONTROLLER_FLAGS, ingressUrl } from '../support/ingress.js';
import {
  createNamespace,
  deleteNamespace,
  environmentsPath,
  getEnvironment,
  installCrds,
  testClient,
  waitFor,
  waitForPhase,
} from '../support/kube.js';
import { OperatorProcess } from '../support/operator-process.js';

const client = testClient();
const example = parse(readFileSync('examples/web-postgres-redis.yaml', 'utf8')) as VibeEnvironment;
let ns: string;
let operator: OperatorProcess;

beforeAll(async () => {
  importExampleImages();
  await installCrds(client);
  ns = await createNamespace(client, 'multi');
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
    ...LOCAL_IMAGE_MIRRORS,
  ]);
  await operator.ready(60_000);
}, 600_000);

afterAll(async () => {
  await operator?.stop();
  if (ns) await deleteNamespace(client, ns);
  client.close();
});

describe('web + postgres + redis through the operator', () => {
  it('becomes Ready and its preview shows the database version and the cache answer', async () => {
    await client.request({ method: 'POST', path: environmentsPath(ns), body: example });
    const name = example.metadata.name;
    await waitForPhase(client, ns, name, 'Ready', 300_000).catch((err: unknown) => {
      throw new Error(`${(err as Error).message}; the operator said:\n${operator.complaints()}`);
    });
    const env = await getEnvironment<VibeEnvironment>(client, ns, name);
    const host = new URL(env?.status?.previewUrl ?? 'http://missing/').hostname;
    expect(env?.status?.plan?.images?.sort()).toEqual([
      'localhost/vibe/demo-app:1',
      'localhost/vibe/postgres:15-alpine',
      'localhost/vibe/redis:7-alpine',
    ]);
    const page = await waitFor(
      `${host} to answer through Traefik`,
      async () => {
        const res = await httpGet(ingressUrl(), host);
        return res.status === 200 ? res.body : undefined;
      },
      60_000,
      500,
    );
    expect(page).toMatch(/^database: PostgreSQL 15\.\d+ /m);
    expect(page).toMatch(/^cache: PONG$/m);
  }, 600_000);

  it('does not become Ready when the database port is wrong, and the diagnostic names the database', async () => {
    const broken = structuredClone(example);
    broken.metadata.name = 'orders-wrong-port';
    broken.spec.intent = `${example.spec.intent}, env PGPORT=5433`;
    broken.spec.budget = { maxAttempts: 1, maxTokens: 200_000 };
    await client.request({ method: 'POST', path: environmentsPath(ns), body: broken });
    await waitForPhase(client, ns, broken.metadata.name, 'Failed', 300_000);
    const failed = await getEnvironment<VibeEnvironment>(client, ns, broken.metadata.name);
    expect(failed?.status?.message).toContain('The rollout failed');
    expect(failed?.status?.message).toContain('readinessProbe of container demo-app fails');
    expect(failed?.status?.message).toContain('database unreachable at postgres:5433');

    const records = await client.request<{
      items: Array<{ metadata: { labels: Record<string, string> }; data?: { record?: string } }>;
    }>({
      method: 'GET',
      path: `/api/v1/namespaces/${ns}/configmaps`,
      query: { labelSelector: 'vibe.dev/record=attempt' },
    });
    const runtime = records.items.flatMap(
      (r) => (JSON.parse(r.data?.record ?? '{}') as StoredAttempt).runtime ?? [],
    );
    expect(runtime).toContainEqual(
      expect.objectContaining({
        code: 'VIBE_ROLLOUT_PROBE_FAILED',
        object: 'Deployment/demo-app',
        message: expect.stringContaining('database unreachable at postgres:5433'),
      }),
    );
  }, 600_000);
});
