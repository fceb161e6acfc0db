import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { loadScenario } from '../../../test/replay/scenario.js';
import { startReplayServer, type ReplayServer } from '../../../test/replay/server.js';
import { modelGatewayConfigSchema, type ModelGatewayConfigInput } from './config.js';
import { createModelGateway } from './create-gateway.js';
import { AllProvidersFailedError, BudgetExhaustedError } from './errors.js';
import { OfflinePlanRefusedError, type OfflinePlanner } from './offline/provider.js';
import type { Message, ModelRequest } from './types.js';

const fixtures = fileURLToPath(new URL('../../../test/replay/fixtures/', import.meta.url));
const servers: ReplayServer[] = [];
const dirs: string[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

async function replay(scenario: Parameters<typeof startReplayServer>[0]['scenario']) {
  const server = await startReplayServer({ scenario });
  servers.push(server);
  return server;
}

async function gatewayFor(
  config: ModelGatewayConfigInput,
  offlinePlanner: OfflinePlanner = () => ({ ok: true, script: '' }),
  now: () => number = Date.now,
) {
  const registry = new Registry();
  const logLines: string[] = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => void logLines.push(line) });
  const sleeps: number[] = [];
  const gateway = await createModelGateway(modelGatewayConfigSchema.parse(config), {
    registry,
    logger,
    offlinePlanner,
    sleep: async (ms) => void sleeps.push(ms),
    random: () => 0.5,
    now,
  });
  return { gateway, registry, logLines, sleeps };
}

async function metric(registry: Registry, name: string, labels: Record<string, string>): Promise<number> {
  const values = (await registry.getSingleMetric(name)?.get())?.values ?? [];
  return values
    .filter((v) => Object.entries(labels).every(([k, want]) => v.labels[k] === want))
    .reduce((sum, v) => sum + v.value, 0);
}

const anthropic = (url: string, extra: object = {}) => ({
  kind: 'anthropic' as const,
  model: 'claude-sonnet-5-5',
  apiKey: 'sk-ant-gateway-test-key-0001',
  baseURL: url,
  ...extra,
});
const local = (url: string, extra: object = {}) => ({
  kind: 'openai-compatible' as const,
  name: 'local',
  model: 'qwen2.5-coder:14b',
  baseURL: `${url}/v1`,
  ...extra,
});

const request: ModelRequest = {
  system: 'You write one TypeScript program against the environment SDK.',
  typings: 'declare function webService(name: string, spec: { image: string; port?: number }): void;',
  messages: [{ role: 'user', content: 'nginx on port 8080, public' }],
};

