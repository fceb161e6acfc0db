/** `vibe list`: the environments of a namespace, or of all with -A. */
import { environmentName, environmentTable, render } from './output.js';
import { EXIT_USER, userCommand } from './user-command.js';

const USAGE = 'Usage: vibe list [-A|--all-namespaces] [-o table|json|yaml|name]\n';

export const command = userCommand({
  name: 'list',
  summary: 'List environments',
  usage: USAGE,
  positionals: [0, 0],
  options: { 'all-namespaces': { type: 'boolean', short: 'A' } },
  async run({ client, values, output, namespace, out, err }) {
    const all = Boolean(values['all-namespaces']);
    const { items } = await client.call('list', { namespace, allNamespaces: all });
    if (output === 'table' && items.length === 0) {
      err(all ? 'No environments found.\n' : `No environments found in ${namespace} namespace.\n`);
      return EXIT_USER.ok;
    }
    out(
      render(
        output,
        { items },
        {
          table: () => environmentTable(items, all),
          name: () => items.map(environmentName).join(''),
        },
      ),
    );
    return EXIT_USER.ok;
  },
});
