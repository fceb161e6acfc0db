import { describe, expect, it } from 'vitest';
import { AllProvidersFailedError } from './errors.js';
import { providerErrorFrom, retryAfterMs } from './http-failure.js';

const context = { provider: 'p', model: 'm', endpoint: 'http://127.0.0.1:1', timeoutMs: 1000, secrets: [] };

describe('retryAfterMs', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');

  it.each([
    [{ 'retry-after': '3' }, 3000],
    [{ 'retry-after': '0.5' }, 500],
    [{ 'retry-after-ms': '120.2' }, 121],
    [{ 'retry-after-ms': '40', 'retry-after': '10' }, 40],
    [{ 'retry-after': 'Thu, 01 Jan 2026 00:00:05 GMT' }, 5000],
    [{ 'retry-after': 'Wed, 31 Dec 2025 23:59:00 GMT' }, 0],
    [{ 'retry-after': 'soon' }, undefined],
    [{}, undefined],
  ])('reads %j as %s ms', (headers, expected) => {
    expect(retryAfterMs(new Headers(headers), now)).toBe(expected);
  });
});

describe('providerErrorFrom', () => {
  it.each([
    [{ status: 429 }, 'VIBE_MODEL_RATE_LIMITED', true],
    [{ status: 529 }, 'VIBE_MODEL_SERVER_ERROR', true],
    [{ status: 408 }, 'VIBE_MODEL_REQUEST_REJECTED', true],
    [{ status: 401 }, 'VIBE_MODEL_AUTH_FAILED', false],
    [{ status: 403 }, 'VIBE_MODEL_AUTH_FAILED', false],
    [{ status: 400 }, 'VIBE_MODEL_REQUEST_REJECTED', false],
    [{}, 'VIBE_MODEL_UNREACHABLE', true],
  ])('classifies %j as %s (retryable: %s)', (facts, code, retryable) => {
    const error = providerErrorFrom({ timedOut: false, ...facts }, context);
    expect(error.code).toBe(code);
    expect(error.retryable).toBe(retryable);
  });

  it('lets x-should-retry overrule the status', () => {
    const headers = (value: string) => new Headers({ 'x-should-retry': value });
    expect(
      providerErrorFrom({ timedOut: false, status: 400, headers: headers('true') }, context).retryable,
    ).toBe(true);
    expect(
      providerErrorFrom({ timedOut: false, status: 503, headers: headers('false') }, context).retryable,
    ).toBe(false);
  });

  it('classifies a timeout and says which limit to raise', () => {
    const error = providerErrorFrom({ timedOut: true }, context);
    expect(error).toMatchObject({ code: 'VIBE_MODEL_TIMEOUT', retryable: true });
    expect(error.message).toContain('1000 ms');
  });

  it('removes secrets from the API message it quotes', () => {
    const secret = 'sk-secret-value-123456';
    const error = providerErrorFrom(
      { timedOut: false, status: 401, apiMessage: `bad key ${secret}` },
      { ...context, secrets: [secret] },
    );
    expect(error.message).toContain('bad key [REDACTED]');
    expect(error.message).not.toContain(secret);
  });

  it('adds up to one message a user can act on when every provider failed', () => {
    const error = new AllProvidersFailedError([
      providerErrorFrom({ timedOut: false, status: 500, apiMessage: 'Internal server error' }, context),
      providerErrorFrom(
        { timedOut: false, connectionMessage: 'Connection error.' },
        { ...context, provider: 'local', model: 'qwen' },
      ),
    ]);
    expect(error.message).toBe(
      "No model provider answered. Model provider 'p' (m) failed with HTTP 500: Internal server error; " +
        'retry later or add a fallback provider. ' +
        "Model provider 'local' (qwen) could not be reached at http://127.0.0.1:1 (Connection error); " +
        'check baseURL and the network.',
    );
  });
});
