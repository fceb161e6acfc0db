/**
 * What a model is given in Code Mode: the SDK's `.d.ts` (sent first, it changes least), the rules,
 * the policy in short and the cluster's facts (both cacheable), and per turn the intent plus the last
 * attempt's script and diagnostics.
 */
import { sdkDeclarations, SDK_MODULE } from '../../../sandbox-runtime/sdk/typings.js';
import { policySummary, type PolicyDocument } from '../policy/index.js';
import { formatDiagnostic } from './diagnostics.js';
import type { AuthorRequest } from './script-author.js';

export interface ClusterPromptFacts {
  readonly ingressClass?: string;
  readonly storageClasses?: readonly string[];
  readonly previewDomain?: string;
}

export function systemPrompt(policy: PolicyDocument, facts: ClusterPromptFacts): string {
  const factLines = [
    `Ingress class: ${facts.ingressClass ?? 'the cluster default'}`,
    `Storage classes: ${facts.storageClasses?.length ? facts.storageClasses.join(', ') : 'none (use ephemeral storage)'}`,
    `Public services are reachable at https://<name>.${facts.previewDomain ?? '<preview domain>'}`,
  ];
  return [
    'You turn a request for a Kubernetes environment into ONE TypeScript program.',
    `The program imports only from '${SDK_MODULE}', declares the environment at the top level (no await,`,
    'no timers, no other imports) and exports nothing. Answer with the program in one ```ts block.',
    'Use the building blocks; use apiObject only for what no block covers.',
    `The SDK's declarations (${SDK_MODULE}) are given with this prompt.`,
    '',
    'Policy every object must pass:',
    policySummary(policy),
    '',
    'Cluster facts:',
    ...factLines,
  ].join('\n');
}

/** The `.d.ts` of `@vibe/sdk`, fenced, for the request's typings. */
export function sdkTypings(): string {
  return `\`\`\`ts\n${sdkDeclarations().trimEnd()}\n\`\`\``;
}

export function turnPrompt(request: AuthorRequest): string {
  const parts = [`Environment request:\n${request.intent}`];
  if (request.previous) {
    parts.push(
      `Your previous program:\n\`\`\`ts\n${request.previous.script.trimEnd()}\n\`\`\``,
      `It failed these checks:\n${request.previous.diagnostics.map(formatDiagnostic).join('\n')}`,
      request.rewrite
        ? 'The same errors came back twice. Do not patch the program: write it again from the request.'
        : 'Fix the program and answer with the whole corrected program.',
    );
  }
  return parts.join('\n\n');
}

/** The program in a model's answer: the last ```ts (or untagged) block, else the whole answer. */
export function extractScript(answer: string): string {
  const blocks = [...answer.matchAll(/```(?:ts|typescript)?\s*\n([\s\S]*?)```/g)].map((m) => m[1]!);
  return (blocks.length ? blocks[blocks.length - 1]! : answer).trim() + '\n';
}
