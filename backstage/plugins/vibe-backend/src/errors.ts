/** The environment client's errors as the Backstage errors its HTTP error handler turns into statuses. */
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import { ClientError } from '@vibe-operator/plugin-vibe-node';

export function backstageError(error: unknown): unknown {
  if (!(error instanceof ClientError)) return error;
  const message = `${error.message} (${error.code})`;
  switch (error.code) {
    case 'VIBE_CLIENT_NOT_FOUND':
      return new NotFoundError(message);
    case 'VIBE_CLIENT_INVALID':
      return new InputError(message);
    case 'VIBE_CLIENT_FORBIDDEN':
    case 'VIBE_CLIENT_UNAUTHORIZED':
      return new NotAllowedError(message);
    case 'VIBE_CLIENT_EXISTS':
    case 'VIBE_CLIENT_CONFLICT':
      return new ConflictError(message);
    case 'VIBE_CLIENT_UNREACHABLE':
      return new ServiceUnavailableError(message);
    default:
      return error;
  }
}
