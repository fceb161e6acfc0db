/**
 * Runs the runner under gVisor from an OCI bundle (not `runsc do`, which shows the script the host's
 * filesystem). One container per run, with no network; stopped and deleted when it overruns.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ociSpec } from './oci-spec.js';
import { interpret } from './result.js';
import { ensureRootfs } from './rootfs.js';
import { runnerInput } from './runner-input.js';
import { spawnBounded } from './spawn-bounded.js';
import { transpile } from './transpile.js';
import {
  DEFAULT_SANDBOX_LIMITS,
  type SandboxExecutor,
  type SandboxRequest,
  type SandboxResult,
} from './types.js';

export interface RunscExecutorOptions {
  readonly runsc: string;
  readonly cacheDir: string;
  readonly nodePath?: string;
}

export function runscExecutor(options: RunscExecutorOptions): SandboxExecutor {
  const stateRoot = join(options.cacheDir, 'runsc-state');
  const global = ['--root', stateRoot, '--network=none'];
  // Resolved once per executor: checking the cache runs ldd and hashes the runner's sources.
  let rootfs: Promise<string> | undefined;
  return {
    name: 'runsc',
    unsafe: false,
    async run(request: SandboxRequest): Promise<SandboxResult> {
      const started = performance.now();
      const limits = { ...DEFAULT_SANDBOX_LIMITS, ...request.limits };
      const compiled = await transpile(request.source);
      if (!compiled.ok) {
        return {
          ok: false,
          kind: 'compile',
          code: 'VIBE_SANDBOX_COMPILE_ERROR',
          message: compiled.message,
          logs: [],
          durationMs: performance.now() - started,
        };
      }
      rootfs ??= ensureRootfs(options.cacheDir, options.nodePath);
      const root = await rootfs.catch((error: unknown) => {
        rootfs = undefined;
        throw error;
      });
      mkdirSync(stateRoot, { recursive: true });
      const bundle = mkdtempSync(join(options.cacheDir, 'bundle-'));
      const inputDir = join(bundle, 'in');
      const id = `vibe-${randomBytes(6).toString('hex')}`;
      let stopped = false;
      try {
        mkdirSync(inputDir);
        writeFileSync(join(inputDir, 'script.js'), compiled.code, { mode: 0o644 });
        writeFileSync(join(inputDir, 'input.json'), JSON.stringify(runnerInput(request, limits)), {
          mode: 0o644,
        });
        writeFileSync(
          join(bundle, 'config.json'),
          JSON.stringify(ociSpec({ rootfs: root, inputDir, limits })),
        );
        const run = await spawnBounded(options.runsc, [...global, 'run', '--bundle', bundle, id], {
          env: {},
          cwd: bundle,
          wallMs: limits.wallMs,
          maxOutputBytes: limits.maxOutputBytes,
          stop: () => {
            stopped = true;
            spawnSync(options.runsc, [...global, 'kill', id, 'KILL'], { stdio: 'ignore' });
          },
        });
        return interpret(run, limits, performance.now() - started);
      } finally {
        // `runsc run` removes its container when it exits by itself; only a stopped one is left behind.
        if (stopped) spawnSync(options.runsc, [...global, 'delete', '--force', id], { stdio: 'ignore' });
        rmSync(bundle, { recursive: true, force: true });
      }
    },
  };
}
