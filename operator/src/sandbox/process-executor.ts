/**
 * Development only: runs the runner as a plain child process of the operator's user. No isolation
 * beyond an empty environment, a heap limit and the deadlines; callers must say so when they use it.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileFailure, interpret } from './result.js';
import { ensureRunner, RUNNER_NODE_FLAGS } from './runner-bundle.js';
import { spawnBounded } from './spawn-bounded.js';
import { transpile } from './transpile.js';
import {
  DEFAULT_SANDBOX_LIMITS,
  type SandboxExecutor,
  type SandboxRequest,
  type SandboxResult,
} from './types.js';
import { runnerInput } from './runner-input.js';

export interface ProcessExecutorOptions {
  readonly cacheDir: string;
  readonly nodePath?: string;
}

export function processExecutor(options: ProcessExecutorOptions): SandboxExecutor {
  const nodePath = options.nodePath ?? process.execPath;
  let runnerFiles: ReturnType<typeof ensureRunner> | undefined;
  return {
    name: 'process',
    unsafe: true,
    async run(request: SandboxRequest): Promise<SandboxResult> {
      const started = performance.now();
      const limits = { ...DEFAULT_SANDBOX_LIMITS, ...request.limits };
      const compiled = await transpile(request.source);
      if (!compiled.ok) return compileFailure(compiled.message, performance.now() - started);
      runnerFiles ??= ensureRunner(options.cacheDir, nodePath);
      const runner = await runnerFiles.catch((error: unknown) => {
        runnerFiles = undefined;
        throw error;
      });
      const dir = mkdtempSync(join(tmpdir(), 'vibe-sandbox-'));
      try {
        writeFileSync(join(dir, 'script.js'), compiled.code);
        writeFileSync(join(dir, 'input.json'), JSON.stringify(runnerInput(request, limits)));
        const run = await spawnBounded(
          nodePath,
          [...RUNNER_NODE_FLAGS, '--snapshot-blob', runner.snapshot, 'script.js', 'input.json'],
          { env: {}, cwd: dir, wallMs: limits.wallMs, maxOutputBytes: limits.maxOutputBytes },
        );
        return interpret(run, limits, performance.now() - started);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
