import { describe, expect, it } from 'vitest';
import { modelGatewayConfigSchema } from './config.js';
import { costUsd, priceFor } from './pricing.js';
import { Secret } from './secret.js';

describe('modelGatewayConfigSchema', () => {
  it('defaults to the offline planner with bounded retries, cache and budget', () => {
    expect(modelGatewayConfigSchema.parse({})).toEqual({
      providers: [{ kind: 'offline' }],
      retry: {
        maxRetries: 3,
        baseDelayMs: 500,
        maxDelayMs: 10_000,
        maxRetryAfterMs: 60_000,
        cooldownMs: 30_000,
      },
      cache: { maxEntries: 256 },
      budget: { maxAttempts: 20, maxTokens: 400_000 },
    });
  });

  it('wraps keys so a logged config shows none', () => {
    const config = modelGatewayConfigSchema.parse({
      providers: [{ kind: 'anthropic', apiKey: 'sk-ant-zzzzzzzzzzzz' }],
    });
    const [provider] = config.providers;
    expect(provider).toMatchObject({ kind: 'anthropic', model: 'claude-sonnet-5-5', maxOutputTokens: 8192 });
    expect(provider?.kind === 'anthropic' && provider.apiKey).toBeInstanceOf(Secret);
    expect(JSON.stringify(config)).not.toContain('sk-ant-zzzzzzzzzzzz');
  });

  it.each([
    [{ providers: [{ kind: 'openai-compatible', model: 'm' }] }, 'providers.0.baseURL'],
    [{ providers: [{ kind: 'anthropic' }, { kind: 'anthropic' }] }, 'providers.1.name'],
    [{ providers: [{ kind: 'anthropic', apiKey: 'k', apiKeyFile: '/k' }] }, 'providers.0.apiKeyFile'],
    [{ providers: [{ kind: 'anthropic', maxOutputTokens: 64_000 }] }, 'providers.0.maxOutputTokens'],
    [{ providers: [{ kind: 'gemini' }] }, 'providers.0.kind'],
    [{ providers: [] }, 'providers'],
    [{ retry: { maxRetries: -1 } }, 'retry.maxRetries'],
    [{ budget: { maxTokens: 0 } }, 'budget.maxTokens'],
    [{ cache: { size: 3 } }, 'cache'],
  ])('rejects %j at %s', (input, path) => {
    const result = modelGatewayConfigSchema.safeParse(input);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path.join('.'))).toContain(path);
  });
});

describe('pricing', () => {
  it('finds list prices by model prefix, most specific first', () => {
    const price = (model: string) => priceFor({ kind: 'anthropic', model, maxOutputTokens: 1, timeoutMs: 1 });
    expect(price('claude-opus-5-5-20260601')).toEqual({ inputPerMTok: 4, outputPerMTok: 20 });
    expect(price('claude-opus-5')).toEqual({ inputPerMTok: 5, outputPerMTok: 25 });
    expect(price('claude-unknown-1')).toBeUndefined();
  });

  it('leaves local models unpriced unless configured', () => {
    const base = {
      kind: 'openai-compatible' as const,
      model: 'llama',
      baseURL: 'http://h',
      maxOutputTokens: 1,
      timeoutMs: 1,
    };
    expect(priceFor(base)).toBeUndefined();
    expect(priceFor({ ...base, price: { inputPerMTok: 0.1, outputPerMTok: 0.2 } })).toEqual({
      inputPerMTok: 0.1,
      outputPerMTok: 0.2,
    });
  });

  it('bills cache writes and reads at their own rates', () => {
    const usage = {
      inputTokens: 1_000_000,
      outputTokens: 1_000_000,
      cacheCreationTokens: 1_000_000,
      cacheReadTokens: 1_000_000,
    };
    expect(costUsd(usage, { inputPerMTok: 2, outputPerMTok: 10 })).toBeCloseTo(2 + 10 + 2.5 + 0.2, 10);
    expect(
      costUsd(usage, { inputPerMTok: 2, outputPerMTok: 10, cacheWritePerMTok: 4, cacheReadPerMTok: 0 }),
    ).toBeCloseTo(16, 10);
  });
});
