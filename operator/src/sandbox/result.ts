/**
 * Turns what came out of a sandbox into the result protocol. The runner's output is untrusted (the
 * script shares its process), so it is parsed, not believed: shape-checked and bounded.
 */
import { z } from 'zod';
import type { BoundedRun } from './spawn-bounded.js';
import type { SandboxLimits, SandboxResult } from './types.js';

const RunnerOutput = z.discriminatedUnion('ok', [
  z.object({
    ok: z.literal(true),
    manifests: z.array(z.record(z.string(), z.unknown())),
    logs: z.array(z.string()),
    program: z
      .union([
        z.object({ done: z.literal(true), value: z.unknown() }),
        z.object({
          done: z.literal(false),
          calls: z.array(z.object({ op: z.string().max(64), input: z.string() })).max(1000),
        }),
      ])
      .optional(),
  }),
  z.object({
    ok: z.literal(false),
    kind: z.enum(['compile', 'runtime', 'limit']),
    code: z.string().regex(/^VIBE_[A-Z_]+$/),
    message: z.string().max(4000),
    logs: z.array(z.string()),
  }),
]);

function lastJsonLine(stdout: string): unknown {
  const lines = stdout.trimEnd().split('\n');
  const last = lines[lines.length - 1];
  if (!last) return undefined;
  try {
    return JSON.parse(last);
  } catch {
    return undefined;
  }
}

function tail(text: string, lines = 3): string {
  return text.trim().split('\n').slice(-lines).join(' | ');
}

/** The result for a script that did not transpile; every executor answers it before starting anything. */
export function compileFailure(message: string, durationMs: number): SandboxResult {
  return { ok: false, kind: 'compile', code: 'VIBE_SANDBOX_COMPILE_ERROR', message, logs: [], durationMs };
}

export function interpret(run: BoundedRun, limits: SandboxLimits, durationMs: number): SandboxResult {
  const fail = (kind: 'runtime' | 'limit', code: string, message: string): SandboxResult => ({
    ok: false,
    kind,
    code,
    message,
    logs: [],
    durationMs,
  });
  if (run.outputExceeded) {
    return fail(
      'limit',
      'VIBE_SANDBOX_OUTPUT_LIMIT',
      `the script printed more than ${limits.maxOutputBytes} bytes; it was stopped.`,
    );
  }
  if (run.timedOut) {
    return fail(
      'limit',
      'VIBE_SANDBOX_WALL_TIMEOUT',
      `the sandbox ran longer than ${limits.wallMs} ms and was stopped; the script must only declare the environment.`,
    );
  }
  const parsed = RunnerOutput.safeParse(lastJsonLine(run.stdout));
  if (parsed.success) return { ...parsed.data, durationMs };
  if (
    /heap out of memory|Reached heap limit|Cannot allocate memory|out of memory/i.test(run.stderr) ||
    run.signal === 'SIGKILL' ||
    run.exitCode === 137
  ) {
    return fail(
      'limit',
      'VIBE_SANDBOX_MEMORY_LIMIT',
      `the script used more than the sandbox's ${limits.memoryMiB} MiB of memory and was stopped.`,
    );
  }
  const detail = tail(run.stderr) || `exit status ${run.exitCode ?? run.signal}`;
  return fail('runtime', 'VIBE_SANDBOX_CRASHED', `the sandbox ended without a result: ${detail}`);
}
