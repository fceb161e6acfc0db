import { join } from 'node:path';
import type { ModelGatewayConfigInput, ProviderConfigInput } from './config.js';
import { ModelError } from './errors.js';
import type { ProviderKind } from './types.js';

/**
 * The gateway config a command-line run takes from the environment, in the
 * variables the providers' own tools use, so `vibe plan --planner anthropic`
 * works wherever `ANTHROPIC_API_KEY` is already set. The operator itself reads
 * its validated config file instead.
 *
 * anthropic:          ANTHROPIC_API_KEY, ANTHROPIC_BASE_URL, VIBE_ANTHROPIC_MODEL
 * openai-compatible:  OPENAI_BASE_URL, VIBE_OPENAI_MODEL (both required), OPENAI_API_KEY
 * Answers are cached under $VIBE_CACHE/model-responses when VIBE_CACHE is set.
 */
export function gatewayConfigFromEnv(kind: ProviderKind, env: NodeJS.ProcessEnv): ModelGatewayConfigInput {
  const directory = env.VIBE_CACHE;
  return {
    providers: [providerFromEnv(kind, env)],
    ...(directory && { cache: { directory: join(directory, 'model-responses') } }),
  };
}

function providerFromEnv(kind: ProviderKind, env: NodeJS.ProcessEnv): ProviderConfigInput {
  if (kind === 'offline') return { kind };
  if (kind === 'anthropic') {
    return {
      kind,
      ...(env.ANTHROPIC_API_KEY && { apiKey: env.ANTHROPIC_API_KEY }),
      ...(env.ANTHROPIC_BASE_URL && { baseURL: env.ANTHROPIC_BASE_URL }),
      ...(env.VIBE_ANTHROPIC_MODEL && { model: env.VIBE_ANTHROPIC_MODEL }),
    };
  }
  const baseURL = env.OPENAI_BASE_URL;
  const model = env.VIBE_OPENAI_MODEL;
  if (!baseURL || !model) {
    throw new ModelError(
      'VIBE_MODEL_ENV_MISSING',
      `The openai-compatible planner needs ${baseURL ? '' : 'OPENAI_BASE_URL (e.g. http://127.0.0.1:11434/v1 for Ollama) and '}VIBE_OPENAI_MODEL (the model name the server serves); set ${baseURL ? 'it' : 'them'} and run again.`,
    );
  }
  return { kind, baseURL, model, ...(env.OPENAI_API_KEY && { apiKey: env.OPENAI_API_KEY }) };
}
