/**
 * One gVisor container from an OCI bundle, booted ahead of its run: created (the sandbox boots),
 * started (node loads the runner's snapshot), then left waiting for its one request on stdin. Its
 * output is read from the pipes handed to `runsc create`; it is deleted after that one run. A warm
 * pool keeps such containers waiting so a plan pays only for its script (docs/adr/0092).
 */
import { execFile, spawn, spawnSync, type ChildProcessByStdio } from 'node:child_process';
import { closeSync, constants, mkdirSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { Socket } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Readable } from 'node:stream';
import { SandboxSetupError } from './errors.js';
import { RUNNER_READY_LINE } from './runner-input.js';
import { ociSpec } from './oci-spec.js';
import { bundleName, newContainerId } from './runsc-leftovers.js';
import type { BoundedRun } from './spawn-bounded.js';
import type { SandboxLimits } from './types.js';
import type { PooledRunner } from './pool/warm-pool.js';

export interface RunscContext {
  readonly runsc: string;
  /** `--root` and the other global flags. */
  readonly global: readonly string[];
  readonly bundleParent: string;
  readonly rootfs: string;
}

export interface Container extends PooledRunner {
  /** The runsc container id, unique per container. */
  readonly id: string;
  readonly limits: SandboxLimits;
  /** Hands the runner its one request (a line of JSON) and resolves when the container has exited or been stopped. */
  run(request: string): Promise<BoundedRun>;
}

const MAX_STDERR = 64 * 1024;
/** How long node may take to load the runner's snapshot once the container started. */
const READY_TIMEOUT_MS = 30_000;

/** Resolves true once the stream's first line is the runner's RUNNER_READY_LINE, false if it is not or never comes. */
function firstLineIsReady(stream: Readable, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    let seen = '';
    const done = (ready: boolean) => {
      clearTimeout(timer);
      stream.off('data', onData);
      stream.off('close', onClose);
      resolve(ready);
    };
    const onData = (chunk: Buffer) => {
      seen += chunk.toString('utf8');
      const end = seen.indexOf('\n');
      if (end !== -1) done(seen.slice(0, end) === RUNNER_READY_LINE);
    };
    const onClose = () => done(false);
    const timer = setTimeout(() => done(false), timeoutMs);
    stream.on('data', onData);
    stream.on('close', onClose);
  });
}

interface Collected {
  /** Everything, once the stream has closed. */
  readonly all: Promise<string>;
  /** What has arrived so far. */
  sofar(): string;
}

