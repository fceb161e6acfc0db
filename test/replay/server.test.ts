import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import { loadScenario, parseScenario } from './scenario.js';
import { startReplayServer, type ReplayServer } from './server.js';

const here = fileURLToPath(new URL('.', import.meta.url));
let server: ReplayServer | undefined;
let child: ChildProcess | undefined;
const others: ReplayServer[] = [];

afterEach(async () => {
  await server?.close();
  server = undefined;
  await Promise.all(others.splice(0).map((s) => s.close()));
  if (child && child.exitCode === null) {
    child.kill('SIGTERM');
    await once(child, 'exit');
  }
  child = undefined;
});

const anthropic = (url: string) => new Anthropic({ apiKey: 'k', baseURL: url, maxRetries: 0 });
const openai = (url: string) => new OpenAI({ apiKey: 'k', baseURL: `${url}/v1`, maxRetries: 0 });
const ask = {
  model: 'claude-sonnet-5-5',
  max_tokens: 100,
  messages: [{ role: 'user' as const, content: 'hi' }],
};

describe('replay server', () => {
  it('answers each API from its own list, in order, and logs the requests', async () => {
    server = await startReplayServer({
      scenario: { anthropic: [{ text: 'a1' }, { text: 'a2' }], openai: [{ text: 'o1' }] },
    });
    const first = await anthropic(server.url).messages.create(ask);
    const other = await openai(server.url).chat.completions.create({ model: 'm', messages: ask.messages });
    const second = await anthropic(server.url).messages.create(ask);

    expect(first.content).toEqual([{ type: 'text', text: 'a1' }]);
    expect(second.content).toEqual([{ type: 'text', text: 'a2' }]);
    expect(other.choices[0]?.message.content).toBe('o1');
    expect(server.requests.map((r) => [r.api, r.status])).toEqual([
      ['anthropic', 200],
      ['openai', 200],
      ['anthropic', 200],
    ]);
    expect(server.requests[0]?.body).toMatchObject({ model: 'claude-sonnet-5-5', max_tokens: 100 });
  });

  it('fails a request past the end of its list with a message naming the scenario', async () => {
    server = await startReplayServer({ scenario: { name: 'short', anthropic: [{ text: 'only' }] } });
    await anthropic(server.url).messages.create(ask);
    const failure = await anthropic(server.url)
      .messages.create(ask)
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(Anthropic.APIError);
    expect((failure as InstanceType<typeof Anthropic.APIError>).status).toBe(418);
    expect((failure as Error).message).toContain(
      "replay scenario 'short' has no answer left for this anthropic request (1 of 1 served)",
    );
  });

  it('gives each conversation the steps that match it, whatever order they arrive in', async () => {
    server = await startReplayServer({
      scenario: {
        openai: [
          { match: 'redis', text: 'for redis 1' },
          { match: 'postgres', text: 'for postgres' },
          { match: 'redis', text: 'for redis 2' },
          { text: 'for anyone' },
        ],
      },
    });
    const client = openai(server.url);
    const say = async (content: string) =>
      (await client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content }] })).choices[0]
        ?.message.content;
    expect(await say('a redis cache')).toBe('for redis 1');
    expect(await say('a redis cache again')).toBe('for redis 2');
    expect(await say('postgres 16')).toBe('for postgres');
    expect(await say('nginx')).toBe('for anyone');
    expect(await say('redis once more').catch((e: unknown) => (e as { status: number }).status)).toBe(418);
  });

  it('repeats the last answer when asked to', async () => {
    server = await startReplayServer({
      scenario: { openai: [{ text: 'same' }], whenExhausted: 'repeat-last' },
    });
    const client = openai(server.url);
    for (let i = 0; i < 3; i += 1) {
      const reply = await client.chat.completions.create({ model: 'm', messages: ask.messages });
      expect(reply.choices[0]?.message.content).toBe('same');
    }
    expect(server.count('openai')).toBe(3);
  });

  it('sends scripted errors in each API error shape with their headers', async () => {
    server = await startReplayServer({
      scenario: {
        anthropic: [{ status: 529, message: 'Overloaded', headers: { 'retry-after': '4' } }],
        openai: [{ status: 429, message: 'Rate limit reached' }],
      },
    });
    const a = (await anthropic(server.url)
      .messages.create(ask)
      .catch((e: unknown) => e)) as InstanceType<typeof Anthropic.APIError>;
    const o = (await openai(server.url)
      .chat.completions.create({ model: 'm', messages: ask.messages })
      .catch((e: unknown) => e)) as InstanceType<typeof OpenAI.APIError>;
    expect([a.status, a.headers?.get('retry-after'), a.error]).toEqual([
      529,
      '4',
      { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } },
    ]);
    expect([o.status, o.code, o.type, o.message]).toEqual([
      429,
      null,
      'rate_limit_exceeded',
      '429 Rate limit reached',
    ]);
  });

  it('loads every fixture', () => {
    const files = readdirSync(`${here}fixtures`).filter((f) => f.endsWith('.json'));
    expect(files.length).toBeGreaterThanOrEqual(7);
    for (const file of files) {
      const scenario = loadScenario(`${here}fixtures/${file}`);
      expect(scenario.anthropic.length + scenario.openai.length, file).toBeGreaterThan(0);
      expect(JSON.stringify(scenario), file).not.toContain('textFile');
    }
  });

  it('inlines textFile answers relative to the scenario file', () => {
    const scenario = parseScenario({ anthropic: [{ textFile: 'fixtures/scripts/hello-web.ts.txt' }] }, here);
    expect(scenario.anthropic[0]).toMatchObject({ text: expect.stringContaining("webService('hello'") });
  });

  it('runs as a CLI that prints its URL and serves the control routes', async () => {
    child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        `${here}server.ts`,
        '--scenario',
        `${here}fixtures/stuck-model.json`,
        '--port',
        '0',
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const [line] = (await once(createInterface({ input: child.stdout! }), 'line')) as [string];
    expect(line).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

    await anthropic(line).messages.create(ask);
    await anthropic(line).messages.create(ask);
    const log = (await (await fetch(`${line}/_replay/requests`)).json()) as {
      counts: Record<string, number>;
    };
    expect(log.counts).toEqual({ anthropic: 2, openai: 0 });

    const reset = await fetch(`${line}/_replay/reset`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ anthropic: [{ text: 'after reset' }] }),
    });
    expect(reset.status).toBe(200);
    const reply = await anthropic(line).messages.create(ask);
    expect(reply.content).toEqual([{ type: 'text', text: 'after reset' }]);
  });

  it('records a live session as a fixture that replays the same answers, without the key', async () => {
    const key = 'sk-ant-RECORDED-KEY-must-not-be-saved';
    const upstream = await startReplayServer({
      scenario: {
        anthropic: [{ status: 429, headers: { 'retry-after': '7' } }, { text: 'live answer' }],
        openai: [{ toolCalls: [{ name: 'redis', input: { name: 'cache' } }] }],
      },
    });
    others.push(upstream);
    const saved: string[] = [];
    server = await startReplayServer({
      scenario: { name: 'recorded' },
      record: { anthropic: upstream.url, openai: `${upstream.url}/v1` },
      onRecord: (scenario) => void saved.push(JSON.stringify(scenario)),
    });
    const client = new Anthropic({ apiKey: key, baseURL: server.url, maxRetries: 0 });
    const limited = await client.messages.create(ask).catch((e: unknown) => e);
    const live = await client.messages.create(ask);
    const called = await openai(server.url).chat.completions.create({ model: 'm', messages: ask.messages });

    expect((limited as InstanceType<typeof Anthropic.APIError>).status).toBe(429);
    expect(live.content).toEqual([{ type: 'text', text: 'live answer' }]);
    expect(called.choices[0]?.message.tool_calls?.[0]).toMatchObject({ function: { name: 'redis' } });
    expect(upstream.requests[0]?.headers.authorization).toBe(`Bearer ${key}`);
    const recorded = server.scenario();
    expect(recorded.anthropic.map((step) => ('raw' in step ? [step.status, step.headers] : []))).toEqual([
      [429, { 'retry-after': '7' }],
      [200, undefined],
    ]);
    expect(saved).toHaveLength(3);
    expect(saved.join('')).not.toContain(key);

    others.push(await startReplayServer({ scenario: recorded }));
    const replayed = await anthropic(others[1]!.url)
      .messages.create(ask)
      .catch((e: unknown) => e);
    expect((replayed as InstanceType<typeof Anthropic.APIError>).status).toBe(429);
    expect(await anthropic(others[1]!.url).messages.create(ask)).toEqual(live);
  });
});
