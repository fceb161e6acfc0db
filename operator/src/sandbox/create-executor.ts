/** Picks an executor by name. There is no silent fallback from runsc to the unsafe process executor. */
import { cacheDir } from './cache-dir.js';
import { SandboxSetupError } from './errors.js';
import { findRunsc } from './find-runsc.js';
import { processExecutor } from './process-executor.js';
import { runscExecutor } from './runsc-executor.js';
import type { ExecutorName, SandboxExecutor } from './types.js';

export const EXECUTOR_NAMES: readonly ExecutorName[] = ['runsc', 'process'];

export function createExecutor(name: ExecutorName, env: NodeJS.ProcessEnv = process.env): SandboxExecutor {
  const cache = cacheDir(env);
  if (name === 'process') return processExecutor({ cacheDir: cache });
  const runsc = findRunsc(env);
  if (!runsc) {
    throw new SandboxSetupError(
      'VIBE_SANDBOX_RUNSC_NOT_FOUND',
      'runsc (gVisor) was not found in $VIBE_RUNSC, on PATH or in $VIBE_CACHE/bin. Install it with ' +
        '`make cluster-build`, or pass `--executor process` to run scripts unsandboxed (development only).',
    );
  }
  return runscExecutor({ runsc, cacheDir: cache });
}
