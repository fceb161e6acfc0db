/**
 * The one error the environment client raises: a stable code and a sentence that names the object,
 * the reason and what to do. The CLI prints it, the MCP server returns it as a tool error.
 */
import { isApiError } from '../reconciler/errors.js';

export type ClientErrorCode =
  | 'VIBE_CLIENT_UNAUTHORIZED'
  | 'VIBE_CLIENT_FORBIDDEN'
  | 'VIBE_CLIENT_NOT_FOUND'
  | 'VIBE_CLIENT_EXISTS'
  | 'VIBE_CLIENT_INVALID'
  | 'VIBE_CLIENT_CONFLICT'
  | 'VIBE_CLIENT_NO_PLAN'
  | 'VIBE_CLIENT_STALE_PLAN'
  | 'VIBE_CLIENT_NOT_MANUAL'
  | 'VIBE_CLIENT_NOT_READY'
  | 'VIBE_CLIENT_TIMEOUT'
  | 'VIBE_CLIENT_FAILED'
  | 'VIBE_CLIENT_UNREACHABLE';

export class ClientError extends Error {
  constructor(
    readonly code: ClientErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ClientError';
  }
}

/** What a call was doing, so a refusal can name the permission that was missing. */
export interface Action {
  verb: 'get' | 'list' | 'watch' | 'create' | 'patch' | 'delete';
  /** The resource as RBAC spells it: `vibeenvironments.vibe.dev`, `pods/log`. */
  resource: string;
  /** The namespace the call is in; undefined for a call across every namespace. */
  namespace: string | undefined;
  /** The object, for messages: `vibeenvironment default/web`. */
  object: string;
}

/** Turns an API server error (or a broken connection) into a ClientError about the action. */
export function explain(error: unknown, action: Action): ClientError {
  if (error instanceof ClientError) return error;
  const where = action.namespace === undefined ? 'cluster-wide' : `in namespace ${action.namespace}`;
  const role = action.namespace === undefined ? 'ClusterRole' : 'Role';
  if (isApiError(error)) {
    switch (error.status) {
      case 401:
        return new ClientError(
          'VIBE_CLIENT_UNAUTHORIZED',
          `the API server did not accept your credentials while trying to ${action.verb} ${action.object}; log in again or fix the user in your kubeconfig.`,
        );
      case 403:
        return new ClientError(
          'VIBE_CLIENT_FORBIDDEN',
          `you may not ${action.verb} ${action.resource} ${where} (${action.object}): ask a cluster administrator for a ${role} granting "${action.verb}" on "${action.resource}" ${where}.`,
        );
      case 404:
        return new ClientError(
          'VIBE_CLIENT_NOT_FOUND',
          `${action.object} was not found; \`vibe list -n ${action.namespace ?? 'NAMESPACE'}\` shows the environments that exist.`,
        );
      case 409:
        return error.reason === 'AlreadyExists'
          ? new ClientError(
              'VIBE_CLIENT_EXISTS',
              `${action.object} already exists; pick another name (--name) or delete it first.`,
            )
          : new ClientError(
              'VIBE_CLIENT_CONFLICT',
              `${action.object} changed while it was being updated; run the command again.`,
            );
      case 422:
      case 400:
        return new ClientError(
          'VIBE_CLIENT_INVALID',
          `the API server refused ${action.object}: ${error.message.replace(/^[A-Z]+ \S+ failed with HTTP \d+: /, '')}`,
        );
    }
    return new ClientError(
      'VIBE_CLIENT_FAILED',
      `could not ${action.verb} ${action.object}: ${error.message}`,
    );
  }
  const message = error instanceof Error ? error.message : String(error);
  return new ClientError(
    'VIBE_CLIENT_UNREACHABLE',
    `could not reach the API server to ${action.verb} ${action.object}: ${message}; check the cluster in your kubeconfig.`,
  );
}
