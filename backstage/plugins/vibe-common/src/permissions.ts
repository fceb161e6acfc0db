/**
 * The permissions the vibe plugins ask Backstage's permission framework about. Reading is separate
 * from changing so a policy can show every team its environments and let only owners change them.
 */
import { createPermission } from '@backstage/plugin-permission-common';

/** See an entity's environments, their attempts and their workload logs. */
export const vibeEnvironmentReadPermission = createPermission({
  name: 'vibe.environment.read',
  attributes: { action: 'read' },
});

/** Create an environment (the scaffolder action `vibe:environment:create`). */
export const vibeEnvironmentCreatePermission = createPermission({
  name: 'vibe.environment.create',
  attributes: { action: 'create' },
});

/** Let an environment live longer (the extend action of the card and of the scaffolder). */
export const vibeEnvironmentExtendPermission = createPermission({
  name: 'vibe.environment.extend',
  attributes: { action: 'update' },
});

/** Delete an environment before its TTL ends. */
export const vibeEnvironmentDeletePermission = createPermission({
  name: 'vibe.environment.delete',
  attributes: { action: 'delete' },
});

export const vibePermissions = [
  vibeEnvironmentReadPermission,
  vibeEnvironmentCreatePermission,
  vibeEnvironmentExtendPermission,
  vibeEnvironmentDeletePermission,
];
