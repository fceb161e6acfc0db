/**
 * The server-side dry-run gate against the real kube-apiserver: a planned environment passes without
 * anything being stored, and an object the API server refuses comes back as a diagnostic.
 */
import { CoreV1Api, KubeConfig, AppsV1Api } from '@kubernetes/client-node';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serverDryRun } from '../../operator/src/agent/dry-run-gate.js';
import { runAgent } from '../../operator/src/agent/loop.js';
import { offlineAuthor } from '../../operator/src/agent/offline-author.js';
import type { ScriptAuthor } from '../../operator/src/agent/script-author.js';
import { DEFAULT_POLICY } from '../../operator/src/policy/index.js';
import { processExecutor } from '../../operator/src/sandbox/process-executor.js';
import { kubeconfigPath } from '../support/kube.js';
import { temporaryDirectory } from '../support/temp-dir.js';

const namespace = `vibe-dry-run-${process.pid}`;
const executor = processExecutor({
  cacheDir: process.env.VIBE_CACHE ?? temporaryDirectory('vibe-cache-'),
});

describe('server-side dry-run gate', () => {
  let core: CoreV1Api;
  let apps: AppsV1Api;

  beforeAll(async () => {
    const config = new KubeConfig();
    config.loadFromFile(kubeconfigPath());
    core = config.makeApiClient(CoreV1Api);
    apps = config.makeApiClient(AppsV1Api);
    await core.createNamespace({ body: { metadata: { name: namespace } } });
  });

  afterAll(async () => {
    await core.deleteNamespace({ name: namespace });
  });

  it('passes a planned environment and stores nothing', async () => {
    const outcome = await runAgent({
      intent:
        'A preview of my API, image ghcr.io/acme/orders-api:pr-42 listening on port 8080, with a Postgres database. Make it public.',
      author: offlineAuthor,
      executor,
      policy: DEFAULT_POLICY,
      namespace,
      dryRun: serverDryRun(kubeconfigPath(), namespace),
      maxAttempts: 1,
    });
    expect(outcome.diagnostics).toEqual([]);
    expect(outcome.ok).toBe(true);
    expect(outcome.attempts[0]!.gates.map((g) => g.gate)).toEqual([
      'author',
      'typecheck',
      'sandbox',
      'policy',
      'dry-run',
    ]);
    const stored = await apps.listNamespacedDeployment({ namespace });
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
    const outcome = await runAgent({
      intent: 'a config map',
      author,
      executor,
      policy: DEFAULT_POLICY,
      namespace,
      dryRun: serverDryRun(kubeconfigPath(), namespace),
      maxAttempts: 1,
    });
    expect(outcome.ok).toBe(false);
    expect(outcome.diagnostics).toEqual([
      expect.objectContaining({
        gate: 'dry-run',
        code: 'VIBE_DRY_RUN_REJECTED',
        object: 'ConfigMap/settings',
      }),
    ]);
    expect(outcome.diagnostics[0]!.message).toMatch(/not a valid label key/);
  });
});
