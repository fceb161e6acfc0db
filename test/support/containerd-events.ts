/**
 * The local node's containerd events, for proving which runtime really ran a container: the API
 * server only knows the pod asked for a RuntimeClass, containerd says which shim it started.
 * Every `/containers/create` event names the container's id and runtime (io.containerd.runsc.v1 for
 * gVisor), so a container that lived a second is still on record after it is gone.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { cacheDir } from '../../operator/src/sandbox/cache-dir.js';

/** The runtime containerd starts for RuntimeClass gvisor (handler runsc). */
export const GVISOR_RUNTIME = 'io.containerd.runsc.v1';

/** Follows containerd's events from now on; `runtimeOf` answers for containers created since. */
export class ContainerdEvents {
  private readonly runtimes = new Map<string, string>();
  private readonly child: ChildProcess;
  /** Why the event stream ended early, if it did: said by `runtimeOf`'s callers on failure. */
  private ended: string | undefined;

  constructor(env: NodeJS.ProcessEnv = process.env) {
    // The paths test/cluster/lib/common.sh gives the node's containerd and its ctr.
    const socket = join(env.VIBE_RUN_DIR || '/run/vibe-operator', 'containerd', 'containerd.sock');
    this.child = spawn(join(cacheDir(env), 'bin', 'ctr'), ['--address', socket, '-n', 'k8s.io', 'events'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    // ctr repeats containerd's cgroup v1 deprecation warning on stderr; keep the tail for failures.
    this.child.stderr?.on(
      'data',
      (chunk: Buffer) => (stderr = (stderr + chunk.toString('utf8')).slice(-2000)),
    );
    this.child.on('error', (err) => (this.ended = `ctr could not start: ${err.message}`));
    this.child.on('exit', (code, signal) => {
      this.ended ??= `ctr events ended (${code ?? signal}): ${stderr.trim()}`;
    });
    let buffer = '';
    this.child.stdout?.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const line of lines) this.record(line);
    });
  }

  /** The runtime containerd created the container with, by CRI id (`containerd://<id>` or `<id>`). */
  runtimeOf(containerId: string): string | undefined {
    return this.runtimes.get(containerId.replace(/^containerd:\/\//, ''));
  }

  /** Whether events are still being followed, or why not: for assertion messages. */
  describe(): string {
    return this.ended ?? `following containerd events; ${this.runtimes.size} containers created so far`;
  }

  stop(): void {
    this.ended = 'stopped by the test';
    this.child.kill('SIGTERM');
  }

  /** A line reads `<time> <namespace> /containers/create {"id":…,"runtime":{"name":…}}`. */
  private record(line: string): void {
    const at = line.indexOf(' /containers/create ');
    if (at < 0) return;
    try {
      const event = JSON.parse(line.slice(at + ' /containers/create '.length)) as {
        id?: string;
        runtime?: { name?: string };
      };
      if (event.id && event.runtime?.name) this.runtimes.set(event.id, event.runtime.name);
    } catch {
      // A line cut short says nothing about runtimes.
    }
  }
}
