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
  /** For a Code Mode program: its value, or the API calls it waits on. */
  readonly program?: ProgramOutcome;
}

/**
 * A Code Mode program runs again after each round of API calls, with the answers so far (the journal):
 * it either finishes with a value or stops at calls the host has not answered yet.
 */
export type ProgramOutcome =
  { readonly done: true; readonly value: unknown } | { readonly done: false; readonly calls: ProgramCall[] };

export interface ProgramCall {
  readonly op: string;
  /** The call's argument as JSON text: a replayed call must match it byte for byte. */
  readonly input: string;
}

export interface JournalEntry extends ProgramCall {
  readonly output?: unknown;
  readonly error?: { readonly code: string; readonly message: string };
}

export interface ProgramInput {
  /** The API's operation names: the only methods of `api`. */
  readonly operations: string[];
  readonly journal: JournalEntry[];
  /** Date.now() inside the program, the same in every replay. */
  readonly now: number;
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

/**
 * What a runner started with `-` prints once it is booted and waiting for its request on stdin. It
 * precedes the result line, which stays the last line of stdout.
 */
export const READY_LINE = 'vibe-runner-ready';
