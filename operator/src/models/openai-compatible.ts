import OpenAI, { type APIError } from 'openai';
import type {
  ChatCompletion,
  ChatCompletionMessageParam,
  ChatCompletionTool,
} from 'openai/resources/chat/completions/completions';
import { sdkClientOptions, SdkProvider, type HttpProviderOptions } from './sdk-provider.js';
import type { Secret } from './secret.js';
import type {
  CallOptions,
  ModelRequest,
  ModelResponse,
  StopReason,
  ToolCall,
  ToolDefinition,
} from './types.js';

export interface OpenAICompatibleProviderOptions extends HttpProviderOptions {
  baseURL: string;
  /** Local servers (Ollama, llama.cpp) accept any key; the SDK insists on one. */
  apiKey?: Secret;
}

const NO_KEY = 'not-needed';

/** Any /v1/chat/completions endpoint: OpenAI, vLLM, Ollama, llama.cpp server. */
export class OpenAICompatibleProvider extends SdkProvider<APIError> {
  readonly kind = 'openai-compatible' as const;
  readonly #client: OpenAI;

  constructor(options: OpenAICompatibleProviderOptions) {
    super({
      provider: options,
      endpoint: options.baseURL,
      ...(options.apiKey && { apiKey: options.apiKey }),
      errors: OpenAI,
      apiMessage: (error) => {
        const body = error.error as { message?: unknown } | undefined;
        return typeof body?.message === 'string' ? body.message : null;
      },
    });
    this.#client = new OpenAI({
      apiKey: options.apiKey?.reveal() ?? NO_KEY,
      baseURL: options.baseURL,
      ...sdkClientOptions(options.timeoutMs),
    });
  }

  async complete(request: ModelRequest, options: CallOptions = {}): Promise<ModelResponse> {
    const reply = await this.send(() =>
      this.#client.chat.completions.create(
        {
          model: this.model,
          // max_tokens rather than max_completion_tokens: local servers understand only the former.
          max_tokens: request.maxOutputTokens ?? this.maxOutputTokens,
          messages: toOpenAIMessages(request),
          ...(request.tools?.length && { tools: request.tools.map(toOpenAITool) }),
          ...(request.temperature !== undefined && { temperature: request.temperature }),
        },
        { signal: options.signal ?? null },
      ),
    );
    return this.#fromReply(reply);
  }

  #fromReply(reply: ChatCompletion): ModelResponse {
    const choice = reply?.choices?.[0];
    if (!choice?.message) {
      throw this.badResponse(
        'answered without a choice; check baseURL points at a /v1 chat completions API.',
      );
    }
    const toolCalls: ToolCall[] = [];
    for (const call of choice.message.tool_calls ?? []) {
      if (call.type === 'function') {
        toolCalls.push({
          id: call.id,
          name: call.function.name,
          input: parseArguments(call.function.arguments),
        });
      }
    }
    const prompt = reply.usage?.prompt_tokens ?? 0;
    const cached = reply.usage?.prompt_tokens_details?.cached_tokens ?? 0;
    return {
      text: choice.message.content ?? '',
      toolCalls,
      stopReason: stopReason(choice.finish_reason),
      usage: {
        inputTokens: prompt - cached,
        outputTokens: reply.usage?.completion_tokens ?? 0,
        cacheCreationTokens: 0,
        cacheReadTokens: cached,
      },
      provider: this.name,
      model: reply.model || this.model,
    };
  }
}

/** Models sometimes emit arguments that are not JSON; the raw text is kept so the agent can say so. */
function parseArguments(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function toOpenAITool(tool: ToolDefinition): ChatCompletionTool {
  return {
    type: 'function',
    function: { name: tool.name, description: tool.description, parameters: tool.inputSchema },
  };
}

/**
 * One system message, typings first: servers that cache prompt prefixes (OpenAI,
 * vLLM) then reuse the part that changes least.
 */
export function toOpenAIMessages(request: ModelRequest): ChatCompletionMessageParam[] {
  const system = [request.typings, request.system].filter(Boolean).join('\n\n');
  const out: ChatCompletionMessageParam[] = system ? [{ role: 'system', content: system }] : [];
  for (const message of request.messages) {
    if (message.role === 'user') {
      out.push({ role: 'user', content: message.content });
    } else if (message.role === 'assistant') {
      out.push({
        role: 'assistant',
        content: message.content || null,
        ...(message.toolCalls?.length && {
          tool_calls: message.toolCalls.map((call) => ({
            id: call.id,
            type: 'function' as const,
            function: { name: call.name, arguments: JSON.stringify(call.input) },
          })),
        }),
      });
    } else {
      out.push({ role: 'tool', tool_call_id: message.toolCallId, content: message.content });
    }
  }
  return out;
}

function stopReason(reason: ChatCompletion.Choice['finish_reason'] | undefined): StopReason {
  switch (reason) {
    case 'stop':
      return 'end';
    case 'length':
      return 'max_tokens';
    case 'tool_calls':
    case 'function_call':
      return 'tool_use';
    default:
      return 'other';
  }
}
