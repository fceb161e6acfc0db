import { createHash } from 'node:crypto';
import type { AnswerStep, ReplayApi } from './scenario.js';

/** Bodies shaped exactly as each API sends them, so the real SDKs parse them unchanged. */

const CHARS_PER_TOKEN = 4;

export function estimateTokens(value: unknown): number {
  const text = typeof value === 'string' ? value : JSON.stringify(value ?? '');
  return Math.ceil(text.length / CHARS_PER_TOKEN);
}

export function errorBody(api: ReplayApi, status: number, message: string): unknown {
  if (api === 'anthropic') {
    return { type: 'error', error: { type: anthropicErrorType(status), message } };
  }
  return { error: { message, type: openAIErrorType(status), param: null, code: null } };
}

function anthropicErrorType(status: number): string {
  if (status === 429) return 'rate_limit_error';
  if (status === 529) return 'overloaded_error';
  if (status === 401) return 'authentication_error';
  if (status === 403) return 'permission_error';
  if (status === 404) return 'not_found_error';
  if (status >= 500) return 'api_error';
  return 'invalid_request_error';
}

function openAIErrorType(status: number): string {
  if (status === 429) return 'rate_limit_exceeded';
  if (status === 401 || status === 403) return 'invalid_request_error';
  if (status >= 500) return 'server_error';
  return 'invalid_request_error';
}

interface AnthropicRequestBody {
  model?: string;
  system?: Array<{ text?: string; cache_control?: unknown }> | string;
  messages?: unknown;
  tools?: unknown;
}

/**
 * Token counts as the Messages API would report them. Without scripted usage,
 * the prefix up to the last cache breakpoint in `system` is a cache write the
 * first time this server sees it and a cache read afterwards, which is how the
 * real API bills a prompt that repeats.
 */
function anthropicUsage(body: AnthropicRequestBody, step: AnswerStep, text: string, seen: Set<string>) {
  if (step.usage) {
    return {
      input_tokens: step.usage.input ?? 0,
      output_tokens: step.usage.output ?? 0,
      cache_creation_input_tokens: step.usage.cacheCreation ?? 0,
      cache_read_input_tokens: step.usage.cacheRead ?? 0,
    };
  }
  const blocks = Array.isArray(body.system) ? body.system : [];
  const lastBreakpoint = blocks.findLastIndex((b) => b.cache_control);
  const prefix = JSON.stringify([body.tools ?? null, blocks.slice(0, lastBreakpoint + 1)]);
  const cachedTokens = lastBreakpoint >= 0 ? estimateTokens(prefix) : 0;
  const allTokens = estimateTokens([body.tools ?? null, body.system ?? null, body.messages ?? null]);
  const digest = createHash('sha256').update(`${body.model}\n${prefix}`).digest('hex');
  const hit = cachedTokens > 0 && seen.has(digest);
  if (cachedTokens > 0) seen.add(digest);
  return {
    input_tokens: Math.max(0, allTokens - cachedTokens),
    output_tokens: estimateTokens(text),
    cache_creation_input_tokens: hit ? 0 : cachedTokens,
    cache_read_input_tokens: hit ? cachedTokens : 0,
  };
}

export function anthropicMessage(
  body: AnthropicRequestBody,
  step: AnswerStep,
  serial: number,
  seenPrefixes: Set<string>,
): unknown {
  const text = step.text ?? '';
  const calls = step.toolCalls ?? [];
  const content: unknown[] = [];
  if (text) content.push({ type: 'text', text });
  calls.forEach((call, i) => {
    content.push({
      type: 'tool_use',
      id: call.id ?? `toolu_replay_${serial}_${i}`,
      name: call.name,
      input: call.input,
    });
  });
  const stop = step.stopReason ?? (calls.length ? 'tool_use' : 'end');
  const usage = anthropicUsage(body, step, text + (calls.length ? JSON.stringify(calls) : ''), seenPrefixes);
  return {
    id: `msg_replay_${serial}`,
    type: 'message',
    role: 'assistant',
    model: body.model ?? 'replay',
    content,
    stop_reason: stop === 'end' ? 'end_turn' : stop,
    stop_sequence: null,
    usage: { ...usage, service_tier: 'standard' },
  };
}

interface OpenAIRequestBody {
  model?: string;
  messages?: unknown;
  tools?: unknown;
}

export function openAICompletion(body: OpenAIRequestBody, step: AnswerStep, serial: number): unknown {
  const text = step.text ?? '';
  const calls = step.toolCalls ?? [];
  const toolCalls = calls.map((call, i) => ({
    id: call.id ?? `call_replay_${serial}_${i}`,
    type: 'function',
    function: { name: call.name, arguments: JSON.stringify(call.input ?? {}) },
  }));
  const stop = step.stopReason ?? (calls.length ? 'tool_use' : 'end');
  const prompt = step.usage?.input ?? estimateTokens([body.tools ?? null, body.messages ?? null]);
  const cached = step.usage?.cacheRead ?? 0;
  const completion =
    step.usage?.output ?? estimateTokens(text + (calls.length ? JSON.stringify(toolCalls) : ''));
  return {
    id: `chatcmpl-replay-${serial}`,
    object: 'chat.completion',
    created: 1_700_000_000 + serial,
    model: body.model ?? 'replay',
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: text || null,
          refusal: null,
          ...(toolCalls.length && { tool_calls: toolCalls }),
        },
        logprobs: null,
        finish_reason: stop === 'end' ? 'stop' : stop === 'max_tokens' ? 'length' : 'tool_calls',
      },
    ],
    usage: {
      prompt_tokens: prompt + cached,
      completion_tokens: completion,
      total_tokens: prompt + cached + completion,
      prompt_tokens_details: { cached_tokens: cached },
    },
  };
}
