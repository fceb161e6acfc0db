/**
 * Runs one Code Mode program: the body of an async function given `api`, whose methods are the
 * environment client's operations. The sandbox has no channel to the host while it runs, so API calls
 * are answered by replay: the host runs the program again after each round of calls with every answer
 * so far (the journal); a call already answered resolves at once, a new one is reported and stops the
 * run. Calls made together (Promise.all) are reported together. Like scripts, the program gets no
 * `process`, no `require`, no timers and no network: gVisor is the boundary, the vm keeps it honest.
 */
import vm from 'node:vm';
import { captureConsole } from './console.js';
import type { JournalEntry, ProgramCall, ProgramInput, RunnerLimits, RunnerResult } from './protocol.js';

const SANDBOX_HINT =
  'the program runs in a sandbox with no network, no filesystem, no process, no environment variables ' +
  'and no timers; only `api` and `console` are available';

class ProgramRefusal extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

function failure(error: unknown): { code: string; message: string } {
  const e = error as { code?: unknown; message?: unknown; name?: unknown } | null;
  const message = typeof e?.message === 'string' ? e.message : String(error);
  if (e?.name === 'ReferenceError')
    return { code: 'VIBE_PROGRAM_REFUSED', message: `${message}: ${SANDBOX_HINT}.` };
  const code = typeof e?.code === 'string' && e.code.startsWith('VIBE_') ? e.code : 'VIBE_PROGRAM_ERROR';
  return { code, message };
}

/**
 * The program's `api`, made in its realm: a call the journal answered (the same call at the same
 * position) resolves or rejects as it did; a new call is recorded in `pending` and never settles,
 * so the run ends there and the operator makes the calls.
 */
function replayingApi(
  context: vm.Context,
  input: ProgramInput,
): { api: Record<string, unknown>; pending: ProgramCall[] } {
  // Values the program sees are made in its own realm, so Array.isArray and instanceof behave.
  const parse = vm.runInContext('JSON.parse', context) as (text: string) => unknown;
  const makeError = vm.runInContext(
    '(code, message) => Object.assign(new Error(message), { code })',
    context,
  ) as (code: string, message: string) => Error;

  const pending: ProgramCall[] = [];
  let next = 0;
  const call = (op: string, argument: unknown): Promise<unknown> => {
    const index = next++;
    const text = JSON.stringify(argument ?? {});
    const answered: JournalEntry | undefined = input.journal[index];
    if (answered) {
      if (answered.op !== op || answered.input !== text) {
        return Promise.reject(
          makeError(
            'VIBE_PROGRAM_NOT_REPEATABLE',
            `call ${index + 1} was api.${answered.op}(${answered.input}) before and is api.${op}(${text}) now: ` +
              'a program must make the same calls each time it runs (do not branch on Math.random()).',
          ),
        );
      }
      if (answered.error) return Promise.reject(makeError(answered.error.code, answered.error.message));
      return Promise.resolve(
        answered.output === undefined ? undefined : parse(JSON.stringify(answered.output)),
      );
    }
    pending.push({ op, input: text });
    return new Promise(() => undefined);
  };
  const api = vm.runInContext('Object.create(null)', context) as Record<string, unknown>;
  for (const op of input.operations) api[op] = (argument: unknown) => call(op, argument);
  Object.freeze(api);
  return { api, pending };
}

export async function runProgram(
  code: string,
  input: ProgramInput,
  limits: RunnerLimits,
): Promise<RunnerResult> {
  const captured = captureConsole(limits.maxLogBytes);
  const module = { exports: {} as unknown };
  const require = (specifier: string) => {
    throw new ProgramRefusal(
      'VIBE_PROGRAM_REFUSED',
      `import of "${specifier}" is not allowed: a program may use only \`api\` (${SANDBOX_HINT}).`,
    );
  };
  const context = vm.createContext(
    { console: captured.console, require, module, exports: module.exports },
    { codeGeneration: { strings: false, wasm: false } },
  );
  vm.runInContext(`Date.now = () => ${Number(input.now)};`, context);
  const { api, pending } = replayingApi(context, input);

  let outcome: { value: unknown } | { error: unknown } | undefined;
  try {
    vm.runInContext(code, context, { filename: 'program.js', timeout: limits.timeoutMs });
    const main = (module.exports as { default?: unknown }).default;
    if (typeof main !== 'function') throw new Error('the program did not compile to a function');
    (context as { __api?: unknown; __main?: unknown }).__api = api;
    (context as { __api?: unknown; __main?: unknown }).__main = main;
    const running = vm.runInContext('__main(__api)', context, {
      timeout: limits.timeoutMs,
    }) as Promise<unknown>;
    running.then(
      (value) => (outcome = { value }),
      (error: unknown) => (outcome = { error }),
    );
  } catch (error) {
    outcome = { error };
  }
  // Every answered call resolves in microtasks; once they are drained the program is done or waiting.
  await new Promise((resolve) => setImmediate(resolve));

  if (outcome && 'error' in outcome) {
    const timedOut = (outcome.error as { code?: unknown } | null)?.code === 'ERR_SCRIPT_EXECUTION_TIMEOUT';
    if (timedOut) {
      return {
        ok: false,
        kind: 'limit',
        code: 'VIBE_PROGRAM_TIMEOUT',
        message: `the program computed for longer than ${limits.timeoutMs} ms without calling the api.`,
        logs: captured.lines,
      };
    }
    return { ok: false, kind: 'runtime', ...failure(outcome.error), logs: captured.lines };
  }
  if (outcome) {
    const text = JSON.stringify(outcome.value ?? null) as string | undefined;
    return {
      ok: true,
      manifests: [],
      logs: captured.lines,
      program: { done: true, value: text === undefined ? null : (JSON.parse(text) as unknown) },
    };
  }
  if (pending.length)
    return { ok: true, manifests: [], logs: captured.lines, program: { done: false, calls: pending } };
  return {
    ok: false,
    kind: 'runtime',
    code: 'VIBE_PROGRAM_STALLED',
    message: 'the program waits on something that never finishes; only api calls may be awaited.',
    logs: captured.lines,
  };
}
