import type { CallOptions, ModelProvider, ModelRequest, ModelResponse } from './types.js';
import { ZERO_USAGE } from './types.js';

/**
 * The offline planner: intent in, TypeScript program out. It may throw to refuse
 * an intent; the refusal reaches the caller unchanged, since trying another
 * provider would not make a refused intent acceptable.
 */
export type OfflinePlanner = (intent: string) => string | Promise<string>;

export interface OfflineProviderOptions {
  name?: string;
  plan: OfflinePlanner;
}

/**
 * Adapts the deterministic planner to the provider interface so the agent loop
 * runs the same way with no network and no key. The intent is the first user
 * message: later turns carry diagnostics, which a compiler cannot act on, so it
 * answers them with the same program and the agent's stuck detection ends the loop.
 */
export class OfflineProvider implements ModelProvider {
  readonly kind = 'offline' as const;
  readonly model = 'offline-planner';
  readonly name: string;
  readonly #plan: OfflinePlanner;

  constructor(options: OfflineProviderOptions) {
    this.name = options.name ?? 'offline';
    this.#plan = options.plan;
  }

  async complete(request: ModelRequest, options: CallOptions = {}): Promise<ModelResponse> {
    options.signal?.throwIfAborted();
    const intent = request.messages.find((m) => m.role === 'user')?.content ?? '';
    const script = await this.#plan(intent);
    return {
      text: script,
      toolCalls: [],
      stopReason: 'end',
      usage: { ...ZERO_USAGE },
      provider: this.name,
      model: this.model,
    };
  }
}
