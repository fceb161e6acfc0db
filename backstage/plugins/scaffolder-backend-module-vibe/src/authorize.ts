/** Asks Backstage's permission framework whether the task's initiator may do what an action does. */
import type { BackstageCredentials, PermissionsService } from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import { AuthorizeResult, type BasicPermission } from '@backstage/plugin-permission-common';

export async function authorize(
  permissions: PermissionsService,
  credentials: BackstageCredentials,
  permission: BasicPermission,
  what: string,
): Promise<void> {
  const [decision] = await permissions.authorize([{ permission }], { credentials });
  if (decision?.result !== AuthorizeResult.ALLOW) {
    throw new NotAllowedError(
      `you may not ${what}: the permission policy denies ${permission.name}; ask a Backstage administrator to allow it for you.`,
    );
  }
}
