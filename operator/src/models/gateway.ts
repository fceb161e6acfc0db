import { setTimeout as delay } from 'node:timers/promises';
import type { Logger } from 'pino';
import { BudgetMeter, type SessionUsage } from './budget.js';
import type { Budget, Price, RetryConfig } from './config.js';
import { AllProvidersFailedError, BudgetExhaustedError, ModelError, ModelProviderError } from './errors.js';
import type { ConcurrencyLimit } from './concurrency-limit.js';
import type { ModelMetrics } from './metrics.js';
import { costUsd } from './pricing.js';
import { ProviderHealth } from './provider-health.js';
import { cacheKey, type ResponseCache } from './response-cache.js';
import { decideRetry } from './retry-policy.js';
import type { CallOptions, ModelProvider, ModelRequest, ModelResponse, PricedResponse } from './types.js';

export interface PricedProvider {
  provider: ModelProvider;
  price: Price;
  /** Caps requests in flight to this provider; unlimited when absent. */
  limit?: ConcurrencyLimit;
}

export interface ModelGatewayOptions {
  /** Tried in this order. */
  providers: readonly PricedProvider[];
  retry: RetryConfig;
  /** The budget of a session that names none, and the cap on one that does. */
  budget: Budget;
  cache?: ResponseCache;
  metrics: ModelMetrics;
  logger: Logger;
  /** Injected by tests so retries do not wait on the clock. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  random?: () => number;
  now?: () => number;
}

export interface SessionOptions {
  /** The environment's key (namespace/name), for budgets and logs. */
  environment: string;
  /** The environment's own limits, e.g. from its spec; capped at the gateway's budget. */
  budget?: Partial<Budget>;
  /** What the environment spent before, e.g. read back from its status after a restart. */
  spent?: SessionUsage;
}

/** Fields that could carry a credential if a caller ever logged a config or request. */
const REDACT_PATHS = [
  'apiKey',
  '*.apiKey',
  '*.*.apiKey',
  'headers.authorization',
  'headers["x-api-key"]',
  '*.headers.authorization',
  '*.headers["x-api-key"]',
];

/**
 * Sends model requests on behalf of environments: the cache first, then each
 * provider in order with retries, counting every request against the
 * environment's budget and every token in the metrics.
 */
export class ModelGateway {
  readonly #options: ModelGatewayOptions;
  readonly #logger: Logger;
  readonly #sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  readonly #random: () => number;
  readonly #health: ProviderHealth;

  constructor(options: ModelGatewayOptions) {
    if (options.providers.length === 0) {
      throw new ModelError(
        'VIBE_MODEL_NO_PROVIDER',
        'The model gateway has no provider; list at least one under providers (offline needs no key).',
      );
    }
    this.#options = options;
    this.#logger = options.logger.child({ component: 'model-gateway' }, { redact: REDACT_PATHS });
    this.#sleep = options.sleep ?? ((ms, signal) => delay(ms, undefined, signal && { signal }));
    this.#random = options.random ?? Math.random;
    this.#health = new ProviderHealth(options.retry.cooldownMs, options.now ?? Date.now);
  }

  session(options: SessionOptions): ModelSession {
    const cap = this.#options.budget;
    const budget = {
      maxAttempts: Math.min(cap.maxAttempts, options.budget?.maxAttempts ?? cap.maxAttempts),
      maxTokens: Math.min(cap.maxTokens, options.budget?.maxTokens ?? cap.maxTokens),
    };
    const meter = new BudgetMeter(options.environment, budget, options.spent);
    return new ModelSession(options.environment, meter, (request, call) =>
      this.#complete(request, call, meter, options.environment),
    );
  }

