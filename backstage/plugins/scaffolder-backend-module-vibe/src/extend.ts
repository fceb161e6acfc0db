/**
 * `vibe:environment:extend`: lets an environment live longer. Extending adds to what was added
 * before, so the call sits in a checkpoint: a retried task does not extend twice.
 */
import type { PermissionsService } from '@backstage/backend-plugin-api';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { vibeEnvironmentExtendPermission } from '@vibe-operator/plugin-vibe-common';
import type { EnvironmentClient } from '@vibe-operator/plugin-vibe-node';
import { authorize } from './authorize.js';
import { actionError, environmentOutput, writeOutput } from './outcome.js';
import { outputSchema } from './schema.js';

const ID = 'vibe:environment:extend';

export function extendEnvironmentAction(client: EnvironmentClient, permissions: PermissionsService) {
  return createTemplateAction({
    id: ID,
    description: 'Lets a vibe environment live longer by a duration.',
    schema: {
      input: {
        name: (z) => z.string().min(1).max(63).describe('The environment name.'),
        namespace: (z) =>
          z.string().max(63).optional().describe("Its namespace; the plugin's default when omitted."),
        by: (z) => z.string().min(1).max(16).describe('How much longer: 30m, 2h, 1d.'),
      },
      output: outputSchema,
    },
    async handler(ctx) {
      const { name, by } = ctx.input;
      const namespace = ctx.input.namespace ?? client.defaultNamespace;
      await authorize(
        permissions,
        await ctx.getInitiatorCredentials(),
        vibeEnvironmentExtendPermission,
        `extend environments (${ID})`,
      );
      const output = await ctx.checkpoint({
        key: 'vibe.environment.extended',
        fn: async () => {
          const env = await client.call('extend', { name, namespace, by }).catch((error: unknown) => {
            throw actionError(ID, error);
          });
          ctx.logger.info(
            `Extended vibeenvironment ${namespace}/${name} by ${by}; it now ends at ${env.expiresAt ?? 'an unknown time'}.`,
          );
          return { ...environmentOutput(env) };
        },
      });
      writeOutput(ctx.output, output);
    },
  });
}
