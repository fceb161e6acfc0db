import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { BudgetLimit } from './errors.js';
import type { TokenUsage } from './types.js';

export type RequestOutcome = 'success' | 'retryable_error' | 'error';

/** The gateway's Prometheus series, registered on the registry the operator passes in. */
export class ModelMetrics {
  readonly requests: Counter<'provider' | 'model' | 'outcome'>;
  readonly retries: Counter<'provider' | 'model' | 'code'>;
  readonly fallbacks: Counter<'provider' | 'model'>;
  readonly cooldownSkips: Counter<'provider' | 'model'>;
  readonly tokens: Counter<'provider' | 'model' | 'kind'>;
  readonly cost: Counter<'provider' | 'model'>;
  readonly cacheLookups: Counter<'result'>;
  readonly budgetExhausted: Counter<'limit'>;
  readonly requestDuration: Histogram<'provider' | 'model'>;
  readonly waiting: Gauge<'provider' | 'model'>;

  constructor(registry: Registry) {
    const registers = [registry];
    this.requests = new Counter({
      name: 'vibe_model_requests_total',
      help: 'Requests sent to model providers, by outcome.',
      labelNames: ['provider', 'model', 'outcome'],
      registers,
    });
    this.retries = new Counter({
      name: 'vibe_model_retries_total',
      help: 'Requests sent again to the same provider after a retryable failure, by error code.',
      labelNames: ['provider', 'model', 'code'],
      registers,
    });
    this.fallbacks = new Counter({
      name: 'vibe_model_fallbacks_total',
      help: 'Times a provider was given up on and the next one tried; labelled with the one given up on.',
      labelNames: ['provider', 'model'],
      registers,
    });
    this.cooldownSkips = new Counter({
      name: 'vibe_model_cooldown_skips_total',
      help: 'Requests that skipped a provider cooling down after it was given up on.',
      labelNames: ['provider', 'model'],
      registers,
    });
    this.tokens = new Counter({
      name: 'vibe_model_tokens_total',
      help: 'Tokens billed by model providers, by kind: input, output, cache_creation, cache_read.',
      labelNames: ['provider', 'model', 'kind'],
      registers,
    });
    this.cost = new Counter({
      name: 'vibe_model_cost_usd_total',
      help: 'Estimated spend on model providers in US dollars, from configured or list prices.',
      labelNames: ['provider', 'model'],
      registers,
    });
    this.cacheLookups = new Counter({
      name: 'vibe_model_cache_lookups_total',
      help: 'Response cache lookups, by result: hit or miss.',
      labelNames: ['result'],
      registers,
    });
    this.budgetExhausted = new Counter({
      name: 'vibe_model_budget_exhausted_total',
      help: 'Requests refused because an environment exhausted its budget, by limit.',
      labelNames: ['limit'],
      registers,
    });
    this.requestDuration = new Histogram({
      name: 'vibe_model_request_duration_seconds',
      help: 'Duration of single requests to model providers, failed ones included.',
      labelNames: ['provider', 'model'],
      buckets: [0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
      registers,
    });
    this.waiting = new Gauge({
      name: 'vibe_model_requests_waiting',
      help: "Requests waiting for a free slot under a provider's maxConcurrent.",
      labelNames: ['provider', 'model'],
      registers,
    });
  }

  recordBudgetExhausted(limit: BudgetLimit): void {
    this.budgetExhausted.inc({ limit });
  }

  recordUsage(provider: string, model: string, usage: TokenUsage, costUsd: number): void {
    const kinds: Array<[string, number]> = [
      ['input', usage.inputTokens],
      ['output', usage.outputTokens],
      ['cache_creation', usage.cacheCreationTokens],
      ['cache_read', usage.cacheReadTokens],
    ];
    for (const [kind, count] of kinds) {
      if (count > 0) this.tokens.inc({ provider, model, kind }, count);
    }
    if (costUsd > 0) this.cost.inc({ provider, model }, costUsd);
  }
}