  async #complete(
    request: ModelRequest,
    call: CallOptions,
    meter: BudgetMeter,
    environment: string,
  ): Promise<PricedResponse> {
    const log = this.#logger.child({ environment });
    const cached = call.refresh ? undefined : await this.#lookup(request);
    if (cached) {
      meter.recordCacheHit();
      log.debug({ provider: cached.provider, model: cached.model }, 'model answer served from cache');
      return cached;
    }
    const failures: ModelProviderError[] = [];
    const providers = this.#available();
    for (const [index, entry] of providers.entries()) {
      const outcome = await this.#tryProvider(entry, request, call, meter, log);
      if (!(outcome instanceof ModelProviderError)) {
        this.#health.answered(entry.provider.name);
        return outcome;
      }
      failures.push(outcome);
      // A rejected request says something about the request; every other failure, about the provider.
      if (outcome.code !== 'VIBE_MODEL_REQUEST_REJECTED' || outcome.status === 404) {
        this.#health.gaveUp(entry.provider.name, outcome.retryAfterMs);
      }
      const next = providers[index + 1];
      if (next) {
        const { name, model } = entry.provider;
        this.#options.metrics.fallbacks.inc({ provider: name, model });
        log.warn(
          { provider: name, model, next: next.provider.name },
          'falling back to the next model provider',
        );
      }
    }
    throw new AllProvidersFailedError(failures);
  }

  /** Providers in order, without those cooling down; all of them when every one is. */
  #available(): readonly PricedProvider[] {
    const { providers, metrics } = this.#options;
    const ready = providers.filter(({ provider }) => !this.#health.isCooling(provider.name));
    if (ready.length === 0) return providers;
    for (const { provider } of providers) {
      if (!ready.some((r) => r.provider === provider)) {
        metrics.cooldownSkips.inc({ provider: provider.name, model: provider.model });
      }
    }
    return ready;
  }

  async #lookup(request: ModelRequest): Promise<PricedResponse | undefined> {
    const { cache, metrics } = this.#options;
    if (!cache) return undefined;
    for (const { provider } of this.#options.providers) {
      const hit = await cache.get(cacheKey(provider, request));
      if (hit) {
        metrics.cacheLookups.inc({ result: 'hit' });
        return { ...hit, cached: true, costUsd: 0 };
      }
    }
    metrics.cacheLookups.inc({ result: 'miss' });
    return undefined;
  }

  /** Resolves to the answer, or to the provider's last failure once retrying it is pointless. */
  async #tryProvider(
    entry: PricedProvider,
    request: ModelRequest,
    call: CallOptions,
    meter: BudgetMeter,
    log: Logger,
  ): Promise<PricedResponse | ModelProviderError> {
    const { metrics, retry, cache } = this.#options;
    const { provider, price } = entry;
    const labels = { provider: provider.name, model: provider.model };
    for (let retriesDone = 0; ; retriesDone += 1) {
      call.signal?.throwIfAborted();
      try {
        meter.admitAttempt();
      } catch (error) {
        if (error instanceof BudgetExhaustedError) metrics.recordBudgetExhausted(error.limit);
        throw error;
      }
      const outcome = await this.#send(entry, request, call);
      if (outcome instanceof ModelProviderError) {
        const decision = decideRetry(outcome, retriesDone, retry, this.#random);
        log.warn(
          { ...labels, code: outcome.code, status: outcome.status, attempt: retriesDone + 1, err: outcome },
          decision.retry
            ? `model request failed; retrying in ${decision.delayMs} ms`
            : 'model request failed',
        );
        if (!decision.retry) return outcome;
        metrics.retries.inc({ ...labels, code: outcome.code });
        await this.#sleep(decision.delayMs, call.signal);
        continue;
      }
      const cost = costUsd(outcome.usage, price);
      metrics.recordUsage(provider.name, provider.model, outcome.usage, cost);
      meter.recordAnswer(outcome.usage, cost);
      log.info({ ...labels, usage: outcome.usage, costUsd: cost }, 'model answered');
      await cache?.set(cacheKey(provider, request), outcome);
      return { ...outcome, costUsd: cost };
    }
  }

  /** One request, once a concurrency slot is free; counted and timed whatever its outcome. */
  async #send(
    { provider, limit }: PricedProvider,
    request: ModelRequest,
    call: CallOptions,
  ): Promise<ModelResponse | ModelProviderError> {
    const { metrics } = this.#options;
    const labels = { provider: provider.name, model: provider.model };
    metrics.waiting.inc(labels);
    let release: (() => void) | undefined;
    try {
      release = await limit?.acquire(call.signal);
    } finally {
      metrics.waiting.dec(labels);
    }
    const stopTimer = metrics.requestDuration.startTimer(labels);
    try {
      const response = await provider.complete(request, call);
      metrics.requests.inc({ ...labels, outcome: 'success' });
      return response;
    } catch (error) {
      if (!(error instanceof ModelProviderError)) {
        metrics.requests.inc({ ...labels, outcome: 'error' });
        throw error;
      }
      metrics.requests.inc({ ...labels, outcome: error.retryable ? 'retryable_error' : 'error' });
      return error;
    } finally {
      stopTimer();
      release?.();
    }
  }
}

/** One environment's view of the gateway: its budget and what it has spent so far. */
export class ModelSession {
  readonly environment: string;
  readonly #meter: BudgetMeter;
  readonly #send: (request: ModelRequest, options: CallOptions) => Promise<PricedResponse>;

  constructor(
    environment: string,
    meter: BudgetMeter,
    send: (request: ModelRequest, options: CallOptions) => Promise<PricedResponse>,
  ) {
    this.environment = environment;
    this.#meter = meter;
    this.#send = send;
  }

  /**
   * Asks for one answer. Throws `BudgetExhaustedError` when the budget is spent,
   * `AllProvidersFailedError` when no provider answered, and passes on any other
   * error a provider raised (such as the offline planner refusing an intent).
   * An aborted signal rejects the call at once, with no retry or fallback.
   */
  complete(request: ModelRequest, options: CallOptions = {}): Promise<PricedResponse> {
    return this.#send(request, options);
  }

  get usage(): SessionUsage {
    return this.#meter.usage;
  }
}
