/** `vibe delete NAME`: the environment, its namespace and everything in it go. */
import { render } from './output.js';
import { EXIT_USER, userCommand } from './user-command.js';

export const command = userCommand({
  name: 'delete',
  summary: 'Delete an environment',
  usage: 'Usage: vibe delete NAME\n',
  positionals: [1, 1],
  options: {},
  async run({ client, positionals, output, namespace, out }) {
    const result = await client.call('delete', { name: positionals[0], namespace });
    out(
      render(output, result, {
        table: () => `vibeenvironment.vibe.dev/${result.name} deleted\n`,
        name: () => `vibeenvironment.vibe.dev/${result.name}\n`,
      }),
    );
    return EXIT_USER.ok;
  },
});
