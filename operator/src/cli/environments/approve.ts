/**
 * `vibe approve NAME`: shows the plan and its hash, asks, then approves exactly that hash, so a plan
 * that changes while the user reads it is not approved by their "yes".
 */
import { createInterface } from 'node:readline/promises';
import type { Environment } from '../../client/schemas.js';
import { environmentName, render } from './output.js';
import { EXIT_USER, userCommand } from './user-command.js';

const USAGE =
  'Usage: vibe approve NAME [--yes]\n\nShows the plan waiting for approval and approves it after asking (--yes: without asking).\n';

function planText(env: Environment): string {
  const plan = env.plan;
  if (!plan) return '';
  return (
    `Environment: ${env.namespace}/${env.name}  (${env.phase})\n` +
    `Intent:      ${env.intent}\n` +
    `Plan:        ${plan.hash}\n` +
    `Objects:     ${plan.objects}${plan.kinds?.length ? ` (${plan.kinds.join(', ')})` : ''}\n` +
    `Images:      ${plan.images?.length ? plan.images.join(', ') : '<none>'}\n`
  );
}

async function confirm(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(question)).trim());
  } finally {
    rl.close();
  }
}

export const command = userCommand({
  name: 'approve',
  summary: 'Review and approve the plan of a manual-approval environment',
  usage: USAGE,
  positionals: [1, 1],
  options: { yes: { type: 'boolean', short: 'y' } },
  async run({ client, values, positionals, output, namespace, out, err }) {
    const name = positionals[0]!;
    const env = await client.call('get', { name, namespace });
    if (env.plan && env.approval === 'Manual') {
      err(planText(env));
      if (env.plan.approved) err('This plan is already approved.\n');
      if (!values.yes) {
        if (!process.stdin.isTTY) {
          err(`vibe approve: no terminal to ask on; pass --yes to approve plan ${env.plan.hash}.\n`);
          return EXIT_USER.usage;
        }
        if (!(await confirm(`Approve plan ${env.plan.hash}? [y/N] `))) {
          err('Not approved.\n');
          return EXIT_USER.refused;
        }
      }
    }
    const approved = await client.call('approve', { name, namespace, hash: env.plan?.hash });
    out(
      render(output, approved, {
        table: () => `vibeenvironment.vibe.dev/${name} approved (plan ${approved.plan?.hash})\n`,
        name: () => environmentName(approved),
      }),
    );
    return EXIT_USER.ok;
  },
});
