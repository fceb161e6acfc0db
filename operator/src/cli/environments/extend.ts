/** `vibe extend NAME 2h`: the environment lives that much longer. */
import { environmentName, render } from './output.js';
import { EXIT_USER, userCommand } from './user-command.js';

export const command = userCommand({
  name: 'extend',
  summary: 'Let an environment live longer',
  usage: 'Usage: vibe extend NAME DURATION   (e.g. vibe extend web 2h; extending again adds more)\n',
  positionals: [2, 2],
  options: {},
  async run({ client, positionals, output, namespace, out }) {
    const env = await client.call('extend', { name: positionals[0], namespace, by: positionals[1] });
    out(
      render(output, env, {
        table: () =>
          `vibeenvironment.vibe.dev/${env.name} extended by ${positionals[1]} (${env.extendedBy} in all); ` +
          `expires at ${env.expiresAt ?? 'the operator maximum'}\n`,
        name: () => environmentName(env),
      }),
    );
    return EXIT_USER.ok;
  },
});
