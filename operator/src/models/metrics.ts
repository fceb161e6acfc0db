import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { BudgetLimit } from './errors.js';
import type { TokenUsage } from './types.js';

type ProviderLabels = 'provider' | 'model';

/**
 * The gateway's Prometheus series, on the registry the operator passes in. A
 * second gateway on the same registry shares the series instead of failing to
 * register them again.
 */
export class ModelMetrics {
  readonly requests: Counter<ProviderLabels | 'outcome'>;
  readonly retries: Counter<ProviderLabels | 'code'>;
  readonly fallbacks: Counter<ProviderLabels>;
  readonly cooldownSkips: Counter<ProviderLabels>;
  readonly tokens: Counter<ProviderLabels | 'kind'>;
  readonly cost: Counter<ProviderLabels>;
  readonly cacheLookups: Counter<'result'>;
  readonly budgetExhausted: Counter<'limit'>;
  readonly requestDuration: Histogram<ProviderLabels>;
  readonly waiting: Gauge<ProviderLabels>;

  constructor(registry: Registry) {
    const registers = [registry];
    const counter = <L extends string>(name: string, help: string, labelNames: L[]): Counter<L> =>
      (registry.getSingleMetric(name) as Counter<L> | undefined) ??
      new Counter({ name, help, labelNames, registers });
    const byProvider: ProviderLabels[] = ['provider', 'model'];

    this.requests = counter(
      'vibe_model_requests_total',
      'Requests sent to model providers, by outcome: success, retryable_error, error.',
      [...byProvider, 'outcome'],
    );
    this.retries = counter(
      'vibe_model_retries_total',
      'Requests sent again to the same provider after a retryable failure, by error code.',
      [...byProvider, 'code'],
    );
    this.fallbacks = counter(
      'vibe_model_fallbacks_total',
      'Times a provider was given up on and the next one tried; labelled with the one given up on.',
      byProvider,
    );
    this.cooldownSkips = counter(
      'vibe_model_cooldown_skips_total',
      'Requests that skipped a provider cooling down after it was given up on.',
      byProvider,
    );
    this.tokens = counter(
      'vibe_model_tokens_total',
      'Tokens billed by model providers, by kind: input, output, cache_creation, cache_read.',
      [...byProvider, 'kind'],
    );
    this.cost = counter(
      'vibe_model_cost_usd_total',
      'Estimated spend on model providers in US dollars, from configured or list prices.',
      byProvider,
    );
    this.cacheLookups = counter(
      'vibe_model_cache_lookups_total',
      'Response cache lookups, by result: hit or miss.',
      ['result'],
    );
    this.budgetExhausted = counter(
      'vibe_model_budget_exhausted_total',
      'Requests refused because an environment exhausted its budget, by limit.',
      ['limit'],
    );
    const durationName = 'vibe_model_request_duration_seconds';
    this.requestDuration =
      (registry.getSingleMetric(durationName) as Histogram<ProviderLabels> | undefined) ??
      new Histogram({
        name: durationName,
        help: 'Duration of single requests to model providers, failed ones included.',
        labelNames: byProvider,
        buckets: [0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
        registers,
      });
    const waitingName = 'vibe_model_requests_waiting';
    this.waiting =
      (registry.getSingleMetric(waitingName) as Gauge<ProviderLabels> | undefined) ??
      new Gauge({
        name: waitingName,
        help: "Requests waiting for a free slot under a provider's maxConcurrent.",
        labelNames: byProvider,
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
