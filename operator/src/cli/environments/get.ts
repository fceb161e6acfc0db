/** `vibe get NAME`: one environment's phase, URL, expiry, plan and usage. */
import { environmentName, environmentTable, render } from './output.js';
import { EXIT_USER, userCommand } from './user-command.js';

const USAGE = 'Usage: vibe get NAME [-o table|json|yaml|name]\n';

export const command = userCommand({
  name: 'get',
  summary: 'Show one environment',
  usage: USAGE,
  positionals: [1, 1],
  options: {},
  async run({ client, positionals, output, namespace, out }) {
    const env = await client.call('get', { name: positionals[0], namespace });
    out(
      render(output, env, {
        table: () => {
          const lines = [environmentTable([env], false)];
          if (env.message) lines.push(`\nMessage: ${env.message}\n`);
          if (env.plan) {
            lines.push(
              `Plan:    ${env.plan.hash} (${env.plan.objects} objects${env.plan.approved ? '' : ', not approved'})\n`,
            );
          }
          if (env.usage) lines.push(`Usage:   ${env.usage.tokens} tokens, $${env.usage.cost}\n`);
          return lines.join('');
        },
        name: () => environmentName(env),
      }),
    );
    return env.phase === 'Failed' ? EXIT_USER.environmentFailed : EXIT_USER.ok;
  },
});
