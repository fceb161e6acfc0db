/** `vibe events NAME`: what happened to the environment and inside its namespace, oldest first. */
import { age, render, table } from './output.js';
import { EXIT_USER, userCommand } from './user-command.js';

export const command = userCommand({
  name: 'events',
  summary: 'List the events of an environment and its namespace',
  usage: 'Usage: vibe events NAME\n',
  positionals: [1, 1],
  options: {},
  async run({ client, positionals, output, namespace, out, err }) {
    const { events } = await client.call('events', { name: positionals[0], namespace });
    if (output === 'table' && !events.length) {
      err(`No events for ${positionals[0]}.\n`);
      return EXIT_USER.ok;
    }
    out(
      render(
        output,
        { events },
        {
          table: () =>
            table(
              ['LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'MESSAGE'],
              events.map((e) => [age(e.lastSeen), e.type, e.reason, e.object, e.message]),
            ),
          name: () => events.map((e) => `event/${e.reason}\n`).join(''),
        },
      ),
    );
    return EXIT_USER.ok;
  },
});
