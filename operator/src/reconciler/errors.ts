/**
 * The errors handlers raise to steer the framework, and the error the API
 * client raises. Each carries a stable code so logs and tests can match it.
 */
export class TemporaryError extends Error {
  readonly code = 'VIBE_HANDLER_TEMPORARY';
  /** How long to wait before the handler runs again, in milliseconds. */
  readonly delayMs: number;
  constructor(message: string, delayMs = 60_000) {
    super(message);
    this.name = 'TemporaryError';
    this.delayMs = delayMs;
  }
}

export class PermanentError extends Error {
  readonly code = 'VIBE_HANDLER_PERMANENT';
  constructor(message: string) {
    super(message);
    this.name = 'PermanentError';
  }
}

export class HandlerTimeoutError extends Error {
  readonly code = 'VIBE_HANDLER_TIMEOUT';
  constructor(handler: string, timeoutMs: number) {
    super(`handler ${handler} did not finish within ${timeoutMs} ms and was abandoned; it will be retried.`);
    this.name = 'HandlerTimeoutError';
  }
}

/** The Kubernetes API answered with an error status. */
export class ApiError extends Error {
  readonly code = 'VIBE_KUBE_API_ERROR';
  readonly status: number;
  readonly reason: string | undefined;
  constructor(method: string, path: string, status: number, body: unknown) {
    const status_ = isStatus(body) ? body : undefined;
    super(
      `${method} ${path} failed with HTTP ${status}` +
        (status_?.message ? `: ${status_.message}` : typeof body === 'string' && body ? `: ${body}` : ''),
    );
    this.name = 'ApiError';
    this.status = status;
    this.reason = status_?.reason;
  }
}

function isStatus(body: unknown): body is { message?: string; reason?: string } {
  return typeof body === 'object' && body !== null && (body as { kind?: string }).kind === 'Status';
}

export function isApiError(err: unknown, status?: number): err is ApiError {
  return err instanceof ApiError && (status === undefined || err.status === status);
}

/** Turns anything thrown into an Error, so a handler that throws a string or an object is still reported. */
export function toError(thrown: unknown): Error {
  if (thrown instanceof Error) return thrown;
  let text: string;
  try {
    text = typeof thrown === 'string' ? thrown : JSON.stringify(thrown);
  } catch {
    text = String(thrown);
  }
  const err = new Error(`a non-Error value was thrown: ${text}`);
  err.name = 'NonErrorThrown';
  return err;
}
