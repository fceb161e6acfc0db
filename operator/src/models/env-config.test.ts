import { describe, expect, it } from 'vitest';
import { modelGatewayConfigSchema } from './config.js';
import { gatewayConfigFromEnv } from './env-config.js';

describe('gatewayConfigFromEnv', () => {
  it('reads the anthropic variables and caches under VIBE_CACHE', () => {
    const input = gatewayConfigFromEnv('anthropic', {
      ANTHROPIC_API_KEY: 'sk-ant-xxxxxxxxxxxx',
      ANTHROPIC_BASE_URL: 'http://127.0.0.1:9999',
      VIBE_CACHE: '/var/cache/vibe',
    });
    const config = modelGatewayConfigSchema.parse(input);
    expect(config.providers[0]).toMatchObject({ kind: 'anthropic', baseURL: 'http://127.0.0.1:9999' });
    expect(config.cache.directory).toBe('/var/cache/vibe/model-responses');
  });

  it('leaves a missing anthropic key for the gateway factory to report', () => {
    expect(gatewayConfigFromEnv('anthropic', {})).toEqual({ providers: [{ kind: 'anthropic' }] });
  });

  it('names the variables an openai-compatible run still needs', () => {
    expect(() => gatewayConfigFromEnv('openai-compatible', {})).toThrow(
      'The openai-compatible planner needs OPENAI_BASE_URL (e.g. http://127.0.0.1:11434/v1 for Ollama) and VIBE_OPENAI_MODEL (the model name the server serves); set them and run again.',
    );
    const input = gatewayConfigFromEnv('openai-compatible', {
      OPENAI_BASE_URL: 'http://127.0.0.1:11434/v1',
      VIBE_OPENAI_MODEL: 'qwen2.5-coder:14b',
    });
    expect(modelGatewayConfigSchema.parse(input).providers[0]).toMatchObject({
      kind: 'openai-compatible',
      model: 'qwen2.5-coder:14b',
    });
  });

  it('needs nothing for the offline planner', () => {
    expect(gatewayConfigFromEnv('offline', {})).toEqual({ providers: [{ kind: 'offline' }] });
  });
});
