/** `vibe policy check FILE.yaml|FILE.json`: prints the policy violations of a set of manifests. */
import { readFileSync } from 'node:fs';
import { RESERVED_OBJECTS } from '../../environment/isolation.js';
import { DEFAULT_POLICY, describeViolation, evaluatePolicy } from '../../policy/index.js';
import type { Command } from '../main.js';
import { EXIT, loadPolicy } from './pipeline-options.js';
import { parseCommand } from './parse-command.js';
import { readManifests } from './read-manifests.js';

const USAGE =
  'Usage: vibe policy check [--policy FILE] [--namespace NS] [--preview-host HOST]... [--ingress-class NAME]\n' +
  '                         [--service-account NAME] [-o text|json] FILE.yaml|FILE.json\n';

export const command: Command = {
  summary: 'Check manifests against the policy document and print the violations',
  async run(argv) {
    const parsed = parseCommand('policy', USAGE, argv, {
      policy: { type: 'string' },
      namespace: { type: 'string' },
      'preview-host': { type: 'string', multiple: true },
      'ingress-class': { type: 'string' },
      'service-account': { type: 'string' },
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
    const hosts = values['preview-host'];
    const result = evaluatePolicy(manifests, policy, {
      namespace: values.namespace,
      reservedObjects: RESERVED_OBJECTS,
      ...(values['service-account'] ? { workloadServiceAccount: values['service-account'] } : {}),
      ...(hosts?.length ? { preview: { hosts, ingressClassName: values['ingress-class'] } } : {}),
    });
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
