/**
 * One gVisor container from an OCI bundle: created first (the sandbox boots), started when the script
 * is in place, its output read from the pipes handed to `runsc create`, deleted afterwards. Creating
 * ahead of time lets the executor keep one container booted and waiting.
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { SandboxSetupError } from './errors.js';
import { ociSpec } from './oci-spec.js';
import type { BoundedRun } from './spawn-bounded.js';
import type { SandboxLimits } from './types.js';

export interface RunscContext {
  readonly runsc: string;
  /** `--root` and the other global flags. */
  readonly global: readonly string[];
  readonly bundleParent: string;
  readonly rootfs: string;
}

export interface Container {
  readonly limits: SandboxLimits;
  /** Writes the run's files into the read-only /in mount; the container sees them once started. */
  provide(files: Record<string, string>): void;
  /** Starts the runner and resolves when the container has exited or been stopped. */
  start(): Promise<BoundedRun>;
  /** Removes the container and its bundle; safe to call more than once. */
  destroy(): void;
}

const MAX_STDERR = 64 * 1024;

function collect(stream: Readable, max: number, onOverflow: () => void): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let overflowed = false;
    stream.on('data', (chunk: Buffer) => {
      if (overflowed) return;
      size += chunk.length;
      if (size > max) {
        overflowed = true;
        onOverflow();
        return;
      }
      chunks.push(chunk);
    });
    // A broken pipe ends the output like a close does; it must not surface as an unhandled error.
    stream.on('error', () => undefined);
    stream.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

export async function createContainer(ctx: RunscContext, limits: SandboxLimits): Promise<Container> {
  const bundle = mkdtempSync(join(ctx.bundleParent, 'bundle-'));
  const inputDir = join(bundle, 'in');
  mkdirSync(inputDir);
  writeFileSync(
    join(bundle, 'config.json'),
    JSON.stringify(ociSpec({ rootfs: ctx.rootfs, inputDir, limits })),
  );
  const id = `vibe-${randomBytes(6).toString('hex')}`;
  let destroyed = false;
  // The bundle goes at once (runsc keeps its own state); the delete runs in the background so the
  // result is not held up, and a one-shot CLI still waits for it before exiting.
  const destroy = () => {
    if (destroyed) return;
    destroyed = true;
    rmSync(bundle, { recursive: true, force: true });
    // A delete that cannot even start leaves a stopped container in the state dir, nothing worse.
    spawn(ctx.runsc, [...ctx.global, 'delete', '--force', id], { stdio: 'ignore', env: {} }).on(
      'error',
      () => undefined,
    );
  };

  // The sandbox inherits these pipes: they stay open after `create` exits, until the container ends.
  const creator = spawn(ctx.runsc, [...ctx.global, 'create', '--bundle', bundle, id], {
    cwd: bundle,
    env: {},
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stopped: 'timeout' | 'output' | undefined;
  const stop = (why: 'timeout' | 'output') => {
    stopped ??= why;
    spawnSync(ctx.runsc, [...ctx.global, 'kill', id, 'KILL'], { stdio: 'ignore', env: {} });
  };
  const stdout = collect(creator.stdout, limits.maxOutputBytes, () => stop('output'));
  const stderr = collect(creator.stderr, MAX_STDERR, () => undefined);
  const created = await new Promise<number | null>((resolve, reject) => {
    creator.on('error', reject);
    creator.on('exit', resolve);
  });
  if (created !== 0) {
    creator.stdout.destroy();
    creator.stderr.destroy();
    const detail = (await stderr).trim().split('\n').slice(-2).join(' | ');
    destroy();
    throw new SandboxSetupError(
      'VIBE_SANDBOX_RUNSC_CREATE_FAILED',
      `runsc could not create the sandbox: ${detail}`,
    );
  }

  return {
    limits,
    provide(files) {
      for (const [name, text] of Object.entries(files))
        writeFileSync(join(inputDir, name), text, { mode: 0o644 });
    },
    async start() {
      const timer = setTimeout(() => stop('timeout'), limits.wallMs);
      try {
        const failure = await runscCommand(ctx, ['start', id]);
        if (failure !== undefined) {
          throw new SandboxSetupError(
            'VIBE_SANDBOX_RUNSC_START_FAILED',
            `runsc could not start the sandbox: ${failure}`,
          );
        }
        const [out, err, exitCode] = await Promise.all([stdout, stderr, exitStatus(ctx, id)]);
        return {
          stdout: out,
          stderr: err,
          exitCode,
          // No status means the whole sandbox was killed from outside, in practice by its memory cgroup.
          signal: stopped || exitCode === null ? 'SIGKILL' : null,
          timedOut: stopped === 'timeout',
          outputExceeded: stopped === 'output',
        };
      } finally {
        clearTimeout(timer);
      }
    },
    destroy,
  };
}

/** Runs one runsc command without blocking the event loop; resolves to its stderr when it fails. */
function runscCommand(ctx: RunscContext, args: string[]): Promise<string | undefined> {
  return new Promise((resolve) => {
    const child = spawn(ctx.runsc, [...ctx.global, ...args], {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: {},
    });
    let err = '';
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
    child.on('error', (error) => resolve(error.message));
    child.on('close', (code) => resolve(code === 0 ? undefined : err.trim() || `exit status ${code}`));
  });
}

/** The container's exit status from `runsc wait`, which returns as the container exits. */
function exitStatus(ctx: RunscContext, id: string): Promise<number | null> {
  return new Promise((resolve) => {
    const waiter = spawn(ctx.runsc, [...ctx.global, 'wait', id], {
      stdio: ['ignore', 'pipe', 'ignore'],
      env: {},
    });
    let out = '';
    waiter.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    waiter.on('error', () => resolve(null));
    waiter.on('close', () => {
      const m = /"exitStatus":\s*(\d+)/.exec(out);
      resolve(m ? Number(m[1]) : null);
    });
  });
}
