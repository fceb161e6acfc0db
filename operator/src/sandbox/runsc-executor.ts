/**
 * Runs the runner under gVisor from an OCI bundle (not `runsc do`, which shows the script the host's
 * filesystem): one fresh container per run, no network, stopped and deleted when it overruns. With
 * `warm`, the next container is created (its sandbox booted) while the executor is idle.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { compileFailure, interpret } from './result.js';
import { ensureRootfs } from './rootfs.js';
import { createContainer, type Container, type RunscContext } from './runsc-container.js';
import { runnerInput } from './runner-input.js';
import { transpile } from './transpile.js';
import {
  DEFAULT_SANDBOX_LIMITS,
  type SandboxExecutor,
  type SandboxLimits,
  type SandboxRequest,
  type SandboxResult,
} from './types.js';

export interface RunscExecutorOptions {
  readonly runsc: string;
  readonly cacheDir: string;
  readonly nodePath?: string;
  /** Keep one container created ahead of the next run. For long-lived processes, which call close(). */
  readonly warm?: boolean;
}

const sameLimits = (a: SandboxLimits, b: SandboxLimits) => JSON.stringify(a) === JSON.stringify(b);

export function runscExecutor(options: RunscExecutorOptions): SandboxExecutor {
  // One state root for every process: runsc mounts a network namespace file in it, so it is never removed.
  const stateRoot = join(options.cacheDir, 'runsc-state');
  let context: Promise<RunscContext> | undefined;
  let spare: Promise<Container> | undefined;

  // Resolved once per executor: checking the rootfs cache runs ldd and hashes the runner's sources.
  const prepareContext = async (): Promise<RunscContext> => {
    mkdirSync(stateRoot, { recursive: true });
    const rootfs = await ensureRootfs(options.cacheDir, options.nodePath);
    return {
      runsc: options.runsc,
      global: ['--root', stateRoot, '--network=none'],
      bundleParent: options.cacheDir,
      rootfs,
    };
  };

  async function container(limits: SandboxLimits): Promise<Container> {
    context ??= prepareContext().catch((error: unknown) => {
      context = undefined;
      throw error;
    });
    const ctx = await context;
    const ready = spare ? await spare.catch(() => undefined) : undefined;
    spare = undefined;
    if (ready && sameLimits(ready.limits, limits)) return ready;
    ready?.destroy();
    return createContainer(ctx, limits);
  }

  return {
    name: 'runsc',
    unsafe: false,
    async run(request: SandboxRequest): Promise<SandboxResult> {
      const started = performance.now();
      const limits = { ...DEFAULT_SANDBOX_LIMITS, ...request.limits };
      const compiled = await transpile(request.source);
      if (!compiled.ok) return compileFailure(compiled.message, performance.now() - started);
      const box = await container(limits);
      try {
        box.provide({
          'script.js': compiled.code,
          'input.json': JSON.stringify(runnerInput(request, limits)),
        });
        return interpret(await box.start(), limits, performance.now() - started);
      } finally {
        box.destroy();
        if (options.warm && context) {
          const ctx = await context;
          spare = createContainer(ctx, { ...DEFAULT_SANDBOX_LIMITS });
          spare.catch(() => undefined);
        }
      }
    },
    async close() {
      const pending = spare;
      spare = undefined;
      (await pending?.catch(() => undefined))?.destroy();
    },
  };
}
