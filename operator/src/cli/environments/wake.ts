/** `vibe wake NAME`: give a sleeping environment its workloads back. */
import { environmentName, render } from './output.js';
import { EXIT_USER, userCommand } from './user-command.js';

export const command = userCommand({
  name: 'wake',
  summary: 'Wake a sleeping environment',
  usage: 'Usage: vibe wake NAME   (then vibe get NAME shows Progressing, then Ready)\n',
  positionals: [1, 1],
  options: {},
  async run({ client, positionals, output, namespace, out }) {
    const env = await client.call('wake', { name: positionals[0], namespace });
    out(
      render(output, env, {
        table: () => `vibeenvironment.vibe.dev/${env.name} asked to wake (phase ${env.phase})\n`,
        name: () => environmentName(env),
      }),
    );
    return EXIT_USER.ok;
  },
});
