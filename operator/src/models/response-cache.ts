import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { ModelRequest, ModelResponse } from './types.js';

export interface CacheLogger {
  warn(object: object, message: string): void;
}

export interface ResponseCacheOptions {
  maxEntries: number;
  directory?: string;
  logger: CacheLogger;
}

const responseSchema = z.object({
  text: z.string(),
  toolCalls: z.array(z.object({ id: z.string(), name: z.string(), input: z.unknown() })),
  stopReason: z.enum(['end', 'max_tokens', 'tool_use', 'other']),
  usage: z.object({
    inputTokens: z.number(),
    outputTokens: z.number(),
    cacheCreationTokens: z.number(),
    cacheReadTokens: z.number(),
  }),
  provider: z.string(),
  model: z.string(),
});

/** JSON with object keys sorted, so equal requests hash equally whatever order built them. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

/** The cache key of one request to one provider's model: a SHA-256 hex digest. */
export function cacheKey(provider: { name: string; model: string }, request: ModelRequest): string {
  return createHash('sha256')
    .update(canonicalJson({ provider: provider.name, model: provider.model, request }))
    .digest('hex');
}

/**
 * Successful responses by cache key: a bounded in-memory LRU, backed by a
 * directory when configured so a restarted operator does not pay for the same
 * answer twice. A broken or unreadable file is a miss, never an error.
 */
export class ResponseCache {
  readonly #entries = new Map<string, ModelResponse>();
  readonly #options: ResponseCacheOptions;

  constructor(options: ResponseCacheOptions) {
    this.#options = options;
  }

  async get(key: string): Promise<ModelResponse | undefined> {
    const hit = this.#entries.get(key);
    if (hit) {
      this.#entries.delete(key);
      this.#entries.set(key, hit);
      return structuredClone(hit);
    }
    const stored = await this.#readFile(key);
    if (stored) this.#remember(key, stored);
    return stored;
  }

  async set(key: string, response: ModelResponse): Promise<void> {
    this.#remember(key, structuredClone(response));
    const { directory } = this.#options;
    if (!directory) return;
    try {
      await mkdir(directory, { recursive: true });
      const tmp = join(directory, `.${key}.${process.pid}.tmp`);
      await writeFile(tmp, JSON.stringify(response));
      await rename(tmp, join(directory, `${key}.json`));
    } catch (error) {
      this.#options.logger.warn(
        { err: error, key },
        'could not write a model response to the cache directory',
      );
    }
  }

  #remember(key: string, response: ModelResponse): void {
    if (this.#options.maxEntries === 0) return;
    this.#entries.delete(key);
    this.#entries.set(key, response);
    while (this.#entries.size > this.#options.maxEntries) {
      const oldest = this.#entries.keys().next().value;
      if (oldest === undefined) break;
      this.#entries.delete(oldest);
    }
  }

  async #readFile(key: string): Promise<ModelResponse | undefined> {
    const { directory } = this.#options;
    if (!directory) return undefined;
    let text: string;
    try {
      text = await readFile(join(directory, `${key}.json`), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        this.#options.logger.warn({ err: error, key }, 'could not read the model response cache directory');
      }
      return undefined;
    }
    try {
      return responseSchema.parse(JSON.parse(text)) as ModelResponse;
    } catch {
      this.#options.logger.warn({ key }, 'ignoring a malformed entry in the model response cache directory');
      return undefined;
    }
  }
}
