/**
 * `vibe policy check FILE.yaml|FILE.json`: runs the checks the operator runs on a plan (its
 * rewrites and the policy gate, built by the same plan-pipeline.ts) and prints what they refuse.
 */
import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import { runChecks } from '../../agent/checks.js';
import { formatDiagnostic } from '../../agent/diagnostics.js';
import type { Command } from '../main.js';
import { CHECK_FLAGS, EXIT, openChecks } from './pipeline-options.js';
import { parseCommand } from './parse-command.js';

const USAGE =
  'Usage: vibe policy check [--config OPERATOR-CONFIG] [--environment NS/NAME] [--policy FILE]\n' +
  '                         [--namespace NS] [-o text|json] FILE.yaml|FILE.json\n';

/** Manifests from JSON (an array, a `{manifests}` plan or one object) or multi-document YAML. */
function readManifests(text: string): unknown[] {
  const docs = parseAllDocuments(text).flatMap((doc) => {
    if (doc.errors.length) throw new Error(doc.errors[0]!.message);
    const value: unknown = doc.toJS();
    return value === null || value === undefined ? [] : [value];
  });
  return docs.flatMap((value) => {
    if (Array.isArray(value)) return value;
    if (
      typeof value === 'object' &&
      value !== null &&
      Array.isArray((value as { manifests?: unknown }).manifests)
    ) {
      return (value as { manifests: unknown[] }).manifests;
    }
    if (typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'List') {
      return ((value as { items?: unknown[] }).items ?? []) as unknown[];
    }
    return [value];
  });
}

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
    let manifests: unknown[];
    try {
      manifests = readManifests(readFileSync(file, 'utf8'));
    } catch (error) {
      process.stderr.write(`vibe policy: cannot read manifests from ${file}: ${(error as Error).message}\n`);
      return EXIT.usage;
    }
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
