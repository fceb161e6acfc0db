/** Whoever writes the script: the offline planner, or a model through the gateway. */
import type { Diagnostic } from './diagnostics.js';

export interface AuthorRequest {
  readonly intent: string;
  /** 1-based. */
  readonly attempt: number;
  /** The last attempt's script and what the gates said about it. */
  readonly previous?: { readonly script: string; readonly diagnostics: readonly Diagnostic[] };
  /** The same diagnostics came back twice in a row: write the script anew instead of patching it. */
  readonly rewrite: boolean;
}

export interface AuthorUsage {
  readonly roundTrips: number;
  /** Prompt tokens of every kind, cache writes and reads included. */
  readonly inputTokens: number;
  readonly outputTokens: number;
  /** US dollars by the model gateway's price table. */
  readonly costUsd: number;
}

export type Authored =
  | { readonly ok: true; readonly script: string; readonly usage?: AuthorUsage }
  | {
      readonly ok: false;
      /** True when the intent itself is refused (out of bounds, not understood). */
      readonly refused: boolean;
      readonly code: string;
      readonly message: string;
      readonly usage?: AuthorUsage;
    };

export interface ScriptAuthor {
  readonly name: string;
  /**
   * True when writing costs nothing and asks no model (the offline planner): such an author may
   * write while the environment's namespace is still being isolated. Any other author waits for
   * isolation, so an isolation failure never costs a model call.
   */
  readonly free?: boolean;
  /** Rejects with AuthorUnavailableError when nobody could be asked; an Authored is an answer. */
  write(request: AuthorRequest): Promise<Authored>;
}

/**
 * The author could not be asked at all: every model provider failed after the gateway's retries
 * and fallbacks, or the operator's model access is misconfigured. That says nothing about the
 * intent or the program, so it is no attempt: nothing is stored and planning asks again later.
 */
export class AuthorUnavailableError extends Error {
  readonly code = 'VIBE_AGENT_AUTHOR_UNAVAILABLE';
  constructor(
    /** The model gateway's code, e.g. VIBE_MODEL_ALL_PROVIDERS_FAILED. */
    readonly reason: string,
    message: string,
  ) {
    super(message);
    this.name = 'AuthorUnavailableError';
  }
}
