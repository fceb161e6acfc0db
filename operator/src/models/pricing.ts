import type { Price, ProviderConfig } from './config.js';
import type { TokenUsage } from './types.js';

/**
 * Anthropic's published list prices (USD per million tokens) when this table
 * was written, matched by model-name prefix, longest first so a dated or
 * point-release name finds its own row. A provider's `price` in config
 * overrides it; models not listed, and local ones, cost nothing unless
 * configured, and the gateway's factory warns about them.
 */
const ANTHROPIC_LIST_PRICES: ReadonlyArray<readonly [prefix: string, price: Price]> = [
  ['claude-fable-5-1', { inputPerMTok: 10, outputPerMTok: 50 }],
  ['claude-opus-5-5', { inputPerMTok: 4, outputPerMTok: 20 }],
  ['claude-opus-5', { inputPerMTok: 5, outputPerMTok: 25 }],
  ['claude-opus-4-5', { inputPerMTok: 5, outputPerMTok: 25 }],
  ['claude-sonnet-5', { inputPerMTok: 2, outputPerMTok: 10 }],
  ['claude-sonnet-4-6', { inputPerMTok: 3, outputPerMTok: 15 }],
  ['claude-sonnet-4-5', { inputPerMTok: 3, outputPerMTok: 15 }],
  ['claude-haiku-4-5', { inputPerMTok: 1, outputPerMTok: 5 }],
];

// Anthropic bills a 5-minute cache write at 1.25x and a cache read at 0.1x the input price.
const CACHE_WRITE_FACTOR = 1.25;
const CACHE_READ_FACTOR = 0.1;

/** The provider's price, or undefined when neither config nor the list names one. */
export function priceFor(provider: ProviderConfig): Price | undefined {
  if (provider.kind === 'offline') return { inputPerMTok: 0, outputPerMTok: 0 };
  if (provider.price) return provider.price;
  if (provider.kind !== 'anthropic') return undefined;
  return ANTHROPIC_LIST_PRICES.find(([prefix]) => provider.model.startsWith(prefix))?.[1];
}

export function costUsd(usage: TokenUsage, price: Price): number {
  const cacheWrite = price.cacheWritePerMTok ?? price.inputPerMTok * CACHE_WRITE_FACTOR;
  const cacheRead = price.cacheReadPerMTok ?? price.inputPerMTok * CACHE_READ_FACTOR;
  const micro =
    usage.inputTokens * price.inputPerMTok +
    usage.outputTokens * price.outputPerMTok +
    usage.cacheCreationTokens * cacheWrite +
    usage.cacheReadTokens * cacheRead;
  return micro / 1_000_000;
}
