/**
 * Typed errors of the model gateway. Each has a stable code and a message a user
 * can act on. Messages never carry API keys: provider errors are built from
 * scrubbed text only, and the SDK's own error is not kept as `cause` because its
 * message may echo a response body that contains one.
 */

export type ModelErrorCode =
  | 'VIBE_MODEL_RATE_LIMITED'
  | 'VIBE_MODEL_SERVER_ERROR'
  | 'VIBE_MODEL_TIMEOUT'
  | 'VIBE_MODEL_UNREACHABLE'
  | 'VIBE_MODEL_AUTH_FAILED'
  | 'VIBE_MODEL_REQUEST_REJECTED'
  | 'VIBE_MODEL_BAD_RESPONSE'
  | 'VIBE_MODEL_ALL_PROVIDERS_FAILED'
  | 'VIBE_MODEL_BUDGET_EXHAUSTED'
  | 'VIBE_MODEL_API_KEY_MISSING'
  | 'VIBE_MODEL_ENV_MISSING'
  | 'VIBE_MODEL_NO_PROVIDER';

export class ModelError extends Error {
  readonly code: ModelErrorCode;

  constructor(code: ModelErrorCode, message: string) {
    super(message);
    this.name = 'ModelError';
    this.code = code;
  }
}

export interface ProviderFailure {
  provider: string;
  model: string;
  /** HTTP status when the API answered; absent for timeouts and connection failures. */
  status?: number;
  /** Whether sending the same request again may succeed. */
  retryable: boolean;
  /** The server's `retry-after`/`retry-after-ms`, in milliseconds, when it sent one. */
  retryAfterMs?: number;
}

/** One failed request to one provider; the gateway decides to retry or fall back. */
export class ModelProviderError extends ModelError implements ProviderFailure {
  readonly provider: string;
  readonly model: string;
  readonly status?: number;
  readonly retryable: boolean;
  readonly retryAfterMs?: number;

  constructor(code: ModelErrorCode, message: string, failure: ProviderFailure) {
    super(code, message);
    this.name = 'ModelProviderError';
    this.provider = failure.provider;
    this.model = failure.model;
    this.retryable = failure.retryable;
    if (failure.status !== undefined) this.status = failure.status;
    if (failure.retryAfterMs !== undefined) this.retryAfterMs = failure.retryAfterMs;
  }
}

export class AllProvidersFailedError extends ModelError {
  readonly failures: readonly ModelProviderError[];

  constructor(failures: ModelProviderError[]) {
    const each = failures.map((f) => f.message).join(' ');
    super('VIBE_MODEL_ALL_PROVIDERS_FAILED', `No model provider answered. ${each}`);
    this.name = 'AllProvidersFailedError';
    this.failures = failures;
  }
}

export type BudgetLimit = 'attempts' | 'tokens';

export class BudgetExhaustedError extends ModelError {
  readonly environment: string;
  readonly limit: BudgetLimit;
  readonly spent: number;
  readonly max: number;

  constructor(environment: string, limit: BudgetLimit, spent: number, max: number) {
    const what = limit === 'attempts' ? 'model requests' : 'tokens';
    super(
      'VIBE_MODEL_BUDGET_EXHAUSTED',
      `Environment ${environment} has used ${spent} of its ${max} ${what}; raise spec.budget or simplify the intent.`,
    );
    this.name = 'BudgetExhaustedError';
    this.environment = environment;
    this.limit = limit;
    this.spent = spent;
    this.max = max;
  }
}

/** Replaces every occurrence of each secret in `text`; short strings are skipped as they would mangle prose. */
export function scrubSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length >= 8) out = out.split(secret).join('[REDACTED]');
  }
  return out;
}
