import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cacheKey, ResponseCache } from './response-cache.js';
import type { ModelResponse } from './types.js';

const warnings: string[] = [];
const logger = { warn: (_: object, message: string) => void warnings.push(message) };
const dirs: string[] = [];

afterEach(async () => {
  warnings.length = 0;
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

function answer(text: string): ModelResponse {
  return {
    text,
    toolCalls: [],
    stopReason: 'end',
    usage: { inputTokens: 1, outputTokens: 1, cacheCreationTokens: 0, cacheReadTokens: 0 },
    provider: 'p',
    model: 'm',
  };
}

describe('cacheKey', () => {
  const request = { system: 's', messages: [{ role: 'user' as const, content: 'hi' }] };

  it('is the same for equal requests built in a different key order', () => {
    const reordered = { messages: [{ content: 'hi', role: 'user' as const }], system: 's' };
    expect(cacheKey({ name: 'p', model: 'm' }, reordered)).toBe(cacheKey({ name: 'p', model: 'm' }, request));
  });

  it('differs by provider, model and prompt', () => {
    const base = cacheKey({ name: 'p', model: 'm' }, request);
    expect(cacheKey({ name: 'q', model: 'm' }, request)).not.toBe(base);
    expect(cacheKey({ name: 'p', model: 'n' }, request)).not.toBe(base);
    expect(cacheKey({ name: 'p', model: 'm' }, { ...request, system: 't' })).not.toBe(base);
    expect(base).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('ResponseCache', () => {
  it('evicts the least recently used entry', async () => {
    const cache = new ResponseCache({ maxEntries: 2, logger });
    await cache.set('a', answer('A'));
    await cache.set('b', answer('B'));
    await cache.get('a');
    await cache.set('c', answer('C'));
    expect((await cache.get('a'))?.text).toBe('A');
    expect(await cache.get('b')).toBeUndefined();
    expect((await cache.get('c'))?.text).toBe('C');
  });

  it('returns copies, so a caller cannot change what is cached', async () => {
    const cache = new ResponseCache({ maxEntries: 2, logger });
    await cache.set('a', answer('A'));
    const hit = await cache.get('a');
    hit!.text = 'changed';
    expect((await cache.get('a'))?.text).toBe('A');
  });

  it('writes one file per entry and treats a broken file as a miss', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'vibe-cache-'));
    dirs.push(directory);
    const writer = new ResponseCache({ maxEntries: 0, directory, logger });
    await writer.set('k1', answer('one'));
    expect(await readdir(directory)).toEqual(['k1.json']);

    await writeFile(join(directory, 'k2.json'), '{"text": 1');
    const reader = new ResponseCache({ maxEntries: 10, directory, logger });
    expect((await reader.get('k1'))?.text).toBe('one');
    expect(await reader.get('k2')).toBeUndefined();
    expect(await reader.get('k3')).toBeUndefined();
    expect(warnings).toEqual(['ignoring a malformed entry in the model response cache directory']);
  });
});
