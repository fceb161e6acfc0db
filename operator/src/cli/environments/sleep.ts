/** `vibe sleep NAME`: scale a Ready environment to zero until a request or `vibe wake` wakes it. */
import { environmentName, render } from './output.js';
import { EXIT_USER, userCommand } from './user-command.js';

export const command = userCommand({
  name: 'sleep',
  summary: 'Put an environment to sleep: its workloads scale to zero, its volumes stay',
  usage: 'Usage: vibe sleep NAME   (a request to its preview or vibe wake NAME wakes it)\n',
  positionals: [1, 1],
  options: {},
  async run({ client, positionals, output, namespace, out }) {
    const env = await client.call('sleep', { name: positionals[0], namespace });
    out(
      render(output, env, {
        table: () => `vibeenvironment.vibe.dev/${env.name} asked to sleep (phase ${env.phase})\n`,
        name: () => environmentName(env),
      }),
    );
    return EXIT_USER.ok;
  },
});
