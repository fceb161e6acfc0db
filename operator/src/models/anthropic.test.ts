import { afterEach, describe, expect, it } from 'vitest';
import { startReplayServer, type ReplayServer } from '../../../test/replay/server.js';
import { AnthropicProvider } from './anthropic.js';
import { ModelProviderError } from './errors.js';
import { Secret } from './secret.js';
import type { ModelRequest } from './types.js';

const KEY = 'sk-ant-test-0123456789abcdef';
let server: ReplayServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

function provider(url: string, timeoutMs = 5_000) {
  return new AnthropicProvider({
    name: 'claude',
    model: 'claude-sonnet-5-5',
    apiKey: new Secret(KEY),
    baseURL: url,
    maxOutputTokens: 4096,
    timeoutMs,
  });
}

const request: ModelRequest = {
  system: 'You write one TypeScript program.',
  typings: 'declare function webService(name: string, spec: { image: string }): void;',
  messages: [{ role: 'user', content: 'a web service running nginx' }],
};

describe('AnthropicProvider against the replay server', () => {
  it('marks the system prompt and the typings as cache breakpoints and sends the key', async () => {
    server = await startReplayServer({ scenario: { anthropic: [{ text: 'export default 1;' }] } });
    const answer = await provider(server.url).complete(request);

    expect(answer.text).toBe('export default 1;');
    expect(answer.stopReason).toBe('end');
    expect(server.requests).toHaveLength(1);
    const sent = server.requests[0]!;
    expect(sent.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(sent.body).toMatchObject({
      model: 'claude-sonnet-5-5',
      max_tokens: 4096,
      system: [
        { type: 'text', text: request.typings, cache_control: { type: 'ephemeral' } },
        { type: 'text', text: request.system, cache_control: { type: 'ephemeral' } },
      ],
      messages: [{ role: 'user', content: 'a web service running nginx' }],
    });
  });

  it('reports cache writes on the first request and cache reads on the repeat', async () => {
    server = await startReplayServer({ scenario: { anthropic: [{ text: 'a' }, { text: 'b' }] } });
    const claude = provider(server.url);
    const first = await claude.complete(request);
    const second = await claude.complete(request);

    expect(first.usage.cacheCreationTokens).toBeGreaterThan(0);
    expect(first.usage.cacheReadTokens).toBe(0);
    expect(second.usage.cacheCreationTokens).toBe(0);
    expect(second.usage.cacheReadTokens).toBe(first.usage.cacheCreationTokens);
  });

  it('maps scripted usage field by field', async () => {
    server = await startReplayServer({
      scenario: {
        anthropic: [{ text: 'x', usage: { input: 11, output: 22, cacheCreation: 33, cacheRead: 44 } }],
      },
    });
    const answer = await provider(server.url).complete(request);
    expect(answer.usage).toEqual({
      inputTokens: 11,
      outputTokens: 22,
      cacheCreationTokens: 33,
      cacheReadTokens: 44,
    });
  });

  it('returns tool_use blocks as tool calls and sends tool results back as one user turn', async () => {
    server = await startReplayServer({
      scenario: {
        anthropic: [
          {
            toolCalls: [
              { id: 'toolu_1', name: 'webService', input: { name: 'web' } },
              { id: 'toolu_2', name: 'redis', input: { name: 'cache' } },
            ],
          },
          { text: 'done' },
        ],
      },
    });
    const claude = provider(server.url);
    const first = await claude.complete({ ...request, tools: [tool('webService'), tool('redis')] });
    expect(first.stopReason).toBe('tool_use');
    expect(first.toolCalls).toEqual([
      { id: 'toolu_1', name: 'webService', input: { name: 'web' } },
      { id: 'toolu_2', name: 'redis', input: { name: 'cache' } },
    ]);

    await claude.complete({
      ...request,
      tools: [tool('webService'), tool('redis')],
      messages: [
        ...request.messages,
        { role: 'assistant', content: '', toolCalls: first.toolCalls },
        { role: 'tool', toolCallId: 'toolu_1', content: 'ok' },
        { role: 'tool', toolCallId: 'toolu_2', content: 'no such block', isError: true },
      ],
    });
    const body = server.requests[1]!.body as { messages: unknown[]; tools: unknown[] };
    expect(body.tools).toEqual([
      {
        name: 'webService',
        description: 'adds webService',
        input_schema: { type: 'object', properties: {} },
      },
      { name: 'redis', description: 'adds redis', input_schema: { type: 'object', properties: {} } },
    ]);
    expect(body.messages).toHaveLength(3);
    expect(body.messages[2]).toEqual({
      role: 'user',
      content: [
        { type: 'tool_result', tool_use_id: 'toolu_1', content: 'ok' },
        { type: 'tool_result', tool_use_id: 'toolu_2', content: 'no such block', is_error: true },
      ],
    });
  });

  it('turns a 429 into a retryable error carrying retry-after, after exactly one request', async () => {
    server = await startReplayServer({
      scenario: { anthropic: [{ status: 429, headers: { 'retry-after': '3' }, message: 'slow down' }] },
    });
    const failure = await provider(server.url)
      .complete(request)
      .catch((e: unknown) => e);

    expect(failure).toBeInstanceOf(ModelProviderError);
    expect(failure).toMatchObject({
      code: 'VIBE_MODEL_RATE_LIMITED',
      status: 429,
      retryable: true,
      retryAfterMs: 3000,
    });
    expect((failure as Error).message).toContain('slow down');
    expect(server.count('anthropic')).toBe(1);
  });

  it('treats a refused key as final', async () => {
    server = await startReplayServer({
      scenario: { anthropic: [{ status: 401, message: 'invalid api key' }] },
    });
    const failure = await provider(server.url)
      .complete(request)
      .catch((e: unknown) => e);
    expect(failure).toMatchObject({ code: 'VIBE_MODEL_AUTH_FAILED', status: 401, retryable: false });
  });

  it('reports a slow server as a retryable timeout', async () => {
    server = await startReplayServer({ scenario: { anthropic: [{ text: 'late', delayMs: 2_000 }] } });
    const failure = await provider(server.url, 200)
      .complete(request)
      .catch((e: unknown) => e);
    expect(failure).toMatchObject({ code: 'VIBE_MODEL_TIMEOUT', retryable: true });
    expect(server.count('anthropic')).toBe(1);
  });

  it('parses a response in the exact wire format', async () => {
    server = await startReplayServer({
      scenario: {
        anthropic: [
          {
            raw: {
              id: 'msg_1',
              type: 'message',
              role: 'assistant',
              model: 'claude-sonnet-5-5',
              content: [{ type: 'text', text: 'hello' }],
              stop_reason: 'max_tokens',
              stop_sequence: null,
              usage: {
                input_tokens: 5,
                output_tokens: 7,
                cache_creation_input_tokens: null,
                cache_read_input_tokens: 9,
              },
            },
          },
        ],
      },
    });
    const answer = await provider(server.url).complete(request);
    expect(answer).toEqual({
      text: 'hello',
      toolCalls: [],
      stopReason: 'max_tokens',
      usage: { inputTokens: 5, outputTokens: 7, cacheCreationTokens: 0, cacheReadTokens: 9 },
      provider: 'claude',
      model: 'claude-sonnet-5-5',
    });
  });
});

function tool(name: string) {
  return { name, description: `adds ${name}`, inputSchema: { properties: {} } };
}
