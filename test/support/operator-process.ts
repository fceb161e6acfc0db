import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { kubeconfigPath, waitFor } from './kube.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface LogLine {
  level: number;
  msg: string;
  [key: string]: unknown;
}

/** A `vibe operator` child process, its JSON logs and its /metrics. */
/**
 * The operator most cluster suites run beside them: one namespace, the offline planner, the runsc
 * executor and the preview router on a free port (its port from previewRouterPort()).
 */
export function localOperatorArgs(namespace: string): string[] {
  return [
    '--namespace',
    namespace,
    '--planner',
    'offline',
    '--executor',
    'runsc',
    '--preview-router',
    '--preview-router-address',
    '127.0.0.1:0',
  ];
}

export class OperatorProcess {
  readonly logs: LogLine[] = [];
  readonly stderr: string[] = [];
  port = 0;
  exitCode: number | null | undefined;
  private readonly exited: Promise<void>;

  private constructor(readonly child: ChildProcess) {
    let buffer = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const line of lines) {
        try {
          const parsed = JSON.parse(line) as LogLine;
          this.logs.push(parsed);
          if (parsed.msg === 'serving /healthz, /readyz and /metrics') this.port = parsed.port as number;
        } catch {
          this.stderr.push(line);
        }
      }
    });
    child.stderr?.on('data', (chunk: Buffer) => this.stderr.push(chunk.toString('utf8')));
    this.exited = new Promise((resolve) =>
      child.on('exit', (code) => {
        this.exitCode = code;
        resolve();
      }),
    );
  }

  /**
   * Starts `vibe operator` with --kubeconfig and --metrics-port 0 plus args;
   * resolves once its port is known. `options.command` replaces `bin/vibe.js
   * operator` (node arguments and script), e.g. to run a bundle;
   * `options.kubeconfig` replaces the test's admin kubeconfig, e.g. with a
   * ServiceAccount's (ChartRelease.serviceAccountKubeconfig).
   */
  static async start(
    args: string[],
    env: Record<string, string> = {},
    options: { command?: string[]; kubeconfig?: string } = {},
  ): Promise<OperatorProcess> {
    const command = options.command ?? [path.join(repoRoot, 'bin/vibe.js'), 'operator'];
    const kubeconfig = options.kubeconfig ?? kubeconfigPath();
    const child = spawn(
      process.execPath,
      [...command, '--kubeconfig', kubeconfig, '--metrics-port', '0', ...args],
      // KUBECONFIG goes too: nothing in the operator may fall back to the admin's.
      {
        cwd: repoRoot,
        env: { ...process.env, ...env, KUBECONFIG: kubeconfig },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const op = new OperatorProcess(child);
    // A crashed test run must not leave an operator reconciling in the shared cluster.
    const reap = () => child.kill('SIGKILL');
    process.once('exit', reap);
    child.once('exit', () => process.removeListener('exit', reap));
    await waitFor('the operator to serve /metrics', async () => {
      if (op.exitCode !== undefined)
        throw new Error(`operator exited with ${op.exitCode}: ${op.stderr.join('')}`);
      return op.port > 0;
    });
    return op;
  }

  async ready(timeoutMs = 30_000): Promise<void> {
    await waitFor(
      'the operator to be ready',
      async () => (await this.get('/readyz')).status === 200,
      timeoutMs,
    ).catch((err: unknown) => {
      throw new Error(`${(err as Error).message}; its last warnings and errors:\n${this.complaints()}`);
    });
  }

  /** The port of the operator's preview router (--preview-router), once it logs that it listens. */
  previewRouterPort(): Promise<number> {
    return waitFor('the preview router port', async () => {
      const line = this.logs.find((l) => l.msg === 'preview router listening');
      return line?.port as number | undefined;
    });
  }

  /** The operator's last warning and error lines (pino level 40 and up), one per line, for failures. */
  complaints(count = 10): string {
    return this.logs
      .filter((l) => l.level >= 40)
      .slice(-count)
      .map((l) => JSON.stringify(l))
      .join('\n');
  }

  async get(pathname: string): Promise<{ status: number; text: string }> {
    const res = await fetch(`http://127.0.0.1:${this.port}${pathname}`);
    return { status: res.status, text: await res.text() };
  }

  /** Sums a counter over the series whose labels include all of `labels`. */
  async metric(name: string, labels: Record<string, string> = {}): Promise<number> {
    const { text } = await this.get('/metrics');
    let sum = 0;
    for (const line of text.split('\n')) {
      const m = line.match(/^([a-zA-Z_:][\w:]*)(\{([^}]*)\})? ([0-9.eE+-]+|NaN)$/);
      if (!m || m[1] !== name) continue;
      const have = Object.fromEntries(
        [...(m[3] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((x) => [x[1], x[2]]),
      );
      if (Object.entries(labels).every(([k, v]) => have[k] === v)) sum += Number(m[4]);
    }
    return sum;
  }

  /** Write requests (POST, PUT, PATCH, DELETE) the operator sent to the API server so far. */
  async writes(): Promise<number> {
    let n = 0;
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE'])
      n += await this.metric('rest_client_requests_total', { method });
    return n;
  }

  kill(signal: NodeJS.Signals): Promise<void> {
    if (this.exitCode === undefined) this.child.kill(signal);
    return this.exited;
  }

  async stop(): Promise<void> {
    if (this.exitCode !== undefined) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 20_000);
    await this.exited;
    clearTimeout(timer);
  }
}
