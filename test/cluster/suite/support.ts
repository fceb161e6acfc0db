/**
 * Helpers for the local cluster's own test suite: a client for the cluster
 * that `make cluster-up` started, polling, and running the cluster scripts.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as k8s from '@kubernetes/client-node';

export const clusterScripts = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const repoRoot = path.resolve(clusterScripts, '..', '..');
export const clusterDir = process.env.VIBE_CLUSTER_DIR ?? path.join(repoRoot, '.cluster');

export function kubeConfig(): k8s.KubeConfig {
  const kc = new k8s.KubeConfig();
  kc.loadFromFile(process.env.KUBECONFIG ?? path.join(clusterDir, 'kubeconfig'));
  return kc;
}

export function uniqueName(prefix: string): string {
  return `${prefix}-${randomBytes(3).toString('hex')}`;
}

/** Polls `probe` until it returns a value other than undefined. */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 120_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(
    `timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${String(lastError)}` : ''}`,
  );
}

export interface ScriptResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs one of the cluster scripts (up.sh, down.sh, ...) to completion. */
export function runScript(
  script: string,
  env: Record<string, string> = {},
  args: string[] = [],
): ScriptResult {
  const result = spawnSync('bash', [path.join(clusterScripts, script), ...args], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: 600_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

export function isNotFound(error: unknown): boolean {
  return (error as { code?: number }).code === 404;
}

/** A pod that runs one busybox command to completion; returns its name. */
export function busyboxPod(name: string, command: string[], runtimeClassName?: string): k8s.V1Pod {
  return {
    metadata: { name },
    spec: {
      restartPolicy: 'Never',
      terminationGracePeriodSeconds: 1,
      ...(runtimeClassName ? { runtimeClassName } : {}),
      containers: [{ name: 'main', image: 'localhost/vibe/busybox:test', imagePullPolicy: 'Never', command }],
    },
  };
}

export async function waitPodPhase(core: k8s.CoreV1Api, namespace: string, name: string, phases: string[]) {
  return waitFor(`pod ${namespace}/${name} to reach ${phases.join(' or ')}`, async () => {
    const pod = await core.readNamespacedPod({ name, namespace });
    return phases.includes(pod.status?.phase ?? '') ? pod : undefined;
  });
}
