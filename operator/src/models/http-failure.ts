import { ModelProviderError, scrubSecrets, type ModelErrorCode } from './errors.js';

/** What an SDK error says about one failed HTTP exchange, independent of the SDK. */
export interface HttpFailureFacts {
  status?: number;
  headers?: Headers;
  /** The API's own error message, when the body carried one. */
  apiMessage?: string | null;
  timedOut: boolean;
  /** Why the connection failed, when no response came back. */
  connectionMessage?: string;
}

export interface FailureContext {
  provider: string;
  model: string;
  endpoint: string;
  timeoutMs: number;
  /** Values that must not appear in the resulting message. */
  secrets: readonly string[];
}

/** Reads `retry-after-ms`, else `retry-after` as seconds or an HTTP date. */
export function retryAfterMs(headers: Headers | undefined, now: number = Date.now()): number | undefined {
  if (!headers) return undefined;
  const ms = Number.parseFloat(headers.get('retry-after-ms') ?? '');
  if (Number.isFinite(ms) && ms >= 0) return Math.ceil(ms);
  const value = headers.get('retry-after');
  if (value === null || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.ceil(seconds * 1000);
  const date = Date.parse(value);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 429 || status >= 500;
}

export function providerErrorFrom(facts: HttpFailureFacts, ctx: FailureContext): ModelProviderError {
  const who = `Model provider '${ctx.provider}' (${ctx.model})`;
  const base = { provider: ctx.provider, model: ctx.model };
  const detail = facts.apiMessage ? `: ${facts.apiMessage}` : '';
  let code: ModelErrorCode;
  let message: string;
  if (facts.timedOut) {
    code = 'VIBE_MODEL_TIMEOUT';
    message = `${who} did not answer within ${ctx.timeoutMs} ms; check ${ctx.endpoint} or raise timeoutMs.`;
  } else if (facts.status === undefined) {
    code = 'VIBE_MODEL_UNREACHABLE';
    message = `${who} could not be reached at ${ctx.endpoint} (${(facts.connectionMessage ?? 'connection failed').replace(/\.$/, '')}); check baseURL and the network.`;
  } else if (facts.status === 429) {
    code = 'VIBE_MODEL_RATE_LIMITED';
    message = `${who} is rate limiting requests (HTTP 429${detail}); lower concurrency or add a fallback provider.`;
  } else if (facts.status >= 500) {
    code = 'VIBE_MODEL_SERVER_ERROR';
    message = `${who} failed with HTTP ${facts.status}${detail}; retry later or add a fallback provider.`;
  } else if (facts.status === 401 || facts.status === 403) {
    code = 'VIBE_MODEL_AUTH_FAILED';
    message = `${who} refused the API key (HTTP ${facts.status}${detail}); check the key in the provider's Secret.`;
  } else {
    code = 'VIBE_MODEL_REQUEST_REJECTED';
    message = `${who} rejected the request (HTTP ${facts.status}${detail}); check the model name and maxOutputTokens.`;
  }
  const status = facts.status;
  // The APIs may say outright whether a retry can help; that beats our reading of the status.
  const shouldRetry = facts.headers?.get('x-should-retry');
  const retryable =
    shouldRetry === 'true' ||
    (shouldRetry !== 'false' && (facts.timedOut || status === undefined || isRetryableStatus(status)));
  const wait = retryAfterMs(facts.headers);
  return new ModelProviderError(code, scrubSecrets(message, ctx.secrets), {
    ...base,
    retryable,
    ...(status !== undefined && { status }),
    ...(wait !== undefined && { retryAfterMs: wait }),
  });
}
