/**
 * The server-side dry-run gate against the real kube-apiserver, built as the operator and
 * `vibe plan` build it (environment/planning/plan-checks.ts): the dry-run runs as the environment's applier user in
 * an isolated namespace. A planned environment passes without anything being stored, and an
 * object the API server refuses comes back as a diagnostic.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAgent } from '../../operator/src/agent/loop.js';
import { offlineAuthor } from '../../operator/src/agent/offline-author.js';
import type { ScriptAuthor } from '../../operator/src/agent/script-author.js';
import { parseVibeEnvironmentSpec, type VibeEnvironment } from '../../operator/src/api/vibe-environment.js';
import {
  clusterRuntime,
  isolationObjects,
  environmentSettings,
  planChecks,
} from '../../operator/src/environment/index.js';
import { configSchema } from '../../operator/src/config.js';
import { DEFAULT_POLICY } from '../../operator/src/policy/index.js';
import { applyObject } from '../../operator/src/reconciler/apply.js';
import { RestMapper } from '../../operator/src/reconciler/rest-mapper.js';
import { processExecutor } from '../../operator/src/sandbox/process-executor.js';
import { testClient } from '../support/kube.js';
import { temporaryDirectory } from '../support/temp-dir.js';

const client = testClient();
const mapper = new RestMapper(client);
const settings = environmentSettings(configSchema.parse({}), undefined);
const env: VibeEnvironment = {
  apiVersion: 'vibe.dev/v1alpha1',
  kind: 'VibeEnvironment',
  metadata: { name: `dry-run-${process.pid}`, namespace: 'default', uid: `uid-${process.pid}` },
  spec: parseVibeEnvironmentSpec({ intent: 'a dry run' }),
};
const namespace = `vibe-default-dry-run-${process.pid}`;
const executor = processExecutor({
  cacheDir: process.env.VIBE_CACHE ?? temporaryDirectory('vibe-cache-'),
});
const runtime = clusterRuntime({ client, mapper, fieldManager: 'vibe-tests', isolation: settings.isolation });
const checks = planChecks({ policy: DEFAULT_POLICY, settings, runtime })(
  env,
  namespace,
  new AbortController().signal,
);

describe('server-side dry-run gate', () => {
  beforeAll(async () => {
    for (const object of isolationObjects(env, namespace, settings.isolation)) {
      await applyObject(client, mapper, object, 'vibe-tests');
    }
  });

  afterAll(async () => {
    await client.request({ method: 'DELETE', path: `/api/v1/namespaces/${namespace}` });
  });

  it('passes a planned environment as the applier and stores nothing', async () => {
    const outcome = await runAgent({
      intent:
        'A preview of my API, image ghcr.io/acme/orders-api:pr-42 listening on port 8080, with a Postgres database. Make it public.',
      author: offlineAuthor,
      executor,
      ...checks,
      maxAttempts: 1,
    });
    expect(outcome.diagnostics).toEqual([]);
    expect(outcome.ok).toBe(true);
    expect(outcome.attempts[0]!.gates.map((g) => g.gate)).toEqual([
      'author',
      'typecheck',
      'sandbox',
      'preview',
      'policy',
      'dry-run',
    ]);
    expect(outcome.checkedSha256).toMatch(/^[0-9a-f]{64}$/);
    const ingress = outcome.manifests.find((m) => m.kind === 'Ingress') as
      { spec: { rules: { host: string }[] } } | undefined;
    expect(ingress?.spec.rules.map((r) => r.host)).toEqual([`${env.metadata.name}-default.vibe.localhost`]);
    const stored = await client.request<{ items: unknown[] }>({
      method: 'GET',
      path: `/apis/apps/v1/namespaces/${namespace}/deployments`,
    });
    expect(stored.items).toHaveLength(0);
  });

  it('turns an object the API server refuses into a diagnostic naming it', async () => {
    const script = `import { apiObject } from '@vibe/sdk';
apiObject({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'settings', labels: { 'not a valid label key!': 'x' } },
  data: { mode: 'full' },
});`;
    const author: ScriptAuthor = { name: 'fixed', write: async () => ({ ok: true, script }) };
    const outcome = await runAgent({ intent: 'a config map', author, executor, ...checks, maxAttempts: 1 });
    expect(outcome.ok).toBe(false);
    expect(outcome.diagnostics).toEqual([
      expect.objectContaining({ gate: 'dry-run', code: 'VIBE_APPLY_INVALID', object: 'ConfigMap/settings' }),
    ]);
    expect(outcome.diagnostics[0]!.message).toMatch(/not a valid label key|name part must consist/);
  });
});
