/**
 * The provider-neutral shapes the agent speaks. Every provider translates these
 * to its own wire format and back, so the agent never sees an SDK type.
 */

/** A tool the model may call, described by a JSON schema for its input. */
export interface ToolDefinition {
  name: string;
  description: string;
  inputSchema: Record<string, unknown>;
}

/** One tool call the model asked for. `id` pairs it with its result. */
export interface ToolCall {
  id: string;
  name: string;
  input: unknown;
}

export type Message =
  | { role: 'user'; content: string }
  | { role: 'assistant'; content: string; toolCalls?: ToolCall[] }
  /** The result of one tool call; consecutive results answer one assistant turn. */
  | { role: 'tool'; toolCallId: string; content: string; isError?: boolean };

export interface ModelRequest {
  /** Instructions, policy summary and cluster facts. Cached by providers that support it. */
  system: string;
  /** The SDK's `.d.ts`: long and stable across attempts, so it gets its own cache breakpoint. */
  typings?: string;
  messages: Message[];
  tools?: ToolDefinition[];
  /** Upper bound on output tokens; the provider's configured default when absent. */
  maxOutputTokens?: number;
  temperature?: number;
}

/**
 * Tokens of one response. `inputTokens` excludes cached input, so the prompt's
 * size is inputTokens + cacheCreationTokens + cacheReadTokens for every provider.
 */
export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
  cacheCreationTokens: number;
  cacheReadTokens: number;
}

export type StopReason = 'end' | 'max_tokens' | 'tool_use' | 'other';

export interface ModelResponse {
  text: string;
  toolCalls: ToolCall[];
  stopReason: StopReason;
  usage: TokenUsage;
  /** The configured provider name that answered. */
  provider: string;
  model: string;
  /** Set when the gateway answered from its response cache without asking a provider. */
  cached?: true;
}

/** An answer as a session hands it out, priced by the gateway. */
export interface PricedResponse extends ModelResponse {
  /** What the answer cost in US dollars by the gateway's price table; 0 when the cache answered. */
  costUsd: number;
}

export interface CallOptions {
  /** Aborts the request and any wait before a retry, e.g. when the environment is deleted. */
  signal?: AbortSignal;
  /**
   * Asks a provider even when the cache holds an answer to this request, and
   * stores the new one: for a caller that wants another sample of the same prompt.
   */
  refresh?: boolean;
}

export type ProviderKind = 'anthropic' | 'openai-compatible' | 'offline';

export interface ModelProvider {
  /** Unique among configured providers; used in metrics, logs and cache keys. */
  readonly name: string;
  readonly kind: ProviderKind;
  readonly model: string;
  /**
   * Sends one request, with no retries of its own. Transport and API failures are
   * thrown as `ModelProviderError`; anything else is a verdict to pass on as is.
   */
  complete(request: ModelRequest, options?: CallOptions): Promise<ModelResponse>;
}

export const ZERO_USAGE: Readonly<TokenUsage> = Object.freeze({
  inputTokens: 0,
  outputTokens: 0,
  cacheCreationTokens: 0,
  cacheReadTokens: 0,
});

export function totalTokens(usage: TokenUsage): number {
  return usage.inputTokens + usage.outputTokens + usage.cacheCreationTokens + usage.cacheReadTokens;
}

export function addUsage(a: TokenUsage, b: TokenUsage): TokenUsage {
  return {
    inputTokens: a.inputTokens + b.inputTokens,
    outputTokens: a.outputTokens + b.outputTokens,
    cacheCreationTokens: a.cacheCreationTokens + b.cacheCreationTokens,
    cacheReadTokens: a.cacheReadTokens + b.cacheReadTokens,
  };
}
