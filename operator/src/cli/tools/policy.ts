/**
 * `vibe policy check FILE.yaml|FILE.json`: runs the checks the operator runs on a plan (its
 * rewrites and the policy gate, built by the same environment/planning/plan-checks.ts) and prints what they refuse.
 */
import { readFileSync } from 'node:fs';
import { runChecks } from '../../agent/checks.js';
import { formatDiagnostic } from '../../agent/diagnostics.js';
import type { Command } from '../main.js';
import { CHECK_FLAGS, EXIT, openChecks } from './pipeline-options.js';
import { parseCommand } from '../parse-command.js';
import { readManifests } from './read-manifests.js';

const USAGE =
  'Usage: vibe policy check [--config OPERATOR-CONFIG] [--environment NS/NAME] [--policy FILE]\n' +
  '                         [--namespace NS] [-o text|json] FILE.yaml|FILE.json\n';

export const command: Command = {
  summary: 'Check manifests against the policy document and print the violations',
  async run(argv) {
    const parsed = parseCommand('policy', USAGE, argv, {
      ...CHECK_FLAGS,
      output: { type: 'string', short: 'o', default: 'text' },
    });
    if (typeof parsed === 'number') return parsed;
    const { values, positionals } = parsed;
    const [verb, file, ...extra] = positionals;
    if (verb !== 'check' || !file || extra.length) {
      process.stderr.write(USAGE);
      return EXIT.usage;
    }
    const opened = await openChecks('policy', values);
    if (typeof opened === 'number') return opened;
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      process.stderr.write(`vibe policy: cannot read manifests from ${file}: ${(error as Error).message}\n`);
      return EXIT.usage;
    }
    const read = readManifests(text);
    if (!read.ok) {
      process.stderr.write(`vibe policy: ${read.code}: ${file}: ${read.message}\n`);
      return EXIT.policy;
    }
    const { manifests } = read;
    const result = await runChecks(opened.checks, manifests as Record<string, unknown>[]);
    if (values.output === 'json') {
      process.stdout.write(`${JSON.stringify({ violations: result.diagnostics })}\n`);
    } else {
      for (const d of result.diagnostics) process.stdout.write(`${formatDiagnostic(d)}\n`);
      process.stdout.write(`${manifests.length} objects checked, ${result.diagnostics.length} violations\n`);
    }
    return result.diagnostics.length ? EXIT.policy : EXIT.ok;
  },
};
