/**
 * The sandbox entry point: `node runner.cjs SCRIPT.js [INPUT.json]`, or `node --snapshot-blob
 * runner.blob SCRIPT.js [INPUT.json]` from its startup snapshot. Reads a transpiled script and
 * the run's input (cluster facts and limits), prints one result document on stdout and exits 0 when
 * it could say what happened; the executor reads crashes from the exit status.
 */
import { readFileSync } from 'node:fs';
import { startupSnapshot } from 'node:v8';
import { DEFAULT_LIMITS, type ProgramInput, type RunnerLimits, type RunnerResult } from './protocol.js';
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
function emit(result: RunnerResult, maxBytes: number, tooLarge = MANIFESTS_TOO_LARGE): void {
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

function main(args: string[]): void {
  const [scriptPath, inputPath] = args;
  if (!scriptPath) {
    process.stderr.write('usage: runner SCRIPT.js [INPUT.json]\n');
    process.exit(2);
  }
  const input: RunnerInput = inputPath ? (JSON.parse(readFileSync(inputPath, 'utf8')) as RunnerInput) : {};
  const limits = { ...DEFAULT_LIMITS, ...input.limits };
  const code = readFileSync(scriptPath, 'utf8');
  if (input.program) {
    void runProgram(code, input.program, limits).then((result) =>
      emit(result, limits.maxOutputBytes, PROGRAM_TOO_LARGE),
    );
    return;
  }
  emit(runScript(code, input.facts ?? {}, limits), limits.maxOutputBytes);
}

// Built into a V8 startup snapshot, the SDK and cdk8s are already loaded when the sandbox starts;
// `node --snapshot-blob` then passes the script as the first argument.
if (startupSnapshot.isBuildingSnapshot())
  startupSnapshot.setDeserializeMainFunction(() => main(process.argv.slice(1)));
else main(process.argv.slice(2));
