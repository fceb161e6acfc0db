import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { ModelMetrics } from './metrics.js';

describe('ModelMetrics', () => {
  it('shares its series with a second gateway on the same registry', async () => {
    const registry = new Registry();
    const first = new ModelMetrics(registry);
    const second = new ModelMetrics(registry);
    first.recordUsage(
      'anthropic',
      'm',
      { inputTokens: 10, outputTokens: 5, cacheCreationTokens: 0, cacheReadTokens: 0 },
      0.5,
    );
    second.recordUsage(
      'anthropic',
      'm',
      { inputTokens: 1, outputTokens: 0, cacheCreationTokens: 0, cacheReadTokens: 2 },
      0.25,
    );

    const text = await registry.metrics();
    expect(text).toContain('vibe_model_tokens_total{provider="anthropic",model="m",kind="input"} 11');
    expect(text).toContain('vibe_model_tokens_total{provider="anthropic",model="m",kind="cache_read"} 2');
    expect(text).toContain('vibe_model_cost_usd_total{provider="anthropic",model="m"} 0.75');
    expect(text).not.toContain('kind="cache_creation"');
    expect(registry.getMetricsAsArray().filter((m) => m.name.startsWith('vibe_model_'))).toHaveLength(10);
  });
});
