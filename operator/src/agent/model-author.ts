/**
 * A model as the script author: one Code Mode turn per attempt through the model gateway's session
 * (fallback, retries, cache and budget are the gateway's). A rewrite asks past the cache, so a
 * model stuck on one answer is sampled again instead of served the same bytes.
 */
import type { ModelSession } from '../models/index.js';
import type { PolicyDocument } from '../policy/index.js';
import { answerUsage } from './author-usage.js';
import { extractScript, sdkTypings, systemPrompt, turnMessages, type ClusterPromptFacts } from './prompt.js';
import { modelFailure } from './model-failure.js';
import type { Authored, AuthorRequest, ScriptAuthor } from './script-author.js';

export interface ModelAuthorOptions {
  readonly session: ModelSession;
  readonly policy: PolicyDocument;
  readonly facts?: ClusterPromptFacts;
  readonly signal?: AbortSignal;
}

export function modelAuthor(options: ModelAuthorOptions): ScriptAuthor {
  const system = systemPrompt(options.policy, options.facts ?? {});
  const typings = sdkTypings();
  return {
    name: 'model',
    async write(request: AuthorRequest): Promise<Authored> {
      try {
        const answer = await options.session.complete(
          { system, typings, messages: turnMessages(request) },
          { signal: options.signal, refresh: request.rewrite },
        );
        const usage = answerUsage(answer);
        if (answer.stopReason === 'max_tokens') {
          return {
            ok: false,
            refused: false,
            code: 'VIBE_AGENT_ANSWER_TRUNCATED',
            message:
              'the model ran out of output tokens before finishing the program; raise maxOutputTokens.',
            usage,
          };
        }
        return { ok: true, script: extractScript(answer.text), usage };
      } catch (error) {
        return modelFailure(error);
      }
    },
  };
}
