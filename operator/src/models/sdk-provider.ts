/**
 * The base of the providers that speak through a vendor SDK (Anthropic,
 * OpenAI-compatible): their identity, how their SDK clients are set up, and
 * how what an SDK throws becomes the gateway's `ModelProviderError`. Both SDKs
 * come from one generator, so their error classes have the same names and shapes.
 */
import { ModelProviderError } from './errors.js';
import { providerErrorFrom, type FailureContext, type HttpFailureFacts } from './http-failure.js';
import type { Secret } from './secret.js';
import type { CallOptions, ModelProvider, ModelRequest, ModelResponse, ProviderKind } from './types.js';

/** What every HTTP provider takes from its config entry. */
export interface HttpProviderOptions {
  name: string;
  model: string;
  maxOutputTokens: number;
  timeoutMs: number;
}

/** Retries belong to the gateway (docs/adr/0030), so the SDK sends each request once. */
export function sdkClientOptions(timeoutMs: number) {
  return { maxRetries: 0, timeout: timeoutMs, logLevel: 'off' } as const;
}

/** An SDK's APIError: the HTTP status and headers when the API answered. */
export interface SdkApiError extends Error {
  readonly status: number | undefined;
  readonly headers: Headers | undefined;
}

type ErrorClass<E extends Error = Error> = abstract new (...args: never[]) => E;

/** The error classes an SDK exports as static members of its client class. */
export interface SdkErrorClasses<E extends SdkApiError> {
  APIUserAbortError: ErrorClass;
  APIConnectionTimeoutError: ErrorClass;
  APIConnectionError: ErrorClass;
  APIError: ErrorClass<E>;
}

export interface SdkProviderOptions<E extends SdkApiError> {
  provider: HttpProviderOptions;
  /** Where requests go, for messages about timeouts and unreachable hosts. */
  endpoint: string;
  /** The key, kept out of every error message. */
  apiKey?: Secret;
  errors: SdkErrorClasses<E>;
  /** The API's own message from an error body, read the way this SDK exposes it. */
  apiMessage(error: E): string | null;
}

/** A provider that sends each request once through its SDK and translates the SDK's failures. */
export abstract class SdkProvider<E extends SdkApiError> implements ModelProvider {
  abstract readonly kind: ProviderKind;
  readonly name: string;
  readonly model: string;
  /** Output tokens of a request that names no limit. */
  protected readonly maxOutputTokens: number;
  readonly #errors: SdkErrorClasses<E>;
  readonly #apiMessage: (error: E) => string | null;
  readonly #failure: Omit<FailureContext, 'secrets'>;
  readonly #apiKey: Secret | undefined;

  protected constructor(options: SdkProviderOptions<E>) {
    const { provider, endpoint, apiKey } = options;
    this.name = provider.name;
    this.model = provider.model;
    this.maxOutputTokens = provider.maxOutputTokens;
    this.#errors = options.errors;
    this.#apiMessage = options.apiMessage;
    this.#failure = {
      provider: provider.name,
      model: provider.model,
      endpoint,
      timeoutMs: provider.timeoutMs,
    };
    this.#apiKey = apiKey;
  }

  abstract complete(request: ModelRequest, options?: CallOptions): Promise<ModelResponse>;

  /** Transport and API failures are thrown as `ModelProviderError`; anything else as it came. */
  protected async send<T>(request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (error) {
      throw this.#translate(error);
    }
  }

  /** The API answered with a body that is not the API's (e.g. baseURL points elsewhere). */
  protected badResponse(what: string): ModelProviderError {
    const { provider, model } = this.#failure;
    return new ModelProviderError(
      'VIBE_MODEL_BAD_RESPONSE',
      `Model provider '${provider}' (${model}) ${what}`,
      {
        provider,
        model,
        retryable: false,
      },
    );
  }

  #translate(error: unknown): unknown {
    const errors = this.#errors;
    let facts: HttpFailureFacts;
    // An abort is the caller's decision, not a provider failure: it must not be retried.
    if (error instanceof errors.APIUserAbortError) return error;
    if (error instanceof errors.APIConnectionTimeoutError) {
      facts = { timedOut: true };
    } else if (error instanceof errors.APIConnectionError) {
      facts = { timedOut: false, connectionMessage: error.message };
    } else if (error instanceof errors.APIError) {
      facts = {
        timedOut: false,
        status: error.status,
        headers: error.headers,
        apiMessage: this.#apiMessage(error),
      };
    } else {
      return error;
    }
    return providerErrorFrom(facts, {
      ...this.#failure,
      secrets: this.#apiKey ? [this.#apiKey.reveal()] : [],
    });
  }
}
