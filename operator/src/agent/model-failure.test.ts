import { describe, expect, it } from 'vitest';
import { ModelError, AllProvidersFailedError } from '../models/index.js';
import { modelFailure } from './model-failure.js';
import { AuthorUnavailableError } from './script-author.js';

describe('modelFailure', () => {
  it('turns an outage into no attempt at all', () => {
    expect(() => modelFailure(new AllProvidersFailedError([]))).toThrow(AuthorUnavailableError);
    expect(() => modelFailure(new ModelError('VIBE_MODEL_AUTH_FAILED', 'the key was refused'))).toThrow(
      expect.objectContaining({ reason: 'VIBE_MODEL_AUTH_FAILED', message: 'the key was refused' }),
    );
  });

  it('keeps answers about the intent as failed attempts, refusals marked', () => {
    const usage = { roundTrips: 1, inputTokens: 5, outputTokens: 1, costUsd: 0 };
    expect(modelFailure(new ModelError('VIBE_MODEL_REQUEST_REJECTED', 'too long'), usage)).toEqual({
      ok: false,
      refused: false,
      code: 'VIBE_MODEL_REQUEST_REJECTED',
      message: 'too long',
      usage,
    });
    const refusal = Object.assign(new Error('no'), { code: 'VIBE_PLAN_REFUSED' });
    expect(modelFailure(refusal)).toMatchObject({ ok: false, refused: true });
  });

  it('rethrows what is not the gateway speaking', () => {
    const bug = new TypeError('undefined is not a function');
    expect(() => modelFailure(bug)).toThrow(bug);
  });
});
