/**
 * The sandbox entry point: `node runner.mjs SCRIPT.js [INPUT.json]`. Reads a transpiled script and
 * the run's input (cluster facts and limits), prints one result document on stdout and exits 0 when
 * it could say what happened; the executor reads crashes from the exit status.
 */
import { readFileSync } from 'node:fs';
import { DEFAULT_LIMITS, type RunnerLimits, type RunnerResult } from './protocol.js';
import { runScript } from './run-script.js';
import type { ClusterFacts } from '../sdk/environment.js';

interface RunnerInput {
  facts?: ClusterFacts;
  limits?: Partial<RunnerLimits>;
}

function emit(result: RunnerResult, maxBytes: number): void {
  let text = JSON.stringify(result);
  if (Buffer.byteLength(text) > maxBytes) {
    text = JSON.stringify({
      ok: false,
      kind: 'limit',
      code: 'VIBE_SANDBOX_OUTPUT_LIMIT',
      message: `the synthesized manifests exceed ${maxBytes} bytes; declare fewer or smaller objects.`,
      logs: [],
    } satisfies RunnerResult);
  }
  process.stdout.write(`${text}\n`);
}

const [scriptPath, inputPath] = process.argv.slice(2);
if (!scriptPath) {
  process.stderr.write('usage: runner SCRIPT.js [INPUT.json]\n');
  process.exit(2);
}
const input: RunnerInput = inputPath ? (JSON.parse(readFileSync(inputPath, 'utf8')) as RunnerInput) : {};
const limits = { ...DEFAULT_LIMITS, ...input.limits };
emit(runScript(readFileSync(scriptPath, 'utf8'), input.facts ?? {}, limits), limits.maxOutputBytes);
