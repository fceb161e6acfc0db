/**
 * Picks an executor by name. There is no silent fallback from runsc to the unsafe process executor.
 * Each executor's module is imported when it is picked: an operator that never plans, or plans with
 * one executor, does not load the others (the pod executor brings client-node's generated APIs).
 */
import type { KubeConfig } from '@kubernetes/client-node';
import { cacheDir } from './cache-dir.js';
import { SandboxSetupError } from './errors.js';
import { findRunsc } from './find-runsc.js';
import { localImageReference } from './oci-image.js';
import { poolObserver, type PoolReporting } from './pool/pool-metrics.js';
import type { ExecutorName, SandboxExecutor } from './types.js';

export const EXECUTOR_NAMES: readonly ExecutorName[] = ['runsc', 'pod', 'process'];

/**
 * The operator's pool size when its config names none. The pod executor's pool is opt-in: it keeps
 * pods in the cluster and needs `pods/attach` in the sandbox Role (docs/adr/0092).
 */
export const DEFAULT_POOL_SIZE: Readonly<Record<ExecutorName, number>> = { runsc: 2, pod: 0, process: 0 };

export interface ExecutorSettings {
  /** For `pod`: the cluster that runs the sandbox pods. */
  readonly kubeConfig?: KubeConfig;
  /** For `pod`: the namespace of the sandbox pods (default `$VIBE_SANDBOX_NAMESPACE`, then `default`). */
  readonly sandboxNamespace?: string;
  /**
   * For `pod`: the sandbox-runtime image (default `$VIBE_SANDBOX_IMAGE`, then the image `vibe sandbox
   * image` builds from the local rootfs, imported into the node).
   */
  readonly sandboxImage?: string;
  /**
   * Runners (runsc containers, gVisor pods) kept booted and waiting, each for one run (default 0:
   * none). Only long-lived processes set it; they call close() on the executor to drain the pool.
   */
  readonly poolSize?: number;
  /** Where the pool's metrics and boot failures go. */
  readonly poolReporting?: PoolReporting;
}

export async function createExecutor(
  name: ExecutorName,
  env: NodeJS.ProcessEnv = process.env,
  settings: ExecutorSettings = {},
): Promise<SandboxExecutor> {
  const cache = cacheDir(env);
  if (name === 'process') return (await import('./process-executor.js')).processExecutor({ cacheDir: cache });
  if (name === 'pod') {
    if (!settings.kubeConfig) {
      throw new SandboxSetupError(
        'VIBE_SANDBOX_POD_NEEDS_CLUSTER',
        'the pod executor runs scripts in a cluster: pass --kubeconfig with a cluster that has the gvisor RuntimeClass.',
      );
    }
    const image =
      settings.sandboxImage ||
      env.VIBE_SANDBOX_IMAGE ||
      localImageReference(await (await import('./rootfs.js')).ensureRootfs(cache));
    const namespace = settings.sandboxNamespace || env.VIBE_SANDBOX_NAMESPACE || 'default';
    const poolSize = settings.poolSize ?? 0;
    const { podExecutor } = await import('./pod-executor.js');
    return podExecutor({
      kubeConfig: settings.kubeConfig,
      namespace,
      image,
      poolSize,
      ...(poolSize > 0 ? { poolObserver: poolObserver('pod', poolSize, settings.poolReporting ?? {}) } : {}),
    });
  }
  const runsc = findRunsc(env);
  if (!runsc) {
    throw new SandboxSetupError(
      'VIBE_SANDBOX_RUNSC_NOT_FOUND',
      'runsc (gVisor) was not found in $VIBE_RUNSC, on PATH or in $VIBE_CACHE/bin. Install it with ' +
        '`make cluster-build`, or pass `--executor process` to run scripts unsandboxed (development only).',
    );
  }
  const poolSize = settings.poolSize ?? 0;
  const { runscExecutor } = await import('./runsc-executor.js');
  const logger = settings.poolReporting?.logger;
  return runscExecutor({
    runsc,
    cacheDir: cache,
    poolSize,
    ...(logger
      ? {
          onLeftoversRemoved: (ids: readonly string[]) =>
            logger.info({ containers: ids }, 'removed sandbox containers that a stopped process left behind'),
        }
      : {}),
    ...(poolSize > 0 ? { poolObserver: poolObserver('runsc', poolSize, settings.poolReporting ?? {}) } : {}),
  });
}
