import { pino } from 'pino';
import { Registry } from 'prom-client';
import {
  type SessionUsage,
  modelGatewayConfigSchema,
  createModelGateway,
  type ToolDefinition,
  type ToolCall,
  type Message,
} from '../../operator/src/models/index.js';
import type { AnswerStep, ReplayApi } from './scenario.js';
import { startReplayServer } from './server.js';

/**
 * Replays one scripted conversation through the real gateway, provider SDK and
 * replay server, and reports what it cost: round trips and tokens. The bench
 * compares Code Mode (one program, perhaps fixed after diagnostics) with tool
 * calling (one call per step) on the same intent this way. Without scripted
 * usage, tokens are the replay server's estimate (4 characters a token, with
 * Anthropic's prompt caching simulated), the same yardstick for both modes.
 */
export interface Conversation {
  intent: string;
  system: string;
  typings?: string;
  tools?: ToolDefinition[];
  /** The model's turns, in order; tool calls are answered and the conversation goes on. */
  turns: AnswerStep[];
  /** The tool result sent back for a call; 'ok' by default. */
  toolResult?: (call: ToolCall) => string;
  /** The user message after a text turn that is not the last (e.g. diagnostics of a failed script). */
  feedback?: (turnIndex: number) => string;
}

export interface ConversationCost {
  roundTrips: number;
  usage: SessionUsage;
  /** Bytes of request bodies the SDK sent, a tokenizer-free measure of prompt size. */
  requestBytes: number;
}

export async function measureConversation(
  conversation: Conversation,
  api: ReplayApi = 'anthropic',
): Promise<ConversationCost> {
  const server = await startReplayServer({
    scenario: { name: conversation.intent, [api]: conversation.turns },
  });
  try {
    const provider =
      api === 'anthropic'
        ? { kind: 'anthropic' as const, apiKey: 'replay-key-not-secret', baseURL: server.url }
        : { kind: 'openai-compatible' as const, model: 'replay', baseURL: `${server.url}/v1` };
    const config = modelGatewayConfigSchema.parse({
      providers: [provider],
      cache: { maxEntries: 0 },
      retry: { maxRetries: 0 },
      budget: { maxAttempts: conversation.turns.length, maxTokens: Number.MAX_SAFE_INTEGER },
    });
    const gateway = await createModelGateway(config, {
      registry: new Registry(),
      logger: pino({ level: 'silent' }),
      offlinePlanner: () => ({ ok: true, script: '' }),
    });
    const session = gateway.session({ environment: `bench/${conversation.intent}` });
    const messages: Message[] = [{ role: 'user', content: conversation.intent }];
    for (let turn = 0; turn < conversation.turns.length; turn += 1) {
      const answer = await session.complete({
        system: conversation.system,
        messages: [...messages],
        ...(conversation.typings && { typings: conversation.typings }),
        ...(conversation.tools && { tools: conversation.tools }),
      });
      messages.push({ role: 'assistant', content: answer.text, toolCalls: answer.toolCalls });
      if (answer.toolCalls.length > 0) {
        for (const call of answer.toolCalls) {
          messages.push({
            role: 'tool',
            toolCallId: call.id,
            content: conversation.toolResult?.(call) ?? 'ok',
          });
        }
      } else if (turn < conversation.turns.length - 1) {
        messages.push({
          role: 'user',
          content: conversation.feedback?.(turn) ?? 'The script failed; fix it.',
        });
      }
    }
    const usage = session.usage;
    const requestBytes = server.requests.reduce((sum, r) => sum + JSON.stringify(r.body).length, 0);
    return { roundTrips: usage.roundTrips, usage, requestBytes };
  } finally {
    await server.close();
  }
}

/** Both modes of one intent, measured the same way, for a side-by-side row. */
export async function compareModes(
  codeMode: Conversation,
  toolCalling: Conversation,
  api: ReplayApi = 'anthropic',
): Promise<{ codeMode: ConversationCost; toolCalling: ConversationCost }> {
  return {
    codeMode: await measureConversation(codeMode, api),
    toolCalling: await measureConversation(toolCalling, api),
  };
}