describe('ModelGateway with the real SDKs against the replay server', () => {
  it('retries a 429 after the retry-after it was given, and counts the retry', async () => {
    const server = await replay(loadScenario(`${fixtures}anthropic-429-then-success.json`));
    const { gateway, registry, sleeps } = await gatewayFor({ providers: [anthropic(server.url)] });
    const session = gateway.session({ environment: 'team-a/web' });

    const answer = await session.complete(request);

    expect(answer.text).toContain("webService('hello'");
    expect(server.count('anthropic')).toBe(2);
    expect(sleeps).toEqual([2000]);
    const labels = { provider: 'anthropic', model: 'claude-sonnet-5-5' };
    expect(
      await metric(registry, 'vibe_model_retries_total', { ...labels, code: 'VIBE_MODEL_RATE_LIMITED' }),
    ).toBe(1);
    expect(
      await metric(registry, 'vibe_model_requests_total', { ...labels, outcome: 'retryable_error' }),
    ).toBe(1);
    expect(await metric(registry, 'vibe_model_requests_total', { ...labels, outcome: 'success' })).toBe(1);
    expect(session.usage).toMatchObject({ attempts: 2, roundTrips: 1, cacheHits: 0 });
  });

  it('counts tokens by kind and cost from the list price', async () => {
    const server = await replay(loadScenario(`${fixtures}anthropic-429-then-success.json`));
    const { gateway, registry } = await gatewayFor({ providers: [anthropic(server.url)] });
    const session = gateway.session({ environment: 'team-a/web' });
    const answer = await session.complete(request);

    const labels = { provider: 'anthropic', model: 'claude-sonnet-5-5' };
    expect(await metric(registry, 'vibe_model_tokens_total', { ...labels, kind: 'input' })).toBe(1200);
    expect(await metric(registry, 'vibe_model_tokens_total', { ...labels, kind: 'output' })).toBe(150);
    expect(await metric(registry, 'vibe_model_tokens_total', { ...labels, kind: 'cache_creation' })).toBe(
      3000,
    );
    expect(await metric(registry, 'vibe_model_tokens_total', { ...labels, kind: 'cache_read' })).toBe(0);
    // $2/MTok in, $10/MTok out, cache writes at 1.25 x input.
    const expected = (1200 * 2 + 150 * 10 + 3000 * 2.5) / 1_000_000;
    expect(await metric(registry, 'vibe_model_cost_usd_total', labels)).toBeCloseTo(expected, 12);
    expect(session.usage.costUsd).toBeCloseTo(expected, 12);
    expect(answer.costUsd).toBeCloseTo(expected, 12);
    expect(session.usage.tokens).toEqual({
      inputTokens: 1200,
      outputTokens: 150,
      cacheCreationTokens: 3000,
      cacheReadTokens: 0,
    });
  });

  it('falls back to the next provider after a provider keeps answering 500', async () => {
    const scenario = loadScenario(`${fixtures}anthropic-500-then-openai.json`);
    const server = await replay(scenario);
    const { gateway, registry, sleeps } = await gatewayFor({
      providers: [anthropic(server.url), local(server.url)],
      retry: { maxRetries: 2 },
    });
    const session = gateway.session({ environment: 'team-a/web' });

    const answer = await session.complete(request);

    expect(answer.provider).toBe('local');
    expect(server.count('anthropic')).toBe(3);
    expect(server.count('openai')).toBe(1);
    // Equal jitter with random() = 0.5: 3/4 of 500 ms, then of 1000 ms.
    expect(sleeps).toEqual([375, 750]);
    expect(await metric(registry, 'vibe_model_fallbacks_total', { provider: 'anthropic' })).toBe(1);
    expect(await metric(registry, 'vibe_model_retries_total', { code: 'VIBE_MODEL_SERVER_ERROR' })).toBe(2);
    expect(session.usage.attempts).toBe(4);
  });

  it('falls back at once when retry-after asks for longer than the gateway will wait', async () => {
    const server = await replay({
      anthropic: [{ status: 429, headers: { 'retry-after': '600' } }],
      openai: [{ text: 'from local' }],
    });
    const { gateway, sleeps } = await gatewayFor({ providers: [anthropic(server.url), local(server.url)] });
    const answer = await gateway.session({ environment: 'e/1' }).complete(request);
    expect(answer.text).toBe('from local');
    expect(sleeps).toEqual([]);
    expect(server.count('anthropic')).toBe(1);
  });

  it('does not retry a refused key but still falls back', async () => {
    const server = await replay({ anthropic: [{ status: 401 }], openai: [{ text: 'ok' }] });
    const { gateway, registry } = await gatewayFor({ providers: [anthropic(server.url), local(server.url)] });
    await gateway.session({ environment: 'e/1' }).complete(request);
    expect(server.count('anthropic')).toBe(1);
    expect(await metric(registry, 'vibe_model_retries_total', {})).toBe(0);
  });

  it('skips a provider it just gave up on until its cool-down ends', async () => {
    const server = await replay({
      anthropic: [{ status: 500 }, { status: 500 }, { text: 'anthropic is back' }],
      openai: [{ text: 'local 1' }, { text: 'local 2' }],
    });
    let now = 0;
    const { gateway, registry } = await gatewayFor(
      { providers: [anthropic(server.url), local(server.url)], retry: { maxRetries: 1, cooldownMs: 30_000 } },
      undefined,
      () => now,
    );
    const session = gateway.session({ environment: 'e/1' });
    const ask = (content: string) => session.complete({ ...request, messages: [{ role: 'user', content }] });

    expect((await ask('one')).text).toBe('local 1');
    now = 29_000;
    expect((await ask('two')).text).toBe('local 2');
    expect(server.count('anthropic')).toBe(2);
    expect(await metric(registry, 'vibe_model_cooldown_skips_total', { provider: 'anthropic' })).toBe(1);
    now = 30_001;
    expect((await ask('three')).text).toBe('anthropic is back');
    // Two to anthropic and one to local, one to local while anthropic cools down, one to anthropic.
    expect(session.usage.attempts).toBe(5);
  });

  it('does not cool a provider down for one rejected request', async () => {
    const server = await replay({
      anthropic: [{ status: 400, message: 'prompt is too long' }, { text: 'fine' }],
      openai: [{ text: 'local' }],
    });
    const { gateway } = await gatewayFor({ providers: [anthropic(server.url), local(server.url)] });
    const session = gateway.session({ environment: 'e/1' });
    expect((await session.complete(request)).text).toBe('local');
    const next = await session.complete({ ...request, messages: [{ role: 'user', content: 'short' }] });
    expect(next.text).toBe('fine');
  });

  it.each([
    [undefined, 2],
    [1, 1],
  ])('keeps requests in flight to a provider within maxConcurrent %s', async (maxConcurrent, expected) => {
    const server = await replay({
      openai: [
        { text: 'a', delayMs: 100 },
        { text: 'b', delayMs: 100 },
      ],
    });
    const { gateway } = await gatewayFor({ providers: [local(server.url, { maxConcurrent })] });
    const ask = (environment: string) =>
      gateway
        .session({ environment })
        .complete({ ...request, messages: [{ role: 'user', content: environment }] });

    const answers = await Promise.all([ask('e/1'), ask('e/2')]);

    expect(answers.map((a) => a.text).sort()).toEqual(['a', 'b']);
    expect(server.maxInFlight()).toBe(expected);
  });

  it('retries a request that timed out', async () => {
    const server = await replay({ anthropic: [{ text: 'late', delayMs: 1_500 }, { text: 'on time' }] });
    const { gateway, registry } = await gatewayFor({
      providers: [anthropic(server.url, { timeoutMs: 200 })],
    });
    const answer = await gateway.session({ environment: 'e/1' }).complete(request);
    expect(answer.text).toBe('on time');
    expect(await metric(registry, 'vibe_model_retries_total', { code: 'VIBE_MODEL_TIMEOUT' })).toBe(1);
  });

  it('throws one error naming every provider when all fail', async () => {
    const server = await replay({
      anthropic: [{ status: 400, message: 'bad model' }],
      openai: [{ status: 404 }],
    });
    const { gateway } = await gatewayFor({ providers: [anthropic(server.url), local(server.url)] });
    const failure = await gateway
      .session({ environment: 'e/1' })
      .complete(request)
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(AllProvidersFailedError);
    expect((failure as AllProvidersFailedError).code).toBe('VIBE_MODEL_ALL_PROVIDERS_FAILED');
    expect((failure as AllProvidersFailedError).failures.map((f) => [f.provider, f.status])).toEqual([
      ['anthropic', 400],
      ['local', 404],
    ]);
    expect((failure as Error).message).toContain('bad model');
  });

  it('answers a repeated request from the cache without a second request', async () => {
    const server = await replay({ anthropic: [{ text: 'first answer' }] });
    const { gateway, registry } = await gatewayFor({ providers: [anthropic(server.url)] });
    const session = gateway.session({ environment: 'e/1' });

    const first = await session.complete(request);
    const second = await session.complete(structuredClone(request));

    expect(server.count('anthropic')).toBe(1);
    expect(first.cached).toBeUndefined();
    expect(second).toEqual({ ...first, cached: true, costUsd: 0 });
    expect(session.usage).toMatchObject({ attempts: 1, roundTrips: 2, cacheHits: 1 });
    expect(await metric(registry, 'vibe_model_cache_lookups_total', { result: 'hit' })).toBe(1);
    expect(await metric(registry, 'vibe_model_cache_lookups_total', { result: 'miss' })).toBe(1);
  });

  it('asks the provider again when the caller wants a fresh answer', async () => {
    const server = await replay({ anthropic: [{ text: 'first sample' }, { text: 'second sample' }] });
    const { gateway } = await gatewayFor({ providers: [anthropic(server.url)] });
    const session = gateway.session({ environment: 'e/1' });

    await session.complete(request);
    const fresh = await session.complete(request, { refresh: true });
    const again = await session.complete(request);

    expect(fresh.text).toBe('second sample');
    expect(again).toEqual({ ...fresh, cached: true, costUsd: 0 });
    expect(server.count('anthropic')).toBe(2);
  });

  it('keeps answers in the cache directory across gateways', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'vibe-model-cache-'));
    dirs.push(directory);
    const server = await replay({ anthropic: [{ text: 'kept on disk' }] });
    const first = await gatewayFor({ providers: [anthropic(server.url)], cache: { directory } });
    await first.gateway.session({ environment: 'e/1' }).complete(request);

    const second = await gatewayFor({ providers: [anthropic(server.url)], cache: { directory } });
    const answer = await second.gateway.session({ environment: 'e/1' }).complete(request);

    expect(answer.text).toBe('kept on disk');
    expect(answer.cached).toBe(true);
    expect(server.count('anthropic')).toBe(1);
  });

  it('stops with a typed error once the attempt budget is spent', async () => {
    const server = await replay({ anthropic: [{ status: 500 }], whenExhausted: 'repeat-last' });
    const { gateway, registry } = await gatewayFor({
      providers: [anthropic(server.url)],
      retry: { maxRetries: 10 },
    });
    const session = gateway.session({ environment: 'team-a/web', budget: { maxAttempts: 3 } });

    const failure = await session.complete(request).catch((e: unknown) => e);

    expect(failure).toBeInstanceOf(BudgetExhaustedError);
    expect(failure).toMatchObject({
      code: 'VIBE_MODEL_BUDGET_EXHAUSTED',
      environment: 'team-a/web',
      limit: 'attempts',
      spent: 3,
      max: 3,
    });
    expect(server.count('anthropic')).toBe(3);
    expect(await metric(registry, 'vibe_model_budget_exhausted_total', { limit: 'attempts' })).toBe(1);
  });

  it('refuses the request after the one that crossed the token budget', async () => {
    const server = await replay({
      anthropic: [
        { text: 'a', usage: { input: 80, output: 30 } },
        { text: 'b', usage: { input: 80, output: 30 } },
      ],
    });
    const { gateway } = await gatewayFor({ providers: [anthropic(server.url)] });
    const session = gateway.session({ environment: 'e/1', budget: { maxTokens: 100 } });

    await session.complete(request);
    const failure = await session
      .complete({ ...request, messages: [{ role: 'user', content: 'another' }] })
      .catch((e: unknown) => e);

    expect(failure).toMatchObject({
      code: 'VIBE_MODEL_BUDGET_EXHAUSTED',
      limit: 'tokens',
      spent: 110,
      max: 100,
    });
    expect(server.count('anthropic')).toBe(1);
  });

  it('caps an environment budget at the gateway budget', async () => {
    const server = await replay({ anthropic: [{ status: 500 }], whenExhausted: 'repeat-last' });
    const { gateway } = await gatewayFor({
      providers: [anthropic(server.url)],
      retry: { maxRetries: 10 },
      budget: { maxAttempts: 2 },
    });
    const failure = await gateway
      .session({ environment: 'e/1', budget: { maxAttempts: 50 } })
      .complete(request)
      .catch((e: unknown) => e);
    expect(failure).toMatchObject({ code: 'VIBE_MODEL_BUDGET_EXHAUSTED', limit: 'attempts', max: 2 });
    expect(server.count('anthropic')).toBe(2);
  });

  it('resumes counting from what an environment spent before a restart', async () => {
    const server = await replay({ anthropic: [{ text: 'a' }, { text: 'b' }] });
    const { gateway } = await gatewayFor({ providers: [anthropic(server.url)], budget: { maxAttempts: 5 } });
    const spent = gateway.session({ environment: 'e/1' }).usage;
    const session = gateway.session({ environment: 'e/1', spent: { ...spent, attempts: 4 } });

    await session.complete(request);
    const failure = await session
      .complete({ ...request, messages: [{ role: 'user', content: 'again' }] })
      .catch((e: unknown) => e);

    expect(failure).toMatchObject({ limit: 'attempts', spent: 5, max: 5 });
    expect(server.count('anthropic')).toBe(1);
  });

  it('counts round trips and tokens of a tool-calling conversation', async () => {
    const server = await replay(loadScenario(`${fixtures}tool-calls.json`));
    const { gateway } = await gatewayFor({ providers: [anthropic(server.url)] });
    const session = gateway.session({ environment: 'e/1' });
    const tools = ['webService', 'expose'].map((name) => ({
      name,
      description: `the ${name} block`,
      inputSchema: { type: 'object' },
    }));
    const messages: Message[] = [...request.messages];
    const called: string[] = [];

    for (;;) {
      const answer = await session.complete({ ...request, tools, messages });
      if (answer.toolCalls.length === 0) break;
      messages.push({ role: 'assistant', content: answer.text, toolCalls: answer.toolCalls });
      for (const call of answer.toolCalls) {
        called.push(call.name);
        messages.push({ role: 'tool', toolCallId: call.id, content: 'ok' });
      }
    }

    expect(called).toEqual(['webService', 'expose']);
    expect(session.usage.roundTrips).toBe(3);
    expect(session.usage.attempts).toBe(3);
    expect(session.usage.tokens.outputTokens).toBeGreaterThan(0);
    expect(session.usage.tokens.cacheReadTokens).toBeGreaterThan(0);
  });
});

