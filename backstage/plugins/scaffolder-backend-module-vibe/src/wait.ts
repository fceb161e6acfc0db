/** `vibe:environment:wait`: waits for an environment to reach a phase, Ready by default. */
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import type { EnvironmentClient } from '@vibe-operator/plugin-vibe-node';
import { waitForReady } from './create.js';
import { environmentOutput, writeOutput } from './outcome.js';
import { outputSchema, timeoutSecondsInput } from './schema.js';

const ID = 'vibe:environment:wait';

export function waitEnvironmentAction(client: EnvironmentClient) {
  return createTemplateAction({
    id: ID,
    description:
      'Waits until a vibe environment reaches a phase (Ready by default); fails with its failing condition when it ends Failed or Expired.',
    schema: {
      input: {
        name: (z) => z.string().min(1).max(63).describe('The environment name.'),
        namespace: (z) =>
          z.string().max(63).optional().describe("Its namespace; the plugin's default when omitted."),
        phase: (z) =>
          z
            .enum(['Ready', 'AwaitingApproval', 'Progressing', 'Planning'])
            .optional()
            .describe('The phase to wait for (default Ready).'),
        timeoutSeconds: timeoutSecondsInput,
      },
      output: outputSchema,
    },
    async handler(ctx) {
      const namespace = ctx.input.namespace ?? client.defaultNamespace;
      const env = await waitForReady(
        client,
        ctx,
        ctx.input.name,
        namespace,
        ctx.input.timeoutSeconds,
        [ctx.input.phase ?? 'Ready'],
        ID,
      );
      writeOutput(ctx.output, environmentOutput(env));
    },
  });
}
