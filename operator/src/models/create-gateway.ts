import { readFile } from 'node:fs/promises';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { ConcurrencyLimit } from './concurrency-limit.js';
import type { ModelGatewayConfig, ProviderConfig } from './config.js';
import { ModelError } from './errors.js';
import { ModelGateway, type PricedProvider } from './gateway.js';
import { ModelMetrics } from './metrics.js';
import { OfflineProvider, type OfflinePlanner } from './offline/provider.js';
import { priceFor } from './pricing.js';
import { ResponseCache } from './response-cache.js';
import { Secret } from './secret.js';
import type { ModelProvider } from './types.js';

export interface GatewayDependencies {
  registry: Registry;
  logger: Logger;
  /** The offline planner, used when the config lists an `offline` provider. */
  offlinePlanner: OfflinePlanner;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  random?: () => number;
  now?: () => number;
}

async function resolveKey(config: Exclude<ProviderConfig, { kind: 'offline' }>, name: string) {
  if (config.apiKey) return config.apiKey;
  if (!config.apiKeyFile) return undefined;
  try {
    return new Secret((await readFile(config.apiKeyFile, 'utf8')).trim());
  } catch (error) {
    throw new ModelError(
      'VIBE_MODEL_API_KEY_MISSING',
      `Model provider '${name}' names apiKeyFile ${config.apiKeyFile}, which cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'}); mount the Secret there or fix the path.`,
    );
  }
}

/** A provider's SDK is imported when a config names it: an operator that plans offline loads neither. */
async function buildProvider(config: ProviderConfig, planner: OfflinePlanner): Promise<ModelProvider> {
  const name = config.name ?? config.kind;
  if (config.kind === 'offline') return new OfflineProvider({ name, plan: planner });
  const apiKey = await resolveKey(config, name);
  const common = {
    name,
    model: config.model,
    maxOutputTokens: config.maxOutputTokens,
    timeoutMs: config.timeoutMs,
  };
  if (config.kind === 'openai-compatible') {
    const { OpenAICompatibleProvider } = await import('./openai-compatible.js');
    return new OpenAICompatibleProvider({ ...common, baseURL: config.baseURL, ...(apiKey && { apiKey }) });
  }
  if (!apiKey) {
    throw new ModelError(
      'VIBE_MODEL_API_KEY_MISSING',
      `Model provider '${name}' (anthropic) has no API key; set ANTHROPIC_API_KEY for the CLI, or apiKey or apiKeyFile from a Secret in the operator's config.`,
    );
  }
  const { AnthropicProvider } = await import('./anthropic.js');
  return new AnthropicProvider({ ...common, apiKey, ...(config.baseURL && { baseURL: config.baseURL }) });
}

/** Builds the gateway a validated config describes; keys are read once, here. */
export async function createModelGateway(
  config: ModelGatewayConfig,
  deps: GatewayDependencies,
): Promise<ModelGateway> {
  const providers: PricedProvider[] = await Promise.all(
    config.providers.map(async (p) => {
      const provider = await buildProvider(p, deps.offlinePlanner);
      const price = priceFor(p);
      if (!price) {
        // A local model is free; an unknown Claude model is not, and its cost would read zero.
        deps.logger[p.kind === 'anthropic' ? 'warn' : 'info'](
          { provider: provider.name, model: provider.model },
          'no price is known for this model, so its cost counts as zero; set price in the provider config',
        );
      }
      const limit =
        p.kind !== 'offline' && p.maxConcurrent ? new ConcurrencyLimit(p.maxConcurrent) : undefined;
      return { provider, price: price ?? { inputPerMTok: 0, outputPerMTok: 0 }, ...(limit && { limit }) };
    }),
  );
  const cacheLogger = deps.logger.child({ component: 'model-cache' });
  const cache =
    config.cache.maxEntries > 0 || config.cache.directory
      ? new ResponseCache({
          maxEntries: config.cache.maxEntries,
          logger: cacheLogger,
          ...(config.cache.directory && { directory: config.cache.directory }),
        })
      : undefined;
  return new ModelGateway({
    providers,
    retry: config.retry,
    budget: config.budget,
    metrics: new ModelMetrics(deps.registry),
    logger: deps.logger,
    ...(cache && { cache }),
    ...(deps.sleep && { sleep: deps.sleep }),
    ...(deps.random && { random: deps.random }),
    ...(deps.now && { now: deps.now }),
  });
}
