import Anthropic, { type APIError } from '@anthropic-ai/sdk';
import type {
  ContentBlockParam,
  Message as AnthropicMessage,
  MessageParam,
  TextBlockParam,
  Tool,
  ToolResultBlockParam,
} from '@anthropic-ai/sdk/resources/messages/messages';
import { sdkClientOptions, SdkProvider, type HttpProviderOptions } from './sdk-provider.js';
import type { Secret } from './secret.js';
import type {
  CallOptions,
  Message,
  ModelRequest,
  ModelResponse,
  StopReason,
  ToolCall,
  ToolDefinition,
} from './types.js';

export interface AnthropicProviderOptions extends HttpProviderOptions {
  apiKey: Secret;
  baseURL?: string;
}

const EPHEMERAL = { type: 'ephemeral' } as const;
const DEFAULT_ENDPOINT = 'https://api.anthropic.com';

/** Claude through the Messages API, with prompt caching on the system prompt and the typings. */
export class AnthropicProvider extends SdkProvider<APIError> {
  readonly kind = 'anthropic' as const;
  readonly #client: Anthropic;

  constructor(options: AnthropicProviderOptions) {
    super({
      provider: options,
      endpoint: options.baseURL ?? DEFAULT_ENDPOINT,
      apiKey: options.apiKey,
      errors: Anthropic,
      apiMessage: (error) => error.apiMessage,
    });
    this.#client = new Anthropic({
      apiKey: options.apiKey.reveal(),
      baseURL: options.baseURL ?? null,
      ...sdkClientOptions(options.timeoutMs),
    });
  }

  async complete(request: ModelRequest, options: CallOptions = {}): Promise<ModelResponse> {
    const reply = await this.send(() =>
      this.#client.messages.create(
        {
          model: this.model,
          max_tokens: request.maxOutputTokens ?? this.maxOutputTokens,
          system: systemBlocks(request),
          messages: toAnthropicMessages(request.messages),
          ...(request.tools?.length && { tools: request.tools.map(toAnthropicTool) }),
          ...(request.temperature !== undefined && { temperature: request.temperature }),
        },
        { signal: options.signal ?? null },
      ),
    );
    return this.#fromReply(reply);
  }

  #fromReply(reply: AnthropicMessage): ModelResponse {
    if (!Array.isArray(reply?.content) || typeof reply.usage?.input_tokens !== 'number') {
      throw this.badResponse('answered with a body that is not a Messages API response; check baseURL.');
    }
    const text: string[] = [];
    const toolCalls: ToolCall[] = [];
    for (const block of reply.content) {
      if (block.type === 'text') text.push(block.text);
      else if (block.type === 'tool_use')
        toolCalls.push({ id: block.id, name: block.name, input: block.input });
    }
    return {
      text: text.join(''),
      toolCalls,
      stopReason: stopReason(reply.stop_reason),
      usage: {
        inputTokens: reply.usage.input_tokens,
        outputTokens: reply.usage.output_tokens,
        cacheCreationTokens: reply.usage.cache_creation_input_tokens ?? 0,
        cacheReadTokens: reply.usage.cache_read_input_tokens ?? 0,
      },
      provider: this.name,
      model: reply.model || this.model,
    };
  }
}

/**
 * The typings come first: a cache entry covers everything before its breakpoint,
 * so the block that changes least (the SDK's `.d.ts`) stays cached when the
 * instructions or cluster facts after it change.
 */
function systemBlocks(request: ModelRequest): TextBlockParam[] {
  const blocks: TextBlockParam[] = [];
  if (request.typings) blocks.push({ type: 'text', text: request.typings, cache_control: EPHEMERAL });
  if (request.system) blocks.push({ type: 'text', text: request.system, cache_control: EPHEMERAL });
  return blocks;
}

function toAnthropicTool(tool: ToolDefinition): Tool {
  return {
    name: tool.name,
    description: tool.description,
    input_schema: { type: 'object', ...tool.inputSchema },
  };
}

/** Consecutive tool results become one user turn, as the Messages API expects. */
export function toAnthropicMessages(messages: readonly Message[]): MessageParam[] {
  const out: MessageParam[] = [];
  for (const message of messages) {
    if (message.role === 'user') {
      out.push({ role: 'user', content: message.content });
    } else if (message.role === 'assistant') {
      const content: ContentBlockParam[] = [];
      if (message.content) content.push({ type: 'text', text: message.content });
      for (const call of message.toolCalls ?? []) {
        content.push({ type: 'tool_use', id: call.id, name: call.name, input: call.input });
      }
      out.push({ role: 'assistant', content });
    } else {
      const result: ToolResultBlockParam = {
        type: 'tool_result',
        tool_use_id: message.toolCallId,
        content: message.content,
        ...(message.isError && { is_error: true }),
      };
      const previous = out.at(-1);
      if (previous?.role === 'user' && Array.isArray(previous.content)) previous.content.push(result);
      else out.push({ role: 'user', content: [result] });
    }
  }
  return out;
}

function stopReason(reason: AnthropicMessage['stop_reason']): StopReason {
  switch (reason) {
    case 'end_turn':
    case 'stop_sequence':
      return 'end';
    case 'max_tokens':
      return 'max_tokens';
    case 'tool_use':
      return 'tool_use';
    default:
      return 'other';
  }
}
