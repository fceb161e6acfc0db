/**
 * What the runner prints: exactly one JSON document on stdout. The operator parses it as untrusted
 * input with its own schema, so this file only fixes the shape the runner writes.
 */
export type FailureKind = 'compile' | 'runtime' | 'limit';

export interface RunnerFailure {
  readonly ok: false;
  readonly kind: FailureKind;
  readonly code: string;
  readonly message: string;
  readonly logs: string[];
}

export interface RunnerSuccess {
  readonly ok: true;
  readonly manifests: unknown[];
  readonly logs: string[];
}

export type RunnerResult = RunnerSuccess | RunnerFailure;

export interface RunnerLimits {
  /** CPU time the script's top level may take, in milliseconds. */
  readonly timeoutMs: number;
  /** Largest manifest document the runner will print, in bytes. */
  readonly maxOutputBytes: number;
  /** Largest total of the script's console output kept, in bytes. */
  readonly maxLogBytes: number;
  readonly maxObjects: number;
}

export const DEFAULT_LIMITS: RunnerLimits = {
  timeoutMs: 10_000,
  maxOutputBytes: 4 * 1024 * 1024,
  maxLogBytes: 64 * 1024,
  maxObjects: 200,
};
