import {
  type CallOptions,
  type ModelProvider,
  type ModelRequest,
  type ModelResponse,
  ZERO_USAGE,
} from '../types.js';

/** What the offline planner returns: a program, or a refusal naming why. */
export type OfflinePlan =
  | { readonly ok: true; readonly script: string }
  | { readonly ok: false; readonly code: string; readonly message: string };

/** The offline planner (`compileIntent`): intent in, program or refusal out. */
export type OfflinePlanner = (intent: string) => OfflinePlan | Promise<OfflinePlan>;

/**
 * The planner refused the intent. It reaches the caller as is, with the
 * planner's own code: trying another provider would not make the intent acceptable.
 */
export class OfflinePlanRefusedError extends Error {
  readonly code: string;

  constructor(code: string, message: string) {
    super(message);
    this.name = 'OfflinePlanRefusedError';
    this.code = code;
  }
}

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
    const plan = await this.#plan(intent);
    if (!plan.ok) throw new OfflinePlanRefusedError(plan.code, plan.message);
    return {
      text: plan.script,
      toolCalls: [],
      stopReason: 'end',
      usage: { ...ZERO_USAGE },
      provider: this.name,
      model: this.model,
    };
  }
}
