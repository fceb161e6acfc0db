/**
 * Server-side dry-run: the API server validates each object (schema, admission, quota) as a
 * server-side apply that persists nothing. Only run when the user gave a kubeconfig.
 */
import {
  KubeConfig,
  KubernetesObjectApi,
  PatchStrategy,
  type KubernetesObject,
} from '@kubernetes/client-node';
import type { Diagnostic } from './diagnostics.js';
import type { DryRun } from './loop.js';

export const FIELD_MANAGER = 'vibe-operator';

function reason(error: unknown): string {
  const body = (error as { body?: unknown }).body;
  if (typeof body === 'string') {
    try {
      const status = JSON.parse(body) as { message?: string };
      if (status.message) return status.message;
    } catch {
      return body.slice(0, 500);
    }
  }
  return error instanceof Error ? error.message : String(error);
}

export function serverDryRun(kubeconfigPath: string, namespace: string): DryRun {
  const config = new KubeConfig();
  config.loadFromFile(kubeconfigPath);
  const client = KubernetesObjectApi.makeApiClient(config);
  return async (manifests) => {
    const diagnostics: Diagnostic[] = [];
    for (const manifest of manifests) {
      const object = structuredClone(manifest) as KubernetesObject;
      object.metadata = { ...object.metadata, namespace };
      try {
        await client.patch(object, undefined, 'All', FIELD_MANAGER, true, PatchStrategy.ServerSideApply);
      } catch (error) {
        diagnostics.push({
          gate: 'dry-run',
          code: 'VIBE_DRY_RUN_REJECTED',
          object: `${object.kind}/${object.metadata?.name ?? '?'}`,
          message: `the API server refused it: ${reason(error)}`,
        });
      }
    }
    return diagnostics;
  };
}
