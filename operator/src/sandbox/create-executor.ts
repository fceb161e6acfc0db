/** Picks an executor by name. There is no silent fallback from runsc to the unsafe process executor. */
import { KubeConfig } from '@kubernetes/client-node';
import { cacheDir } from './cache-dir.js';
import { SandboxSetupError } from './errors.js';
import { findRunsc } from './find-runsc.js';
import { localImageReference } from './oci-image.js';
import { podExecutor } from './pod-executor.js';
import { processExecutor } from './process-executor.js';
import { ensureRootfs } from './rootfs.js';
import { runscExecutor } from './runsc-executor.js';
import type { ExecutorName, SandboxExecutor } from './types.js';

export const EXECUTOR_NAMES: readonly ExecutorName[] = ['runsc', 'pod', 'process'];

export interface ExecutorSettings {
  /** For `pod`: the cluster that runs the sandbox pods. */
  readonly kubeconfig?: string;
}

/**
 * `pod` reads `$VIBE_SANDBOX_NAMESPACE` (default `default`) and `$VIBE_SANDBOX_IMAGE` (default: the
 * image `vibe sandbox image` builds from the local rootfs, imported into the node).
 */
export async function createExecutor(
  name: ExecutorName,
  env: NodeJS.ProcessEnv = process.env,
  settings: ExecutorSettings = {},
): Promise<SandboxExecutor> {
  const cache = cacheDir(env);
  if (name === 'process') return processExecutor({ cacheDir: cache });
  if (name === 'pod') {
    if (!settings.kubeconfig) {
      throw new SandboxSetupError(
        'VIBE_SANDBOX_POD_NEEDS_CLUSTER',
        'the pod executor runs scripts in a cluster: pass --kubeconfig with a cluster that has the gvisor RuntimeClass.',
      );
    }
    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromFile(settings.kubeconfig);
    const image = env.VIBE_SANDBOX_IMAGE || localImageReference(await ensureRootfs(cache));
    return podExecutor({ kubeConfig, namespace: env.VIBE_SANDBOX_NAMESPACE || 'default', image });
  }
  const runsc = findRunsc(env);
  if (!runsc) {
    throw new SandboxSetupError(
      'VIBE_SANDBOX_RUNSC_NOT_FOUND',
      'runsc (gVisor) was not found in $VIBE_RUNSC, on PATH or in $VIBE_CACHE/bin. Install it with ' +
        '`make cluster-build`, or pass `--executor process` to run scripts unsandboxed (development only).',
    );
  }
  return runscExecutor({ runsc, cacheDir: cache });
}
