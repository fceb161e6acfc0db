import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { kubeconfigPath } from './kube.js';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const VIBE_BIN = path.join(repoRoot, 'bin/vibe.js');

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command to its end, feeding it input on stdin, and collects what it printed. */
export function runCommand(
  command: string,
  args: string[],
  options: { env?: Record<string, string>; input?: string } = {},
): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: repoRoot,
      env: { ...process.env, KUBECONFIG: kubeconfigPath(), ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.input ?? '');
  });
}

/** `vibe ARGS` as a user runs it, with the test cluster's kubeconfig. */
export function vibe(args: string[], options: { env?: Record<string, string>; input?: string } = {}) {
  return runCommand(process.execPath, [VIBE_BIN, ...args], options);
}

/** The cluster's kubectl: beside the cluster's binaries when the cluster scripts put one there, else on PATH. */
export function kubectlPath(): string {
  const dir = process.env.VIBE_CLUSTER_DIR ?? path.join(repoRoot, '.cluster');
  const beside = path.join(dir, 'bin', 'kubectl');
  return existsSync(beside) ? beside : 'kubectl';
}