function collect(stream: Readable, max: number, onOverflow: () => void): Collected {
  const chunks: Buffer[] = [];
  let size = 0;
  let overflowed = false;
  const all = new Promise<string>((resolve) => {
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
  return { all, sofar: () => Buffer.concat(chunks).toString('utf8') };
}

/**
 * Resolves when a whole line that is a JSON object has arrived: the runner's result, after which it
 * only exits. Waiting for the exit too would add the sandbox's teardown to every run.
 */
function resultLine(stream: Readable): Promise<void> {
  return new Promise((resolve) => {
    let line = '';
    const onData = (chunk: Buffer) => {
      const lines = (line + chunk.toString('utf8')).split('\n');
      line = lines.pop() ?? '';
      for (const complete of lines) {
        if (!complete.startsWith('{')) continue;
        try {
          JSON.parse(complete);
        } catch {
          continue;
        }
        stream.off('data', onData);
        resolve();
        return;
      }
    };
    stream.on('data', onData);
  });
}

/** Creates and starts a container whose runner waits on stdin; throws SandboxSetupError when runsc cannot. */
export async function bootContainer(
  ctx: RunscContext,
  limits: SandboxLimits,
  warmUp = false,
): Promise<Container> {
  // Both names carry this process's pid, so whatever a killed process leaves is known as its (runsc-leftovers).
  const id = newContainerId();
  const bundle = join(ctx.bundleParent, bundleName(id));
  mkdirSync(bundle, { mode: 0o700 });
  writeFileSync(join(bundle, 'config.json'), JSON.stringify(ociSpec({ rootfs: ctx.rootfs, limits, warmUp })));
  // stdin is a FIFO, not a pipe of `create`: node closes a child's stdin pipe when the child exits,
  // and `create` exits long before the request is written. The sandbox gets the read end; this
  // process holds the only write end, so if it dies the runner reads end-of-file and exits instead of
  // waiting forever. Opening read-write first lets the read-only open return at once.
  const fifo = join(bundle, 'stdin');
  let childEnd: number;
  let requests: Socket;
  try {
    await promisify(execFile)('mkfifo', ['-m', '600', fifo]);
    const writeEnd = openSync(fifo, constants.O_RDWR);
    childEnd = openSync(fifo, constants.O_RDONLY);
    requests = new Socket({ fd: writeEnd, readable: false, writable: true });
  } catch (error) {
    rmSync(bundle, { recursive: true, force: true });
    throw new SandboxSetupError(
      'VIBE_SANDBOX_STDIN_FIFO_FAILED',
      `could not make the sandbox's stdin FIFO in ${bundle} (mkfifo from coreutils must be on PATH): ${String(error)}`,
    );
  }
  // Writing to a runner that has died must not surface as an unhandled error; the run reports it.
  requests.on('error', () => undefined);
  let removal: Promise<void> | undefined;
  // The bundle goes at once (runsc keeps its own state); the delete is awaited by whoever must know
  // nothing is left (a pool draining, a one-shot CLI before it exits), not by the run's result.
  const destroy = () =>
    (removal ??= new Promise<void>((resolve) => {
      requests.destroy();
      rmSync(bundle, { recursive: true, force: true });
      // A delete that cannot even start leaves a stopped container in the state dir, nothing worse.
      const deleter = spawn(ctx.runsc, [...ctx.global, 'delete', '--force', id], {
        stdio: 'ignore',
        env: {},
      });
      deleter.on('error', () => resolve());
      deleter.on('close', () => resolve());
    }));

  // The sandbox inherits these: stdout and stderr stay open after `create` exits, until the container ends.
  const creator = spawn(ctx.runsc, [...ctx.global, 'create', '--bundle', bundle, id], {
    cwd: bundle,
    env: {},
    stdio: [childEnd, 'pipe', 'pipe'],
  }) as ChildProcessByStdio<null, Readable, Readable>;
  closeSync(childEnd);
  let stopped: 'timeout' | 'output' | undefined;
  const stop = (why: 'timeout' | 'output') => {
    stopped ??= why;
    spawnSync(ctx.runsc, [...ctx.global, 'kill', id, 'KILL'], { stdio: 'ignore', env: {} });
  };
  // The runner's RUNNER_READY_LINE stays in what is collected: the result is the last line, so it is ignored.
  const stdout = collect(creator.stdout, limits.maxOutputBytes, () => stop('output'));
  const result = resultLine(creator.stdout);
  const ready = firstLineIsReady(creator.stdout, READY_TIMEOUT_MS);
  const stderr = collect(creator.stderr, MAX_STDERR, () => undefined);
  const created = await new Promise<number | null>((resolve, reject) => {
    creator.on('error', reject);
    creator.on('exit', resolve);
  });
  const fail = async (code: `VIBE_SANDBOX_${string}`, what: string, detail: string): Promise<never> => {
    creator.stdout.destroy();
    creator.stderr.destroy();
    await destroy();
    throw new SandboxSetupError(code, `runsc could not ${what} the sandbox: ${detail}`);
  };
  if (created !== 0) {
    creator.stdout.destroy();
    creator.stderr.destroy();
    const detail = (await stderr.all).trim().split('\n').slice(-2).join(' | ');
    await fail('VIBE_SANDBOX_RUNSC_CREATE_FAILED', 'create', detail);
  }
  const failure = await runscCommand(ctx, ['start', id]);
  if (failure !== undefined) await fail('VIBE_SANDBOX_RUNSC_START_FAILED', 'start', failure);
  // Booted means node has loaded the runner and waits: only then does a pooled run skip the boot.
  if (!(await ready)) {
    stop('timeout');
    const detail = (
      await Promise.race([stderr.all, new Promise<string>((r) => setTimeout(() => r(''), 1_000))])
    )
      .trim()
      .split('\n')
      .slice(-2)
      .join(' | ');
    await fail('VIBE_SANDBOX_RUNNER_NOT_READY', 'boot the runner in', detail || 'it printed no ready line');
  }
  // The container's pipes close when it ends: a runner that dies while waiting is known at once.
  let ended = false;
  const whenEnded = stdout.all.then(() => {
    ended = true;
  });
  let used = false;

  return {
    id,
    limits,
    ended: whenEnded,
    alive: () => !ended && removal === undefined && !used,
    async run(request) {
      if (used) throw new Error(`sandbox container ${id} was already used; a runner runs one script only`);
      used = true;
      const timer = setTimeout(() => stop('timeout'), limits.wallMs);
      try {
        requests.end(`${request}\n`);
        const finished = await Promise.race([
          result.then(() => 'result' as const),
          Promise.all([stdout.all, stderr.all]).then(() => 'exited' as const),
        ]);
        const out = stdout.sofar();
        const err = stderr.sofar();
        // With a result line the runner finished by itself; only without one is the status asked for.
        const exitCode = finished === 'result' && !stopped ? 0 : await exitStatus(ctx, id);
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

/** The exit status of a container that has ended, from `runsc wait`. */
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
