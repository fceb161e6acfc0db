/** Why applying a plan stopped, as a sentence that names the object and what to change. */
import { ApiError } from '../../reconciler/errors.js';
import { UnknownKindError } from '../../reconciler/rest-mapper.js';

export type ApplyErrorCode =
  | 'VIBE_APPLY_INVALID_APPLYSET_ID'
  | 'VIBE_APPLY_RESERVED_NAME'
  | 'VIBE_APPLY_IDENTITY_NOT_BOUND'
  | 'VIBE_APPLY_FORBIDDEN'
  | 'VIBE_APPLY_POD_SECURITY'
  | 'VIBE_APPLY_QUOTA_EXCEEDED'
  | 'VIBE_APPLY_UNKNOWN_KIND'
  | 'VIBE_APPLY_INVALID'
  | 'VIBE_APPLY_CONFLICT'
  | 'VIBE_APPLY_UNCHECKED_MANIFESTS'
  | 'VIBE_APPLY_FAILED';

export class ApplyError extends Error {
  readonly code: ApplyErrorCode;
  /** `Kind/name` of the object the failure is about. */
  readonly object: string | undefined;
  /** The API server's HTTP status, when it answered. */
  readonly status: number | undefined;
  constructor(code: ApplyErrorCode, message: string, object?: string, status?: number, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'ApplyError';
    this.code = code;
    this.object = object;
    this.status = status;
  }
}

export function describeRef(ref: { kind: string; name: string; namespace?: string }): string {
  return `${ref.kind}/${ref.name}`;
}

/** Turns what a write threw into an ApplyError; an abort is passed through untouched. */
export function failureOf(err: unknown, object: string, user: string | undefined): unknown {
  if (err instanceof ApplyError || (err instanceof Error && err.name === 'AbortError')) return err;
  const who = user ? `the environment's identity ${user}` : 'the operator';
  if (err instanceof UnknownKindError) {
    return new ApplyError(
      'VIBE_APPLY_UNKNOWN_KIND',
      `${object} cannot be applied: ${err.message}`,
      object,
      undefined,
      err,
    );
  }
  if (err instanceof ApiError) {
    const detail = err.message.replace(/^.*? failed with HTTP \d+: /, '');
    switch (err.status) {
      case 403:
        // Admission answers 403 too; those refusals are about the object, not about who sent it.
        if (/violates PodSecurity/.test(detail)) {
          return new ApplyError(
            'VIBE_APPLY_POD_SECURITY',
            `${object} breaks the namespace's Pod Security Standard: ${detail}. Set the securityContext ` +
              'fields it names (runAsNonRoot, seccompProfile RuntimeDefault, allowPrivilegeEscalation false, ' +
              'capabilities drop ALL).',
            object,
            403,
            err,
          );
        }
        if (/exceeded quota/.test(detail)) {
          return new ApplyError(
            'VIBE_APPLY_QUOTA_EXCEEDED',
            `${object} does not fit the environment's quota: ${detail}. Request less, or raise spec.resources.`,
            object,
            403,
            err,
          );
        }
        return new ApplyError(
          'VIBE_APPLY_FORBIDDEN',
          `${who} may not write ${object} (${detail}); a plan may hold only namespaced objects of the ` +
            'kinds the policy allows, in its own namespace.',
          object,
          403,
          err,
        );
      case 400:
      case 422:
        return new ApplyError(
          'VIBE_APPLY_INVALID',
          `the API server refused ${object}: ${detail}. Correct the field it names.`,
          object,
          err.status,
          err,
        );
      case 409:
        return new ApplyError(
          'VIBE_APPLY_CONFLICT',
          `${object} changed while it was being applied (${detail}); applying again will retry.`,
          object,
          409,
          err,
        );
      default:
        return new ApplyError(
          'VIBE_APPLY_FAILED',
          `applying ${object} failed with HTTP ${err.status}: ${detail}`,
          object,
          err.status,
          err,
        );
    }
  }
  const message = err instanceof Error ? err.message : String(err);
  return new ApplyError(
    'VIBE_APPLY_FAILED',
    `applying ${object} failed: ${message}; check that the API server is reachable.`,
    object,
    undefined,
    err,
  );
}
