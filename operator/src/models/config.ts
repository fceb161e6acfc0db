import { z } from 'zod';
import { Secret } from './secret.js';

/** US dollars per million tokens of each kind. */
export const priceSchema = z.strictObject({
  inputPerMTok: z.number().nonnegative(),
  outputPerMTok: z.number().nonnegative(),
  cacheWritePerMTok: z.number().nonnegative().optional(),
  cacheReadPerMTok: z.number().nonnegative().optional(),
});

const apiKeySchema = z
  .union([z.string().min(1), z.instanceof(Secret)])
  .transform((key) => (key instanceof Secret ? key : new Secret(key)));

/** Unique label in metrics, logs and cache keys; defaults to the kind. */
const providerName = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'use lowercase letters, digits and dashes');

const httpProviderFields = {
  name: providerName.optional(),
  model: z.string().min(1),
  baseURL: z.url().optional(),
  /** The key itself, usually injected from a Secret by the operator's config loader. */
  apiKey: apiKeySchema.optional(),
  /** A file holding the key, e.g. a mounted Secret; read once when the gateway is built. */
  apiKeyFile: z.string().min(1).optional(),
  // Non-streaming requests: the Anthropic SDK refuses a max_tokens it expects to take over 10 minutes.
  maxOutputTokens: z.number().int().positive().max(21_000).default(8192),
  timeoutMs: z.number().int().positive().default(120_000),
  /** Requests in flight at once to this provider; unlimited when absent (e.g. 1 for a local Ollama). */
  maxConcurrent: z.number().int().positive().optional(),
  price: priceSchema.optional(),
};

export const anthropicProviderSchema = z.strictObject({
  kind: z.literal('anthropic'),
  ...httpProviderFields,
  model: httpProviderFields.model.default('claude-sonnet-5-5'),
});

export const openAICompatibleProviderSchema = z.strictObject({
  kind: z.literal('openai-compatible'),
  ...httpProviderFields,
  /** Local servers (vLLM, Ollama, llama.cpp) have no default address, so it is required. */
  baseURL: z.url(),
});

export const offlineProviderSchema = z.strictObject({
  kind: z.literal('offline'),
  name: providerName.optional(),
});

export const providerConfigSchema = z.discriminatedUnion('kind', [
  anthropicProviderSchema,
  openAICompatibleProviderSchema,
  offlineProviderSchema,
]);

export const retryConfigSchema = z.strictObject({
  /** Retries per provider after the first try, before falling back to the next one. */
  maxRetries: z.number().int().nonnegative().max(10).default(3),
  baseDelayMs: z.number().int().positive().default(500),
  maxDelayMs: z.number().int().positive().default(10_000),
  /** A `retry-after` longer than this makes the gateway fall back instead of waiting. */
  maxRetryAfterMs: z.number().int().nonnegative().default(60_000),
  /** How long requests skip a provider that was just given up on; 0 never skips. */
  cooldownMs: z.number().int().nonnegative().default(30_000),
});

export const cacheConfigSchema = z.strictObject({
  /** Responses kept in memory; 0 turns the memory cache off. */
  maxEntries: z.number().int().nonnegative().default(256),
  /** A directory that keeps responses across restarts; off when absent. */
  directory: z.string().min(1).optional(),
});

export const budgetSchema = z.strictObject({
  /** Model requests an environment may send, counting retries and fallbacks. */
  maxAttempts: z.number().int().positive().default(20),
  /** Tokens of every kind an environment may spend. */
  maxTokens: z.number().int().positive().default(400_000),
});

export const modelGatewayConfigSchema = z
  .strictObject({
    /** Tried in order; the next one is used when one fails after its retries. */
    providers: z
      .array(providerConfigSchema)
      .min(1)
      .default([{ kind: 'offline' }]),
    retry: retryConfigSchema.prefault({}),
    cache: cacheConfigSchema.prefault({}),
    /** The per-environment budget: the default, and the most an environment may ask for. */
    budget: budgetSchema.prefault({}),
  })
  .superRefine((config, ctx) => {
    const seen = new Set<string>();
    config.providers.forEach((provider, index) => {
      const name = provider.name ?? provider.kind;
      if (seen.has(name)) {
        ctx.addIssue({
          code: 'custom',
          path: ['providers', index, 'name'],
          message: `provider name '${name}' is used twice; give each provider a distinct name`,
        });
      }
      seen.add(name);
      if (provider.kind !== 'offline' && provider.apiKey && provider.apiKeyFile) {
        ctx.addIssue({
          code: 'custom',
          path: ['providers', index, 'apiKeyFile'],
          message: 'set apiKey or apiKeyFile, not both',
        });
      }
    });
  });

export type Price = z.infer<typeof priceSchema>;
export type ProviderConfig = z.infer<typeof providerConfigSchema>;
export type ProviderConfigInput = z.input<typeof providerConfigSchema>;
export type RetryConfig = z.infer<typeof retryConfigSchema>;
export type Budget = z.infer<typeof budgetSchema>;
export type ModelGatewayConfig = z.infer<typeof modelGatewayConfigSchema>;
export type ModelGatewayConfigInput = z.input<typeof modelGatewayConfigSchema>;
