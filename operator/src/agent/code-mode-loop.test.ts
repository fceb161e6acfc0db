/**
 * The Code Mode loop end to end with the real Anthropic and OpenAI SDKs, through the model gateway,
 * against the local replay server: a type error then a fix, a policy violation then a fix, and a
 * model stuck on one error until the loop stops it. Scripts run in the process executor.
 */

import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadScenario } from '../../../test/replay/scenario.js';
import { startReplayServer, type ReplayServer } from '../../../test/replay/server.js';
import { compileIntent, createModelGateway, modelGatewayConfigSchema } from '../models/index.js';
import { DEFAULT_POLICY } from '../policy/index.js';
import { processExecutor } from '../sandbox/process-executor.js';
import { runAgent } from './loop.js';
import { modelAuthor } from './model-author.js';
import { toolCallingAuthor } from './tool-calling-author.js';
import { temporaryDirectory } from '../../../test/support/temp-dir.js';

// The first type-check loads the TypeScript compiler: slow on a busy machine, not a failure.
vi.setConfig({ testTimeout: 30_000 });

const fixtures = fileURLToPath(new URL('../../../test/replay/fixtures/', import.meta.url));
const executor = processExecutor({
  cacheDir: process.env.VIBE_CACHE ?? temporaryDirectory('vibe-cache-'),
});
const servers: ReplayServer[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

type Api = 'anthropic' | 'openai';

async function plan(
  scenario: string | Parameters<typeof startReplayServer>[0]['scenario'],
  api: Api,
  maxAttempts = 6,
  mode: 'code' | 'tools' = 'code',
) {
  const server = await startReplayServer({
    scenario: typeof scenario === 'string' ? loadScenario(join(fixtures, scenario)) : scenario,
  });
  servers.push(server);
  const provider =
    api === 'anthropic'
      ? { kind: 'anthropic' as const, model: 'claude-sonnet-5-5', apiKey: 'sk-ant-test', baseURL: server.url }
      : { kind: 'openai-compatible' as const, model: 'qwen2.5-coder', baseURL: `${server.url}/v1` };
  const gateway = await createModelGateway(modelGatewayConfigSchema.parse({ providers: [provider] }), {
    registry: new Registry(),
    logger: pino({ level: 'silent' }),
    offlinePlanner: compileIntent,
    sleep: async () => undefined,
  });
  const session = gateway.session({ environment: 'team-a/shop' });
  const facts = { previewDomain: 'preview.test' };
  const author =
    mode === 'code'
      ? modelAuthor({ session, policy: DEFAULT_POLICY, facts })
      : toolCallingAuthor({ session, policy: DEFAULT_POLICY, facts });
  const outcome = await runAgent({
    intent: 'the shop service ghcr.io/acme/shop:1.4 on port 8080, public',
    author,
    executor,
    policy: DEFAULT_POLICY,
    namespace: 'team-a-shop',
    maxAttempts,
  });
  return { outcome, server, api };
}

const requestsTo = (server: ReplayServer, api: Api) => server.count(api);

describe.each<Api>(['anthropic', 'openai'])('Code Mode loop over %s', (api) => {
  it('sends a type error back and accepts the fixed script', async () => {
    const { outcome, server } = await plan('typecheck-then-fixed.json', api);
    expect(outcome.ok).toBe(true);
    expect(outcome.attempts.map((a) => a.diagnostics.map((d) => d.code))).toEqual([['TS2322'], []]);
    expect(requestsTo(server, api)).toBe(2);
    expect(JSON.stringify(server.requests[1]!.body)).toContain('TS2322');
    expect(outcome.usage.roundTrips).toBe(2);
    expect(outcome.usage.inputTokens).toBeGreaterThan(0);
    expect(outcome.manifests.map((m) => m.kind)).toContain('Deployment');
  });

  it('sends policy violations back and accepts the fixed script', async () => {
    const { outcome, server } = await plan('policy-then-fixed.json', api);
    expect(outcome.ok).toBe(true);
    const first = outcome.attempts[0]!.diagnostics;
    expect(first.every((d) => d.gate === 'policy')).toBe(true);
    expect(first.map((d) => d.code)).toEqual(
      expect.arrayContaining([
        'VIBE_POLICY_HOST_NAMESPACE',
        'VIBE_POLICY_PRIVILEGED',
        'VIBE_POLICY_HOST_PORT',
      ]),
    );
    expect(JSON.stringify(server.requests[1]!.body)).toContain('hostNetwork');
    expect(outcome.manifests.find((m) => m.kind === 'Ingress')).toBeDefined();
  });

  it('stops a model stuck on the same error, after asking it for a rewrite', async () => {
    const { outcome, server } = await plan('stuck-model.json', api, 10);
    expect(outcome.ok).toBe(false);
    expect(outcome.failure).toMatchObject({ code: 'VIBE_AGENT_STUCK', gate: 'typecheck', refused: false });
    expect(outcome.attempts).toHaveLength(3);
    expect(requestsTo(server, api)).toBe(3);
    expect(JSON.stringify(server.requests[2]!.body)).toContain('Do not patch the program');
  });

  it('reaches the same manifests through JSON tool calls, one turn per block', async () => {
    const turns = [
      { toolCalls: [{ name: 'postgres', input: { name: 'db' } }] },
      {
        toolCalls: [
          {
            name: 'webService',
            input: {
              name: 'shop',
              spec: { image: 'ghcr.io/acme/shop:1.4', port: 8080, public: true, uses: ['db'] },
            },
          },
        ],
      },
      { text: 'The environment is declared.' },
    ];
    const { outcome, server } = await plan(
      { name: 'tools', anthropic: turns, openai: turns },
      api,
      2,
      'tools',
    );
    expect(outcome.ok).toBe(true);
    expect(outcome.usage.roundTrips).toBe(3);
    expect(requestsTo(server, api)).toBe(3);
    expect(outcome.script).toContain('webService("shop", {"image":"ghcr.io/acme/shop:1.4"');
    expect(outcome.manifests.map((m) => `${m.kind}/${(m.metadata as { name: string }).name}`)).toEqual([
      'Secret/db-connection',
      'Deployment/db',
      'Service/db',
      'Deployment/shop',
      'Service/shop',
      'Ingress/shop',
    ]);
  });
});
