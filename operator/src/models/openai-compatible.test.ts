import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { loadScenario } from '../../../test/replay/scenario.js';
import { startReplayServer, type ReplayServer } from '../../../test/replay/server.js';
import { ModelProviderError } from './errors.js';
import { OpenAICompatibleProvider } from './openai-compatible.js';
import { Secret } from './secret.js';
import type { ModelRequest } from './types.js';

const KEY = 'sk-proj-test-fedcba9876543210';
const fixtures = fileURLToPath(new URL('../../../test/replay/fixtures/', import.meta.url));
let server: ReplayServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

function provider(url: string, apiKey?: Secret) {
  return new OpenAICompatibleProvider({
    name: 'local',
    model: 'qwen2.5-coder:14b',
    baseURL: `${url}/v1`,
    maxOutputTokens: 2048,
    timeoutMs: 5_000,
    ...(apiKey && { apiKey }),
  });
}

const request: ModelRequest = {
  system: 'You write one TypeScript program.',
  typings: 'declare function webService(name: string): void;',
  messages: [{ role: 'user', content: 'a web service running nginx' }],
};

describe('OpenAICompatibleProvider against the replay server', () => {
  it('sends typings and instructions as one system message, with the key as a bearer token', async () => {
    server = await startReplayServer({ scenario: { openai: [{ text: 'export default 1;' }] } });
    const answer = await provider(server.url, new Secret(KEY)).complete(request);

    expect(answer).toMatchObject({ text: 'export default 1;', stopReason: 'end', provider: 'local' });
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]!.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(server.requests[0]!.body).toMatchObject({
      model: 'qwen2.5-coder:14b',
      max_tokens: 2048,
      messages: [
        { role: 'system', content: `${request.typings}\n\n${request.system}` },
        { role: 'user', content: 'a web service running nginx' },
      ],
    });
  });

  it('works without a key, as local servers need none', async () => {
    server = await startReplayServer({ scenario: { openai: [{ text: 'ok' }] } });
    const answer = await provider(server.url).complete(request);
    expect(answer.text).toBe('ok');
  });

  it('splits cached prompt tokens out of the input count', async () => {
    server = await startReplayServer({ scenario: loadScenario(`${fixtures}wire-samples.json`) });
    const answer = await provider(server.url).complete(request);
    expect(answer.usage).toEqual({
      inputTokens: 502,
      outputTokens: 70,
      cacheCreationTokens: 0,
      cacheReadTokens: 5120,
    });
    expect(answer.text).toContain("webService('hello'");
  });

  it('returns tool_calls with parsed arguments and sends results back as tool messages', async () => {
    server = await startReplayServer({
      scenario: {
        openai: [
          { toolCalls: [{ id: 'call_a', name: 'webService', input: { name: 'web', port: 8080 } }] },
          { text: 'done' },
        ],
      },
    });
    const local = provider(server.url);
    const tools = [
      { name: 'webService', description: 'adds a web service', inputSchema: { type: 'object' } },
    ];
    const first = await local.complete({ ...request, tools });
    expect(first.stopReason).toBe('tool_use');
    expect(first.toolCalls).toEqual([
      { id: 'call_a', name: 'webService', input: { name: 'web', port: 8080 } },
    ]);

    const second = await local.complete({
      ...request,
      tools,
      messages: [
        ...request.messages,
        { role: 'assistant', content: '', toolCalls: first.toolCalls },
        { role: 'tool', toolCallId: 'call_a', content: 'added' },
      ],
    });
    expect(second.text).toBe('done');
    const body = server.requests[1]!.body as { messages: unknown[]; tools: unknown[] };
    expect(body.tools).toEqual([
      {
        type: 'function',
        function: { name: 'webService', description: 'adds a web service', parameters: { type: 'object' } },
      },
    ]);
    expect(body.messages.slice(2)).toEqual([
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          {
            id: 'call_a',
            type: 'function',
            function: { name: 'webService', arguments: '{"name":"web","port":8080}' },
          },
        ],
      },
      { role: 'tool', tool_call_id: 'call_a', content: 'added' },
    ]);
  });

  it('turns a 500 into one retryable error without retrying by itself', async () => {
    server = await startReplayServer({
      scenario: { openai: [{ status: 503, message: 'model is loading' }] },
    });
    const failure = await provider(server.url)
      .complete(request)
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ModelProviderError);
    expect(failure).toMatchObject({ code: 'VIBE_MODEL_SERVER_ERROR', status: 503, retryable: true });
    expect((failure as Error).message).toContain('model is loading');
    expect(server.count('openai')).toBe(1);
  });

  it('reads retry-after-ms before retry-after', async () => {
    server = await startReplayServer({
      scenario: { openai: [{ status: 429, headers: { 'retry-after-ms': '250', 'retry-after': '9' } }] },
    });
    const failure = await provider(server.url)
      .complete(request)
      .catch((e: unknown) => e);
    expect(failure).toMatchObject({ code: 'VIBE_MODEL_RATE_LIMITED', retryAfterMs: 250 });
  });

  it('reports an address nobody listens on as unreachable', async () => {
    server = await startReplayServer({ scenario: {} });
    const url = server.url;
    await server.close();
    server = undefined;
    const failure = await provider(url)
      .complete(request)
      .catch((e: unknown) => e);
    expect(failure).toMatchObject({ code: 'VIBE_MODEL_UNREACHABLE', retryable: true });
    expect((failure as Error).message).toContain(url);
  });
});