describe('ModelGateway when the caller aborts', () => {
  it('stops a request in flight without retrying or falling back', async () => {
    const server = await replay({
      anthropic: [{ text: 'too late', delayMs: 5_000 }],
      openai: [{ text: 'x' }],
    });
    const { gateway, registry } = await gatewayFor({ providers: [anthropic(server.url), local(server.url)] });
    const controller = new AbortController();
    const pending = gateway
      .session({ environment: 'e/1' })
      .complete(request, { signal: controller.signal })
      .catch((e: unknown) => e);
    while (server.count('anthropic') === 0) await new Promise((resolve) => setImmediate(resolve));
    controller.abort();

    const failure = await pending;
    expect(failure).toBeInstanceOf(Error);
    expect((failure as Error).name).not.toBe('ModelProviderError');
    expect(server.count('openai')).toBe(0);
    expect(await metric(registry, 'vibe_model_retries_total', {})).toBe(0);
  });

  it('stops waiting for a retry', async () => {
    const server = await replay({ anthropic: [{ status: 503 }, { text: 'never asked' }] });
    const controller = new AbortController();
    const registry = new Registry();
    const gateway = await createModelGateway(
      modelGatewayConfigSchema.parse({ providers: [anthropic(server.url)] }),
      {
        registry,
        logger: pino({ level: 'silent' }),
        offlinePlanner: () => ({ ok: true, script: '' }),
        sleep: async (_ms, signal) => {
          controller.abort(new Error('environment deleted'));
          signal?.throwIfAborted();
        },
      },
    );
    const failure = await gateway
      .session({ environment: 'e/1' })
      .complete(request, { signal: controller.signal })
      .catch((e: unknown) => e);
    expect((failure as Error).message).toBe('environment deleted');
    expect(server.count('anthropic')).toBe(1);
  });
});

