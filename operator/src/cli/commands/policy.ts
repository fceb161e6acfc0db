/** `vibe policy check FILE.yaml|FILE.json`: prints the policy violations of a set of manifests. */
import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import { DEFAULT_POLICY, describeViolation, evaluatePolicy } from '../../policy/index.js';
import type { Command } from '../main.js';
import { EXIT, loadPolicy } from './pipeline-options.js';
import { parseCommand } from './parse-command.js';

const USAGE =
  'Usage: vibe policy check [--policy FILE] [--namespace NS] [-o text|json] FILE.yaml|FILE.json\n';

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
      policy: { type: 'string' },
      namespace: { type: 'string' },
      output: { type: 'string', short: 'o', default: 'text' },
    });
    if (typeof parsed === 'number') return parsed;
    const { values, positionals } = parsed;
    const [verb, file, ...extra] = positionals;
    if (verb !== 'check' || !file || extra.length) {
      process.stderr.write(USAGE);
      return EXIT.usage;
    }
    const policy = values.policy ? loadPolicy(values.policy) : DEFAULT_POLICY;
    if (typeof policy === 'number') return policy;
    let manifests: unknown[];
    try {
      manifests = readManifests(readFileSync(file, 'utf8'));
    } catch (error) {
      process.stderr.write(`vibe policy: cannot read manifests from ${file}: ${(error as Error).message}\n`);
      return EXIT.usage;
    }
    const result = evaluatePolicy(manifests, policy, { namespace: values.namespace });
    if (values.output === 'json') {
      process.stdout.write(
        `${JSON.stringify({ violations: result.violations, defaulted: result.defaulted })}\n`,
      );
    } else {
      for (const v of result.violations) process.stdout.write(`${v.code} ${describeViolation(v)}\n`);
      process.stdout.write(`${manifests.length} objects checked, ${result.violations.length} violations\n`);
    }
    return result.violations.length ? EXIT.policy : EXIT.ok;
  },
};
