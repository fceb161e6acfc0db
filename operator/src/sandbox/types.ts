/** The one interface every executor implements and the one result protocol they all return. */

export interface ClusterFacts {
  readonly previewDomain?: string;
  readonly ingressClass?: string;
  readonly seed?: string;
}

export interface SandboxLimits {
  /** Wall-clock time for the whole run, start-up included, in milliseconds. */
  readonly wallMs: number;
  /** CPU time for the script's own code, in milliseconds. */
  readonly scriptMs: number;
  readonly memoryMiB: number;
  /** Bytes of stdout read from the sandbox before it is killed. */
  readonly maxOutputBytes: number;
  readonly maxObjects: number;
}

export const DEFAULT_SANDBOX_LIMITS: SandboxLimits = Object.freeze({
  wallMs: 30_000,
  scriptMs: 10_000,
  memoryMiB: 512,
  maxOutputBytes: 4 * 1024 * 1024,
  maxObjects: 200,
});

/** A Code Mode program's replay state (see sandbox-runtime/runner/run-program.ts). */
export interface ProgramRequest {
  readonly operations: readonly string[];
  readonly journal: readonly JournalEntry[];
  readonly now: number;
}

export interface ProgramCall {
  readonly op: string;
  /** The argument as JSON text, exactly as the program passed it. */
  readonly input: string;
}

export interface JournalEntry extends ProgramCall {
  readonly output?: unknown;
  readonly error?: { readonly code: string; readonly message: string };
}

export type ProgramOutcome =
  { readonly done: true; readonly value: unknown } | { readonly done: false; readonly calls: ProgramCall[] };

export interface SandboxRequest {
  /** The script's TypeScript source. */
  readonly source: string;
  /** Runs the source as a Code Mode program against the client API instead of an environment script. */
  readonly program?: ProgramRequest;
  readonly facts?: ClusterFacts;
  readonly limits?: Partial<SandboxLimits>;
}

export type FailureKind = 'compile' | 'runtime' | 'limit';

export interface SandboxSuccess {
  readonly ok: true;
  readonly manifests: Record<string, unknown>[];
  readonly logs: string[];
  /** For a program: its value, or the calls it waits on. */
  readonly program?: ProgramOutcome;
  readonly durationMs: number;
}

export interface SandboxFailure {
  readonly ok: false;
  readonly kind: FailureKind;
  readonly code: string;
  readonly message: string;
  readonly logs: string[];
  readonly durationMs: number;
}

export type SandboxResult = SandboxSuccess | SandboxFailure;

export type ExecutorName = 'runsc' | 'pod' | 'process';

export interface SandboxExecutor {
  readonly name: ExecutorName;
  /** True for executors that give the script no isolation; callers log it. */
  readonly unsafe: boolean;
  run(request: SandboxRequest): Promise<SandboxResult>;
  /** Releases what the executor keeps between runs (a warm container); it can still run afterwards. */
  close?(): Promise<void>;
}