describe('ModelGateway with the offline planner', () => {
  it('answers with the planner program and spends no tokens', async () => {
    const intents: string[] = [];
    const { gateway, registry } = await gatewayFor({ providers: [{ kind: 'offline' }] }, (intent) => {
      intents.push(intent);
      return { ok: true, script: `// ${intent}\nexport default 1;\n` };
    });
    const session = gateway.session({ environment: 'e/1' });
    const answer = await session.complete({
      ...request,
      messages: [
        ...request.messages,
        { role: 'assistant', content: 'x' },
        { role: 'user', content: 'diagnostics' },
      ],
    });

    expect(answer).toMatchObject({ provider: 'offline', model: 'offline-planner', stopReason: 'end' });
    expect(answer.text).toBe('// nginx on port 8080, public\nexport default 1;\n');
    expect(intents).toEqual(['nginx on port 8080, public']);
    expect(session.usage).toMatchObject({ attempts: 1, roundTrips: 1, costUsd: 0 });
    expect(await metric(registry, 'vibe_model_tokens_total', {})).toBe(0);
  });

  it('passes a refusal on with the planner code instead of falling back', async () => {
    const server = await replay({ openai: [{ text: 'should not be asked' }] });
    const { gateway } = await gatewayFor({ providers: [{ kind: 'offline' }, local(server.url)] }, () => ({
      ok: false,
      code: 'VIBE_PLAN_REFUSED',
      message: "'cluster-admin' asks for cluster-wide RBAC, which is outside an environment.",
    }));
    const failure = await gateway
      .session({ environment: 'e/1' })
      .complete(request)
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(OfflinePlanRefusedError);
    expect(failure).toMatchObject({
      code: 'VIBE_PLAN_REFUSED',
      message: "'cluster-admin' asks for cluster-wide RBAC, which is outside an environment.",
    });
    expect(server.count('openai')).toBe(0);
  });
});
