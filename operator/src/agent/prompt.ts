/**
 * What a model is given in Code Mode: the SDK's `.d.ts` (sent first, it changes least), the rules,
 * the policy in short and the cluster's facts (both cacheable), and per turn the intent plus the last
 * attempt's script and diagnostics.
 */
import { sdkDeclarations, SDK_MODULE } from '../../../sandbox-runtime/sdk/typings.js';
import type { Message } from '../models/index.js';
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
    'You turn a request for a Kubernetes environment (the first user message) into ONE TypeScript program.',
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

/** The tool-calling baseline's instructions: the same rules, one tool call per building block. */
export function toolSystemPrompt(policy: PolicyDocument, facts: ClusterPromptFacts): string {
  return systemPrompt(policy, facts).replace(
    /^You turn a request[\s\S]*?given with this prompt\.$/m,
    'You turn a request for a Kubernetes environment (the first user message) into tool calls, one per\n' +
      'building block.\n' +
      'Call the tools in order (backing services before the workloads that use them); when the\n' +
      'environment is complete, answer with a short sentence and no tool call.',
  );
}

/** The `.d.ts` of `@vibe/sdk`, fenced, for the request's typings. */
export function sdkTypings(): string {
  return `\`\`\`ts\n${sdkDeclarations().trimEnd()}\n\`\`\``;
}

/**
 * The conversation of one attempt: the intent alone as the first user turn (so an offline fallback
 * reads exactly the intent), then, after a failure, the last program as the model's turn and its
 * diagnostics as the next user turn. Older attempts are left out: the prompt stays bounded.
 */
export function turnMessages(request: AuthorRequest): Message[] {
  const messages: Message[] = [{ role: 'user', content: request.intent }];
  if (request.previous) {
    messages.push(
      { role: 'assistant', content: `\`\`\`ts\n${request.previous.script.trimEnd()}\n\`\`\`` },
      {
        role: 'user',
        content: [
          `The program failed these checks:\n${request.previous.diagnostics.map(formatDiagnostic).join('\n')}`,
          request.rewrite
            ? 'The same errors came back twice. Do not patch the program: write it again from the request.'
            : 'Fix the program and answer with the whole corrected program.',
        ].join('\n\n'),
      },
    );
  }
  return messages;
}

/** The program in a model's answer: the last ```ts (or untagged) block, else the whole answer. */
export function extractScript(answer: string): string {
  const blocks = [...answer.matchAll(/```(?:ts|typescript)?\s*\n([\s\S]*?)```/g)].map((m) => m[1]!);
  return (blocks.length ? blocks[blocks.length - 1]! : answer).trim() + '\n';
}
