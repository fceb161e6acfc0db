/** Runs a child process with a wall-clock deadline and a cap on what it may print. */
import { spawn } from 'node:child_process';

export interface BoundedRun {
  readonly stdout: string;
  readonly stderr: string;
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly timedOut: boolean;
  readonly outputExceeded: boolean;
}

export interface BoundedOptions {
  readonly env: NodeJS.ProcessEnv;
  readonly cwd?: string;
  readonly wallMs: number;
  readonly maxOutputBytes: number;
}

const MAX_STDERR = 64 * 1024;

export function spawnBounded(command: string, args: string[], options: BoundedOptions): Promise<BoundedRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      env: options.env,
      cwd: options.cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let outBytes = 0;
    let errBytes = 0;
    let timedOut = false;
    let outputExceeded = false;
    const kill = () => child.kill('SIGKILL');
    const timer = setTimeout(() => {
      timedOut = true;
      kill();
    }, options.wallMs);
    child.stdout.on('data', (chunk: Buffer) => {
      if (outputExceeded) return;
      outBytes += chunk.length;
      if (outBytes > options.maxOutputBytes) {
        outputExceeded = true;
        kill();
        return;
      }
      out.push(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      if (errBytes >= MAX_STDERR) return;
      errBytes += chunk.length;
      err.push(chunk);
    });
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (exitCode, signal) => {
      clearTimeout(timer);
      resolve({
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8').slice(0, MAX_STDERR),
        exitCode,
        signal,
        timedOut,
        outputExceeded,
      });
    });
  });
}
