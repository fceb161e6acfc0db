/**
 * The sandbox entry point: `node runner.cjs SCRIPT.js [INPUT.json]`, or `node --snapshot-blob
 * runner.blob SCRIPT.js [INPUT.json]` from its startup snapshot. Reads a transpiled script and
 * the run's input (cluster facts and limits), prints one result document on stdout and exits 0 when
 * it could say what happened; the executor reads crashes from the exit status.
 *
 * With `-` instead of the paths (and `--warm-up` for a runner that waits in a pool, which runs a
 * fixed script of its own first), the runner boots, prints READY_LINE and then waits for one line
 * on stdin holding `{"script": ..., "input": ...}`: a warm pool keeps runners booted this way
 * (docs/adr/0092).
 */
import { readFileSync, writeSync } from 'node:fs';
import { startupSnapshot } from 'node:v8';
import {
  DEFAULT_LIMITS,
  READY_LINE,
  type ProgramInput,
  type RunnerLimits,
  type RunnerResult,
} from './protocol.js';
import { runProgram } from './run-program.js';
import { runScript } from './run-script.js';
import type { ClusterFacts } from '../sdk/environment.js';

interface RunnerInput {
  facts?: ClusterFacts;
  limits?: Partial<RunnerLimits>;
  /** Present for a Code Mode program (run against the client API) instead of an environment script. */
  program?: ProgramInput;
}

const MANIFESTS_TOO_LARGE = (maxBytes: number) =>
  `the synthesized manifests exceed ${maxBytes} bytes; declare fewer or smaller objects.`;
const PROGRAM_TOO_LARGE = (maxBytes: number) =>
  `the program's API calls and result exceed ${maxBytes} bytes; pass and return less.`;

/** Prints the result, or the reason tooLarge gives when it does not fit in maxBytes. */
function emitNow(result: RunnerResult, maxBytes: number, tooLarge = MANIFESTS_TOO_LARGE): void {
  let text = JSON.stringify(result);
  if (Buffer.byteLength(text) > maxBytes) {
    text = JSON.stringify({
      ok: false,
      kind: 'limit',
      code: 'VIBE_SANDBOX_OUTPUT_LIMIT',
      message: tooLarge(maxBytes),
      logs: [],
    } satisfies RunnerResult);
  }
  process.stdout.write(`${text}\n`);
}

type Emit = typeof emitNow;

/**
 * For a runner read from stdin, whose host takes the result line as the end of the run: the line is
 * printed only once nothing else is left to run (node's beforeExit), so work a script leaves behind
 * still ends in the wall-clock limit instead of after a result.
 */
const emitAtExit: Emit = (...args) => process.once('beforeExit', () => emitNow(...args));

function run(code: string, input: RunnerInput, emit: Emit = emitNow): void {
  const limits = { ...DEFAULT_LIMITS, ...input.limits };
  if (input.program) {
    void runProgram(code, input.program, limits).then((result) =>
      emit(result, limits.maxOutputBytes, PROGRAM_TOO_LARGE),
    );
    return;
  }
  emit(runScript(code, input.facts ?? {}, limits), limits.maxOutputBytes);
}

/** Reads stdin up to the first newline; the rest of the stream is never read, and stdin is closed. */
function firstLine(): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const onData = (chunk: Buffer) => {
      const end = chunk.indexOf(0x0a);
      chunks.push(end === -1 ? chunk : chunk.subarray(0, end));
      if (end === -1) return;
      process.stdin.off('data', onData);
      process.stdin.destroy();
      resolve(Buffer.concat(chunks).toString('utf8'));
    };
    process.stdin.on('data', onData);
    process.stdin.on('error', reject);
    process.stdin.on('end', () => reject(new Error('stdin ended before a whole line arrived')));
  });
}

/**
 * A fixed script of the runner's own, run once before the runner says it is ready: the SDK's and
 * cdk8s's code paths are then compiled and their memory touched, so the real script does not pay for
 * it. It comes from no one else's run; its result is dropped and the next script starts a new environment.
 */
const WARM_UP = `const sdk = require('@vibe/sdk');
const db = sdk.postgres('db');
const cache = sdk.redis('cache');
sdk.webService('web', { image: 'warm-up:1', port: 8080, public: true, uses: [db, cache] });
sdk.worker('worker', { image: 'warm-up:1', uses: [db] });`;

function fromStdin(warmUp: boolean): void {
  if (warmUp) runScript(WARM_UP, {}, DEFAULT_LIMITS);
  // Not process.stdout: opening it makes fd 1 non-blocking, and a script's own writes would then fail.
  writeSync(1, `${READY_LINE}\n`);
  firstLine()
    .then((line) => {
      const request = JSON.parse(line) as { script?: unknown; input?: RunnerInput };
      if (typeof request.script !== 'string') throw new Error('the request on stdin carries no script');
      run(request.script, request.input ?? {}, emitAtExit);
    })
    .catch((error: unknown) => {
      process.stderr.write(`runner: ${String(error)}\n`);
      process.exit(2);
    });
}

function main(args: string[]): void {
  const [scriptPath, inputPath] = args;
  if (scriptPath === '-') return fromStdin(inputPath === '--warm-up');
  if (!scriptPath) {
    process.stderr.write('usage: runner SCRIPT.js [INPUT.json] | runner - [--warm-up]\n');
    process.exit(2);
  }
  const input: RunnerInput = inputPath ? (JSON.parse(readFileSync(inputPath, 'utf8')) as RunnerInput) : {};
  run(readFileSync(scriptPath, 'utf8'), input);
}

// Built into a V8 startup snapshot, the SDK and cdk8s are already loaded when the sandbox starts;
// `node --snapshot-blob` then passes the script as the first argument.
if (startupSnapshot.isBuildingSnapshot())
  startupSnapshot.setDeserializeMainFunction(() => main(process.argv.slice(1)));
else main(process.argv.slice(2));
