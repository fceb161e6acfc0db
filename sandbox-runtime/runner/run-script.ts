/**
 * Runs one transpiled script (CommonJS) against the SDK and synthesizes its environment. The vm
 * context is not the security boundary (gVisor is); it keeps honest mistakes clear: only `@vibe/sdk`
 * can be imported, there is no `process`, and raw memory allocators are absent.
 */
import vm from 'node:vm';
import * as sdk from '../sdk/index.js';
import { beginEnvironment, type ClusterFacts } from '../sdk/environment.js';
import { captureConsole } from './console.js';
import type { RunnerLimits, RunnerResult } from './protocol.js';

const SDK_MODULES = new Set(['@vibe/sdk', 'vibe-sdk', '@vibe/sdk/index']);

/** Intrinsics removed from the script's realm: they allocate outside the V8 heap limit or load code. */
const REMOVED = [
  'ArrayBuffer',
  'SharedArrayBuffer',
  'Atomics',
  'WebAssembly',
  'Int8Array',
  'Uint8Array',
  'Uint8ClampedArray',
  'Int16Array',
  'Uint16Array',
  'Int32Array',
  'Uint32Array',
  'Float32Array',
  'Float64Array',
  'BigInt64Array',
  'BigUint64Array',
  'DataView',
];

class ImportRefused extends Error {
  constructor(readonly specifier: string) {
    super(
      `import of "${specifier}" is not allowed: a script may import only "@vibe/sdk" ` +
        '(no node: modules, no files, no packages).',
    );
  }
}

function describe(error: unknown): { code: string; message: string } {
  if (error instanceof ImportRefused) return { code: 'VIBE_SANDBOX_IMPORT_REFUSED', message: error.message };
  const e = error as { code?: unknown; message?: unknown; name?: unknown; stack?: unknown } | null;
  const code =
    typeof e?.code === 'string' && e.code.startsWith('VIBE_') ? e.code : 'VIBE_SANDBOX_SCRIPT_ERROR';
  const message = typeof e?.message === 'string' ? e.message : String(error);
  const where = typeof e?.stack === 'string' ? /script\.js:(\d+)/.exec(e.stack) : null;
  const name =
    typeof e?.name === 'string' && e.name !== 'Error' && e.name !== 'SdkError' ? `${e.name}: ` : '';
  return { code, message: `${name}${message}${where ? ` (transpiled script line ${where[1]})` : ''}` };
}

export function runScript(code: string, facts: ClusterFacts, limits: RunnerLimits): RunnerResult {
  const captured = captureConsole(limits.maxLogBytes);
  const env = beginEnvironment(facts);
  const module = { exports: {} as unknown };
  const require = (specifier: string) => {
    if (SDK_MODULES.has(specifier)) return sdk;
    throw new ImportRefused(specifier);
  };
  const context = vm.createContext(
    { console: captured.console, require, module, exports: module.exports },
    { codeGeneration: { strings: false, wasm: false } },
  );
  vm.runInContext(`for (const k of ${JSON.stringify(REMOVED)}) delete globalThis[k];`, context);
  try {
    vm.runInContext(code, context, { filename: 'script.js', timeout: limits.timeoutMs, breakOnSigint: true });
  } catch (error) {
    const timedOut = (error as { code?: unknown } | null)?.code === 'ERR_SCRIPT_EXECUTION_TIMEOUT';
    if (timedOut) {
      return {
        ok: false,
        kind: 'limit',
        code: 'VIBE_SANDBOX_TIMEOUT',
        message: `the script ran longer than ${limits.timeoutMs} ms; it must only declare the environment, not wait or loop.`,
        logs: captured.lines,
      };
    }
    return { ok: false, kind: 'runtime', ...describe(error), logs: captured.lines };
  }
  let manifests: unknown[];
  try {
    manifests = env.synth();
  } catch (error) {
    return { ok: false, kind: 'runtime', ...describe(error), logs: captured.lines };
  }
  if (manifests.length > limits.maxObjects) {
    return {
      ok: false,
      kind: 'limit',
      code: 'VIBE_SANDBOX_TOO_MANY_OBJECTS',
      message: `the script produced ${manifests.length} objects; at most ${limits.maxObjects} are allowed.`,
      logs: captured.lines,
    };
  }
  if (manifests.length === 0) {
    return {
      ok: false,
      kind: 'runtime',
      code: 'VIBE_SANDBOX_EMPTY_ENVIRONMENT',
      message: 'the script declared nothing: call at least one block such as webService() or postgres().',
      logs: captured.lines,
    };
  }
  return { ok: true, manifests, logs: captured.lines };
}
