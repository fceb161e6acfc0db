/** `vibe create "intent"`: a VibeEnvironment from a sentence, optionally waiting until it is Ready. */
import { parseDuration } from '../../api/duration.js';
import type { Environment } from '../../client/schemas.js';
import { environmentName, environmentTable, render } from './output.js';
import { progressPrinter } from './progress.js';
import { EXIT_USER, userCommand } from './user-command.js';

const USAGE =
  'Usage: vibe create "INTENT" [--name NAME] [--ttl 4h] [--approval auto|manual] [--wait [--timeout 10m]]\n' +
  '                   [--max-attempts N] [--max-tokens N] [--no-preview]\n' +
  '\nCreates a VibeEnvironment; the name is generated from the intent when --name is omitted.\n' +
  'With --wait, shows each phase until Ready (or AwaitingApproval for --approval manual).\n';

export const command = userCommand({
  name: 'create',
  summary: 'Create an environment from an intent',
  usage: USAGE,
  positionals: [1, 1],
  options: {
    name: { type: 'string' },
    ttl: { type: 'string' },
    approval: { type: 'string' },
    wait: { type: 'boolean' },
    timeout: { type: 'string', default: '10m' },
    'max-attempts': { type: 'string' },
    'max-tokens': { type: 'string' },
    'no-preview': { type: 'boolean' },
  },
  async run({ client, values, positionals, output, namespace, out, err }) {
    const approval = values.approval === undefined ? undefined : String(values.approval).toLowerCase();
    if (approval !== undefined && approval !== 'auto' && approval !== 'manual') {
      err(`vibe create: --approval ${String(values.approval)} is not auto or manual.\n`);
      return EXIT_USER.usage;
    }
    const created = await client.call('create', {
      intent: positionals[0],
      name: values.name,
      namespace,
      ttl: values.ttl,
      approval: approval === undefined ? undefined : approval === 'manual' ? 'Manual' : 'Auto',
      maxAttempts: values['max-attempts'] === undefined ? undefined : Number(values['max-attempts']),
      maxTokens: values['max-tokens'] === undefined ? undefined : Number(values['max-tokens']),
      preview: values['no-preview'] ? false : undefined,
    });
    let shown: Environment = created;
    if (values.wait) {
      err(`vibeenvironment.vibe.dev/${created.name} created; waiting\n`);
      shown = await client.wait(
        {
          name: created.name,
          namespace,
          phases: created.approval === 'Manual' ? ['Ready', 'AwaitingApproval'] : ['Ready'],
          timeoutSeconds: Math.round(parseDuration(String(values.timeout)) / 1000),
        },
        progressPrinter(err),
      );
    }
    out(
      render(output, shown, {
        table: () =>
          values.wait ? environmentTable([shown], false) : `vibeenvironment.vibe.dev/${shown.name} created\n`,
        name: () => environmentName(shown),
      }),
    );
    return shown.phase === 'Failed' || shown.phase === 'Expired' ? EXIT_USER.environmentFailed : EXIT_USER.ok;
  },
});
