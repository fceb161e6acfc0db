/**
 * `vibe:environment:create`: creates a VibeEnvironment from an intent and, with wait, follows it to
 * Ready. Its name is recorded in a checkpoint before anything is created and the creation in another,
 * so a task retried after a crash adopts the environment it made instead of making a second one.
 */
import type { PermissionsService } from '@backstage/backend-plugin-api';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { vibeEnvironmentCreatePermission } from '@vibe-operator/plugin-vibe-common';
import { ClientError, nameFromIntent, type EnvironmentClient } from '@vibe-operator/plugin-vibe-node';
import { authorize } from './authorize.js';
import { actionError, environmentOutput, failedEnvironmentError, writeOutput } from './outcome.js';
import { outputSchema, timeoutSecondsInput } from './schema.js';

const ID = 'vibe:environment:create';

export function createEnvironmentAction(client: EnvironmentClient, permissions: PermissionsService) {
  return createTemplateAction({
    id: ID,
    description:
      'Creates an ephemeral vibe environment from an intent in plain language; with wait, waits until it is Ready and outputs its preview URL.',
    supportsDryRun: true,
    examples: [
      {
        description: 'A preview of a service for four hours',
        example: [
          'steps:',
          '  - id: preview',
          '    action: vibe:environment:create',
          '    input:',
          '      intent: ghcr.io/acme/web:1.4 on port 8080, public, with postgres',
          '      namespace: team-a',
          '      ttl: 4h',
          '      wait: true',
        ].join('\n'),
      },
    ],
    schema: {
      input: {
        intent: (z) =>
          z.string().min(1).max(8000).describe('What the environment should be, in plain language.'),
        name: (z) =>
          z
            .string()
            .max(63)
            .optional()
            .describe('The environment name; generated from the intent when omitted.'),
        namePrefix: (z) =>
          z
            .string()
            .max(40)
            .optional()
            .describe(
              'Without name: the generated name starts with this (e.g. the component name) instead of the intent.',
            ),
        namespace: (z) =>
          z
            .string()
            .max(63)
            .optional()
            .describe("The namespace of the VibeEnvironment; the plugin's default when omitted."),
        ttl: (z) =>
          z.string().max(16).optional().describe('How long it lives: 30m, 4h, 1h30m, 2d (default 4h).'),
        approval: (z) =>
          z.enum(['Auto', 'Manual']).optional().describe('Manual waits for a person to approve the plan.'),
        maxAttempts: (z) =>
          z.number().int().min(1).max(20).optional().describe('How many plans the agent may try.'),
        wait: (z) => z.boolean().optional().describe('Wait until the environment is Ready (or fails).'),
        timeoutSeconds: timeoutSecondsInput,
      },
      output: outputSchema,
    },
    async handler(ctx) {
      const { intent, ttl, approval, maxAttempts } = ctx.input;
      const namespace = ctx.input.namespace ?? client.defaultNamespace;
      await authorize(
        permissions,
        await ctx.getInitiatorCredentials(),
        vibeEnvironmentCreatePermission,
        `create environments (${ID})`,
      );
      const spec = { intent, namespace, ttl, approval, maxAttempts };

      if (ctx.isDryRun) {
        const name = ctx.input.name ?? nameFromIntent(ctx.input.namePrefix ?? intent);
        const planned = await client.create({ ...spec, name }, { dryRun: true }).catch((error: unknown) => {
          throw actionError(ID, error);
        });
        ctx.logger.info(
          `Dry run: would create vibeenvironment ${namespace}/${name} (ttl ${planned.ttl}, approval ${planned.approval}) for the intent "${planned.intent}"; the API server accepted it and nothing was stored.`,
        );
        writeOutput(ctx.output, environmentOutput(planned));
        return;
      }

      const name = await ctx.checkpoint({
        key: 'vibe.environment.name',
        fn: async () => ctx.input.name ?? nameFromIntent(ctx.input.namePrefix ?? intent),
      });
      await ctx.checkpoint({
        key: 'vibe.environment.created',
        fn: async () => {
          try {
            await client.create({ ...spec, name });
            ctx.logger.info(`Created vibeenvironment ${namespace}/${name}.`);
          } catch (error) {
            if (!(error instanceof ClientError && error.code === 'VIBE_CLIENT_EXISTS'))
              throw actionError(ID, error);
            const existing = await client.get({ name, namespace });
            if (existing.intent !== intent) throw actionError(ID, error);
            ctx.logger.info(
              `vibeenvironment ${namespace}/${name} was created by an earlier run of this task; using it.`,
            );
          }
          return name;
        },
      });

      const env = ctx.input.wait
        ? await waitForReady(client, ctx, name, namespace, ctx.input.timeoutSeconds)
        : await client.get({ name, namespace }).catch((error: unknown) => {
            throw actionError(ID, error);
          });
      writeOutput(ctx.output, environmentOutput(env));
    },
  });
}

/** Follows the environment to Ready, logging each phase; throws with the failing condition otherwise. */
export async function waitForReady(
  client: EnvironmentClient,
  ctx: { logger: { info(message: string): void }; signal?: AbortSignal },
  name: string,
  namespace: string,
  timeoutSeconds: number | undefined,
  phases: Array<'Ready' | 'AwaitingApproval' | 'Progressing' | 'Planning'> = ['Ready'],
  action = ID,
) {
  const env = await client
    .wait(
      { name, namespace, phases, timeoutSeconds: timeoutSeconds ?? 600 },
      (seen) =>
        ctx.logger.info(
          `vibeenvironment ${namespace}/${name} is ${seen.phase}${seen.message ? `: ${seen.message}` : ''}`,
        ),
      ctx.signal,
    )
    .catch((error: unknown) => {
      throw actionError(action, error);
    });
  if (!(phases as string[]).includes(env.phase)) throw failedEnvironmentError(action, env);
  return env;
}
