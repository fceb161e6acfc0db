/**
 * The tool-calling baseline as a script author: the model declares the environment one JSON tool call
 * per turn; when it stops calling tools, the calls are written out as the equivalent script, which
 * then passes the same gates as a Code Mode program. Round trips and tokens are counted per turn.
 */
import { toolDefinitions } from '../../../sandbox-runtime/sdk/typings.js';
import type { Message, ModelSession } from '../models/index.js';
import type { PolicyDocument } from '../policy/index.js';
import { addAuthorUsage, answerUsage, NO_USAGE } from './author-usage.js';
import { formatDiagnostic } from './diagnostics.js';
import { modelFailure } from './model-failure.js';
import { toolSystemPrompt, turnMessages, type ClusterPromptFacts } from './prompt.js';
import type { Authored, AuthorRequest, AuthorUsage, ScriptAuthor } from './script-author.js';
import { scriptFromToolCalls, type ToolCall } from './tool-calls.js';

export interface ToolCallingAuthorOptions {
  readonly session: ModelSession;
  readonly policy: PolicyDocument;
  readonly facts?: ClusterPromptFacts;
  readonly signal?: AbortSignal;
  /** Turns one attempt may take before it is cut off. */
  readonly maxTurns?: number;
}

export function toolCallingAuthor(options: ToolCallingAuthorOptions): ScriptAuthor {
  const system = toolSystemPrompt(options.policy, options.facts ?? {});
  const tools = toolDefinitions().map((t) => ({
    name: t.name,
    description: t.description,
    inputSchema: t.inputSchema,
  }));
  const known = new Set(tools.map((t) => t.name));
  const maxTurns = options.maxTurns ?? 30;
  return {
    name: 'model-tool-calling',
    async write(request: AuthorRequest): Promise<Authored> {
      const messages: Message[] = turnMessages(request);
      const calls: ToolCall[] = [];
      let usage: AuthorUsage = NO_USAGE;
      try {
        for (let turn = 0; turn < maxTurns; turn++) {
          const answer = await options.session.complete(
            { system, messages: [...messages], tools },
            { signal: options.signal, refresh: request.rewrite },
          );
          usage = addAuthorUsage(usage, answerUsage(answer));
          if (!answer.toolCalls.length) {
            const script = scriptFromToolCalls(calls);
            if (script.ok) return { ok: true, script: script.script, usage };
            const message = script.diagnostics.map(formatDiagnostic).join(' ');
            return { ok: false, refused: false, code: 'VIBE_AGENT_BAD_TOOL_CALL', message, usage };
          }
          messages.push({ role: 'assistant', content: answer.text, toolCalls: answer.toolCalls });
          for (const call of answer.toolCalls) {
            const accepted = known.has(call.name);
            if (accepted) calls.push({ name: call.name, input: call.input });
            messages.push({
              role: 'tool',
              toolCallId: call.id,
              content: accepted ? 'declared' : `there is no tool "${call.name}"`,
              ...(accepted ? {} : { isError: true }),
            });
          }
        }
        const message = `the model was still calling tools after ${maxTurns} turns.`;
        return { ok: false, refused: false, code: 'VIBE_AGENT_TOO_MANY_TURNS', message, usage };
      } catch (error) {
        return modelFailure(error, usage);
      }
    },
  };
}
