/**
 * `execute`: one TypeScript program against the client API, run in the sandbox. The program cannot
 * reach the host while it runs; each round of its API calls comes back here, is checked against the
 * mode, made with the caller's identity, and answered by running the program again (replay).
 */
import type { EnvironmentClient } from '../client/environment-client.js';
import { operations, type OperationName } from '../client/schemas.js';
import type { JournalEntry, SandboxExecutor } from '../sandbox/types.js';
import { allowed, type Mode } from './mode.js';

export interface ExecuteLimits {
  /** Wall-clock time for the whole program, every replay and API call included. */
  timeMs: number;
  /** API calls the program may make. */
  maxCalls: number;
  /** Bytes of the returned value as JSON. */
  maxOutputBytes: number;
}

export const DEFAULT_EXECUTE_LIMITS: ExecuteLimits = {
  timeMs: 60_000,
  maxCalls: 50,
  maxOutputBytes: 256 * 1024,
};

export interface ExecuteResult {
  ok: boolean;
  value?: unknown;
  error?: { code: string; message: string };
  logs: string[];
  /** Every API call the program made, in order, and whether it succeeded. */
  calls: Array<{ op: string; ok: boolean; error?: string }>;
  /** How many times the program ran in the sandbox. */
  runs: number;
}

/** Wraps the program body as the function the runner calls with `api`. */
function asFunction(source: string): string {
  return `export default async function program(api: any): Promise<unknown> {\n${source}\n}\n`;
}

export async function execute(
  source: string,
  deps: { executor: SandboxExecutor; client: EnvironmentClient; mode: Mode; limits?: Partial<ExecuteLimits> },
): Promise<ExecuteResult> {
  const limits = { ...DEFAULT_EXECUTE_LIMITS, ...deps.limits };
  const deadline = Date.now() + limits.timeMs;
  const journal: JournalEntry[] = [];
  const now = Date.now();
  const summary = () =>
    journal.map((j) => ({ op: j.op, ok: !j.error, ...(j.error ? { error: j.error.code } : {}) }));
  const fail = (code: string, message: string, logs: string[], runs: number): ExecuteResult => ({
    ok: false,
    error: { code, message },
    logs,
    calls: summary(),
    runs,
  });
  for (let runs = 1; ; runs++) {
    const left = deadline - Date.now();
    if (left <= 0) {
      return fail(
        'VIBE_EXECUTE_TIMEOUT',
        `the program did not finish within ${limits.timeMs} ms.`,
        [],
        runs - 1,
      );
    }
    const result = await deps.executor.run({
      source: asFunction(source),
      program: { operations: Object.keys(operations), journal, now },
      limits: { wallMs: Math.min(30_000, left) },
    });
    if (!result.ok) return fail(result.code, result.message, result.logs, runs);
    const outcome = result.program;
    if (!outcome)
      return fail(
        'VIBE_EXECUTE_NO_RESULT',
        'the sandbox runner returned no program result.',
        result.logs,
        runs,
      );
    if (outcome.done) {
      const size = Buffer.byteLength(JSON.stringify(outcome.value ?? null));
      if (size > limits.maxOutputBytes) {
        return fail(
          'VIBE_EXECUTE_OUTPUT_LIMIT',
          `the program returned ${size} bytes; at most ${limits.maxOutputBytes} are allowed: return less (select fields, filter).`,
          result.logs,
          runs,
        );
      }
      return { ok: true, value: outcome.value, logs: result.logs, calls: summary(), runs };
    }
    if (journal.length + outcome.calls.length > limits.maxCalls) {
      return fail(
        'VIBE_EXECUTE_CALL_LIMIT',
        `the program made more than ${limits.maxCalls} API calls; do the work in fewer calls.`,
        result.logs,
        runs,
      );
    }
    for (const call of outcome.calls) {
      journal.push({ ...call, ...(await answer(call.op, call.input, deps, deadline)) });
    }
  }
}

async function answer(
  op: string,
  input: string,
  deps: { client: EnvironmentClient; mode: Mode },
  deadline: number,
): Promise<Pick<JournalEntry, 'output' | 'error'>> {
  const refusal = allowed(op, deps.mode);
  if (refusal) return { error: { code: refusal.code, message: refusal.message } };
  try {
    let argument = JSON.parse(input) as unknown;
    // A wait inside a program ends with the program's own time, however long it asked for.
    if (op === 'wait' && typeof argument === 'object' && argument !== null) {
      const left = Math.max(1, Math.ceil((deadline - Date.now()) / 1000));
      const asked = (argument as { timeoutSeconds?: unknown }).timeoutSeconds;
      argument = { ...argument, timeoutSeconds: typeof asked === 'number' ? Math.min(asked, left) : left };
    }
    return { output: await deps.client.call(op as OperationName, argument) };
  } catch (error) {
    const e = error as { code?: unknown; message?: unknown };
    return {
      error: {
        code: typeof e.code === 'string' ? e.code : 'VIBE_EXECUTE_CALL_FAILED',
        message: typeof e.message === 'string' ? e.message : String(error),
      },
    };
  }
}
