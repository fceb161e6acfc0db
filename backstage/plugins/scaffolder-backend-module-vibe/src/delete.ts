/** `vibe:environment:delete`: deletes an environment; one that is already gone counts as deleted. */
import type { PermissionsService } from '@backstage/backend-plugin-api';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { vibeEnvironmentDeletePermission } from '@vibe-operator/plugin-vibe-common';
import { ClientError, type EnvironmentClient } from '@vibe-operator/plugin-vibe-node';
import { authorize } from './authorize.js';
import { actionError } from './outcome.js';

const ID = 'vibe:environment:delete';

export function deleteEnvironmentAction(client: EnvironmentClient, permissions: PermissionsService) {
  return createTemplateAction({
    id: ID,
    description: 'Deletes a vibe environment and everything in its namespace.',
    schema: {
      input: {
        name: (z) => z.string().min(1).max(63).describe('The environment name.'),
        namespace: (z) =>
          z.string().max(63).optional().describe("Its namespace; the plugin's default when omitted."),
      },
      output: {
        name: (z) => z.string(),
        namespace: (z) => z.string(),
        deleted: (z) => z.boolean().describe('False when it was already gone.'),
      },
    },
    async handler(ctx) {
      const { name } = ctx.input;
      const namespace = ctx.input.namespace ?? client.defaultNamespace;
      await authorize(
        permissions,
        await ctx.getInitiatorCredentials(),
        vibeEnvironmentDeletePermission,
        `delete environments (${ID})`,
      );
      const deleted = await client.call('delete', { name, namespace }).then(
        () => true,
        (error: unknown) => {
          if (error instanceof ClientError && error.code === 'VIBE_CLIENT_NOT_FOUND') return false;
          throw actionError(ID, error);
        },
      );
      ctx.logger.info(
        deleted
          ? `Deleted vibeenvironment ${namespace}/${name}.`
          : `vibeenvironment ${namespace}/${name} was already gone.`,
      );
      ctx.output('name', name);
      ctx.output('namespace', namespace);
      ctx.output('deleted', deleted);
    },
  });
}
