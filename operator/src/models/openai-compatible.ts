import OpenAI from 'openai';
import type {
  ChatCompletion,
  ChatCompletionMessageParam,
  ChatCompletionTool,
} from 'openai/resources/chat/completions/completions';
import { ModelProviderError } from './errors.js';
import { providerErrorFrom, type HttpFailureFacts } from './http-failure.js';
import type { Secret } from './secret.js';
import type {
  CallOptions,
  ModelProvider,
  ModelRequest,
  ModelResponse,
  StopReason,
  ToolCall,
  ToolDefinition,
} from './types.js';

export interface OpenAICompatibleProviderOptions {
  name: string;
  model: string;
  baseURL: string;
  /** Local servers (Ollama, llama.cpp) accept any key; the SDK insists on one. */
  apiKey?: Secret;
  maxOutputTokens: number;
  timeoutMs: number;
}

const NO_KEY = 'not-needed';

/** Any /v1/chat/completions endpoint: OpenAI, vLLM, Ollama, llama.cpp server. */
export class OpenAICompatibleProvider implements ModelProvider {
  readonly kind = 'openai-compatible' as const;
  readonly name: string;
  readonly model: string;
  readonly #client: OpenAI;
  readonly #options: OpenAICompatibleProviderOptions;

  constructor(options: OpenAICompatibleProviderOptions) {
    this.name = options.name;
    this.model = options.model;
    this.#options = options;
    // Retries belong to the gateway (docs/adr/0030), so the SDK sends each request once.
    this.#client = new OpenAI({
      apiKey: options.apiKey?.reveal() ?? NO_KEY,
      baseURL: options.baseURL,
      maxRetries: 0,
      timeout: options.timeoutMs,
      logLevel: 'off',
    });
  }

  async complete(request: ModelRequest, options: CallOptions = {}): Promise<ModelResponse> {
    let reply: ChatCompletion;
    try {
      reply = await this.#client.chat.completions.create(
        {
          model: this.model,
          // max_tokens rather than max_completion_tokens: local servers understand only the former.
          max_tokens: request.maxOutputTokens ?? this.#options.maxOutputTokens,
          messages: toOpenAIMessages(request),
          ...(request.tools?.length && { tools: request.tools.map(toOpenAITool) }),
          ...(request.temperature !== undefined && { temperature: request.temperature }),
        },
        { signal: options.signal ?? null },
      );
    } catch (error) {
      throw this.#translate(error);
    }
    return this.#fromReply(reply);
  }

  #fromReply(reply: ChatCompletion): ModelResponse {
    const choice = reply?.choices?.[0];
    if (!choice?.message) {
      throw new ModelProviderError(
        'VIBE_MODEL_BAD_RESPONSE',
        `Model provider '${this.name}' (${this.model}) answered without a choice; check baseURL points at a /v1 chat completions API.`,
        { provider: this.name, model: this.model, retryable: false },
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

  #translate(error: unknown): unknown {
    let facts: HttpFailureFacts;
    // An abort is the caller's decision, not a provider failure: it must not be retried.
    if (error instanceof OpenAI.APIUserAbortError) return error;
    if (error instanceof OpenAI.APIConnectionTimeoutError) {
      facts = { timedOut: true };
    } else if (error instanceof OpenAI.APIConnectionError) {
      facts = { timedOut: false, connectionMessage: error.message };
    } else if (error instanceof OpenAI.APIError) {
      const body = error.error as { message?: unknown } | undefined;
      const apiMessage = typeof body?.message === 'string' ? body.message : null;
      facts = { timedOut: false, status: error.status, headers: error.headers, apiMessage };
    } else {
      return error;
    }
    return providerErrorFrom(facts, {
      provider: this.name,
      model: this.model,
      endpoint: this.#options.baseURL,
      timeoutMs: this.#options.timeoutMs,
      secrets: this.#options.apiKey ? [this.#options.apiKey.reveal()] : [],
    });
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
