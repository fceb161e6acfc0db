/**
 * What a model author makes of an error from the model gateway: an answer about the intent (a
 * refusal, a bad request) becomes a failed attempt the loop can report; the model service being
 * out of reach is no attempt at all (AuthorUnavailableError); anything else is a bug and rethrown.
 */
import { CODE } from '../errors/index.js';
import { AuthorUnavailableError, type Authored, type AuthorUsage } from './script-author.js';

/** Codes of failures that say the intent itself will never be served. */
const REFUSALS: ReadonlySet<string> = new Set([CODE.VIBE_PLAN_REFUSED, CODE.VIBE_PLAN_NOT_UNDERSTOOD]);

/** Failures of the model service or of the operator's access to it, after the gateway's retries and fallbacks. */
const UNAVAILABLE: ReadonlySet<string> = new Set([
  CODE.VIBE_MODEL_ALL_PROVIDERS_FAILED,
  CODE.VIBE_MODEL_RATE_LIMITED,
  CODE.VIBE_MODEL_SERVER_ERROR,
  CODE.VIBE_MODEL_TIMEOUT,
  CODE.VIBE_MODEL_UNREACHABLE,
  CODE.VIBE_MODEL_AUTH_FAILED,
  CODE.VIBE_MODEL_API_KEY_MISSING,
  CODE.VIBE_MODEL_ENV_MISSING,
  CODE.VIBE_MODEL_NO_PROVIDER,
]);

export function modelFailure(error: unknown, usage?: AuthorUsage): Authored & { ok: false } {
  const code = (error as { code?: unknown }).code;
  if (typeof code !== 'string' || !code.startsWith('VIBE_')) throw error;
  const message = error instanceof Error ? error.message : String(error);
  if (UNAVAILABLE.has(code)) throw new AuthorUnavailableError(code, message);
  return { ok: false, refused: REFUSALS.has(code), code, message, ...(usage ? { usage } : {}) };
}
