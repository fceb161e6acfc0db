/**
 * Runs the runner under gVisor from an OCI bundle (not `runsc do`, which shows the script the host's
 * filesystem): one fresh container per run, no network, stopped and deleted when it overruns. With a
 * pool, containers are booted ahead and each serves exactly one run (docs/adr/0092).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { compileFailure, interpret } from './result.js';
import { ensureRootfs } from './rootfs.js';
import { bootContainer, type Container, type RunscContext } from './runsc-container.js';
import { collectLeftovers } from './runsc-leftovers.js';
import { runnerRequest } from './runner-input.js';
import { transpile } from './transpile.js';
import {
  DEFAULT_SANDBOX_LIMITS,
  type SandboxExecutor,
  type SandboxLimits,
  type SandboxRequest,
  type SandboxResult,
} from './types.js';
import { WarmPool, type PoolObserver } from './pool/warm-pool.js';

export interface RunscExecutorOptions {
  readonly runsc: string;
  readonly cacheDir: string;
  readonly nodePath?: string;
  /**
   * Containers kept booted and waiting for a run with the default limits (default 0: none). For
   * long-lived processes, which call close() to remove them.
   */
  readonly poolSize?: number;
  readonly poolObserver?: Partial<PoolObserver>;
  /** Told the ids of containers a dead process left in the state root, once they are removed. */
  readonly onLeftoversRemoved?: (ids: readonly string[]) => void;
}

const sameLimits = (a: SandboxLimits, b: SandboxLimits) => JSON.stringify(a) === JSON.stringify(b);

export function runscExecutor(options: RunscExecutorOptions): SandboxExecutor {
  // One state root for every process: runsc mounts a network namespace file in it, so it is never removed.
  const stateRoot = join(options.cacheDir, 'runsc-state');
  let context: Promise<RunscContext> | undefined;
  /** Deletes of used containers still running; close() waits for them. */
  const removals = new Set<Promise<void>>();

  // Resolved once per executor: checking the rootfs cache runs ldd and hashes the runner's sources.
  const prepareContext = async (): Promise<RunscContext> => {
    mkdirSync(stateRoot, { recursive: true });
    const global = ['--root', stateRoot, '--network=none'];
    const collected = collectLeftovers({ runsc: options.runsc, global, bundleParent: options.cacheDir });
    const rootfs = await ensureRootfs(options.cacheDir, options.nodePath);
    const removed = await collected;
    if (removed.length > 0) options.onLeftoversRemoved?.(removed);
    return { runsc: options.runsc, global, bundleParent: options.cacheDir, rootfs };
  };
  const contextReady = (): Promise<RunscContext> =>
    (context ??= prepareContext().catch((error: unknown) => {
      context = undefined;
      throw error;
    }));
  const boot = async (limits: SandboxLimits, warmUp = false) =>
    bootContainer(await contextReady(), limits, warmUp);

  const pool = new WarmPool<Container>({
    size: options.poolSize ?? 0,
    boot: () => boot(DEFAULT_SANDBOX_LIMITS, true),
    ...(options.poolObserver ? { observer: options.poolObserver } : {}),
  });
  pool.fill();

  const retire = (box: Container) => {
    const removal = box.destroy().finally(() => removals.delete(removal));
    removals.add(removal);
  };

  return {
    name: 'runsc',
    unsafe: false,
    async run(request: SandboxRequest): Promise<SandboxResult> {
      const started = performance.now();
      const limits = { ...DEFAULT_SANDBOX_LIMITS, ...request.limits };
      const compiled = await transpile(request.source);
      if (!compiled.ok) return compileFailure(compiled.message, performance.now() - started);
      // The pool's containers carry the default limits in their spec; other limits need their own.
      const pooled = sameLimits(limits, DEFAULT_SANDBOX_LIMITS);
      if (!pooled) options.poolObserver?.miss?.();
      const box = (pooled ? pool.take() : undefined) ?? (await boot(limits));
      try {
        const run = await box.run(runnerRequest(compiled.code, request, limits));
        return interpret(run, limits, performance.now() - started);
      } finally {
        retire(box);
      }
    },
    async close() {
      await pool.drain();
      await Promise.all(removals);
    },
  };
}
