/**
 * The automated debugging loop and restart safety, with the real Anthropic SDK
 * pointed at the replay server. The first program names an image the node does
 * not have; the rollout failure (ErrImagePull / ImagePullBackOff) goes back to
 * the model, whose second program fixes it. Killing the operator while it plans
 * and while it applies never costs a second model call, an orphan namespace or
 * a duplicate object.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VibeEnvironment } from '../../operator/src/api/vibe-environment.js';
import { startReplayServer, type ReplayServer } from '../replay/server.js';
import { loadScenario } from '../replay/scenario.js';
import {
  createNamespace,
  deleteNamespace,
  environment,
  environmentsPath,
  eventsFor,
  getEnvironment,
  installCrds,
  testClient,
  waitFor,
} from '../support/kube.js';
import { OperatorProcess } from '../support/operator-process.js';
import { replayOperatorConfig } from '../support/replay-operator-config.js';
import { temporaryDirectory } from '../support/temp-dir.js';

const client = testClient();
const configDir = temporaryDirectory('vibe-debug-');
const running: OperatorProcess[] = [];
let ns: string;
let replay: ReplayServer;
let configFile: string;

const start = async () => {
  const op = await OperatorProcess.start(['--namespace', ns, '--config', configFile]);
  running.push(op);
  await op.ready(60_000);
  return op;
};
const list = async (p: string, labelSelector?: string) =>
  (
    await client.request<{
      items: Array<{
        metadata: { name: string; labels?: Record<string, string> };
        data?: Record<string, string>;
      }>;
    }>({
      method: 'GET',
      path: p,
      ...(labelSelector ? { query: { labelSelector } } : {}),
    })
  ).items;
const phaseOf = async (name: string) =>
  (await getEnvironment<VibeEnvironment>(client, ns, name))?.status?.phase;

beforeAll(async () => {
  await installCrds(client);
  ns = await createNamespace(client, 'lc-debug');
  replay = await startReplayServer({
    scenario: loadScenario(path.join(import.meta.dirname, 'fixtures/image-missing-then-fixed.json')),
  });
  configFile = replayOperatorConfig(configDir, replay.url);
});

afterAll(async () => {
  for (const op of running) await op.stop();
  await replay?.close();
  if (ns) await deleteNamespace(client, ns);
  client.close();
});

describe('the debugging loop', () => {
  it('feeds the image pull failure back, the fixed program rolls out, restarts never ask again', async () => {
    const first = await start();
    await client.request({
      method: 'POST',
      path: environmentsPath(ns),
      body: environment('shop', {
        intent: 'A public web app serving static files with busybox httpd on port 8080',
        ttl: '30m',
        budget: { maxAttempts: 3, maxTokens: 200000 },
      }),
    });

    // Killed while planning: the model has answered and the attempt is stored, the plan is not yet.
    await waitFor(
      'the first attempt to be stored',
      async () => (await list(`/api/v1/namespaces/${ns}/configmaps`, 'vibe.dev/record=attempt')).length > 0,
      120_000,
      50,
    );
    await first.kill('SIGKILL');
    expect(replay.count('anthropic')).toBe(1);

    const second = await start();
    await waitFor(
      'the rollout failure to be fed back',
      async () => replay.count('anthropic') === 2,
      240_000,
      250,
    );
    const fix = JSON.stringify(replay.requests[1]!.body);
    expect(fix).toContain('localhost/vibe/no-such-image:1');
    expect(fix).toMatch(/ErrImagePull|ImagePullBackOff/);
    expect(fix).toContain('[rollout]');

    // Killed while applying the fixed plan.
    await waitFor(
      'the fixed plan to be applying',
      async () => (['Applying', 'Progressing'].includes((await phaseOf('shop')) ?? '') ? true : undefined),
      120_000,
      50,
    );
    await second.kill('SIGKILL');

    await start();
    const ready = await waitFor(
      'phase Ready',
      async () => {
        const env = await getEnvironment<VibeEnvironment>(client, ns, 'shop');
        return env?.status?.phase === 'Ready' ? env : undefined;
      },
      240_000,
      500,
    );
    expect(ready.status?.attempts).toBe(2);
    expect(replay.count('anthropic')).toBe(2);
    // Both answers' scripted tokens, priced at claude-sonnet-5-5's list price ($2/$10 per MTok, cache
    // writes 1.25x and reads 0.1x input), once each although every operator replayed attempt 1.
    const cost = (900 * 2 + 120 * 10 + 3000 * 2.5 + 1100 * 2 + 140 * 10 + 3000 * 0.2) / 1_000_000;
    expect(ready.status?.usage).toEqual({ tokens: 8260, cost: String(cost) });

    const target = `vibe-${ns}-shop`;
    const owned = (await list('/api/v1/namespaces', 'app.kubernetes.io/managed-by=vibe-operator')).filter(
      (n) => n.metadata.name.startsWith(`vibe-${ns}-`),
    );
    expect(owned.map((n) => n.metadata.name)).toEqual([target]);
    expect(
      (await list(`/apis/apps/v1/namespaces/${target}/deployments`)).map((d) => d.metadata.name),
    ).toEqual(['web']);

    const attempts = (await list(`/api/v1/namespaces/${ns}/configmaps`, 'vibe.dev/record=attempt'))
      .map(
        (cm) =>
          JSON.parse(cm.data!.record!) as {
            attempt: number;
            script: string;
            runtime?: Array<{ code: string }>;
          },
      )
      .sort((a, b) => a.attempt - b.attempt);
    expect(attempts.map((a) => a.attempt)).toEqual([1, 2]);
    expect(attempts[0]!.script).toContain('no-such-image');
    expect(attempts[0]!.runtime?.length).toBeGreaterThan(0);
    expect(attempts[1]!.script).toContain('localhost/vibe/busybox:test');
    expect(attempts[1]!.runtime).toBeUndefined();

    const reasons = (await eventsFor(client, ns, 'shop')).map((e) => e.reason);
    expect(reasons).toContain('RolloutFailed');
    expect(reasons).toContain('Ready');

    // A ttl change is a new generation, yet no new model call.
    await client.request({
      method: 'PATCH',
      path: environmentsPath(ns, 'shop'),
      contentType: 'application/merge-patch+json',
      body: { spec: { ttl: '45m' } },
    });
    const extended = await waitFor('the ttl change to be handled', async () => {
      const env = await getEnvironment<VibeEnvironment>(client, ns, 'shop');
      return env?.status?.observedGeneration === 2 && env.status.phase === 'Ready' ? env : undefined;
    });
    expect(replay.count('anthropic')).toBe(2);
    expect(extended.status?.usage).toEqual(ready.status?.usage);
  }, 900_000);
});
