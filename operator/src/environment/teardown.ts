import { LABEL_MANAGED_BY, MANAGED_BY } from '../api/group.js';
import { formatDuration } from '../api/duration.js';
import { deleteObject, getObject } from '../reconciler/apply.js';
import type { LifecycleDeps } from './deps.js';
import { CONDITION, condition, type Ctx } from './status.js';

interface NamespaceObject {
  metadata: { name: string; deletionTimestamp?: string; labels?: Record<string, string> };
  status?: { phase?: string; conditions?: Array<{ type: string; status: string; message?: string }> };
}

/**
 * Deletes the environment's namespace and reports whether it is gone. It
 * never waits silently: a namespace Terminating longer than the configured
 * time is reported in a condition and a Warning event with the reasons the
 * namespace controller gives (finalizers, content it cannot delete).
 */
export async function teardownNamespace(ctx: Ctx, deps: LifecycleDeps, namespace: string): Promise<boolean> {
  deps.rollouts?.forget(namespace);
  deps.runtime.forget?.(namespace);
  const ref = { apiVersion: 'v1', kind: 'Namespace', name: namespace };
  const ns = await getObject<NamespaceObject>(deps.client, deps.mapper, ref);
  if (!ns) {
    condition(ctx, CONDITION.namespaceDeleted, 'True', 'Deleted', `Namespace ${namespace} is gone.`);
    return true;
  }
  if (ns.metadata.labels?.[LABEL_MANAGED_BY] !== MANAGED_BY) {
    condition(
      ctx,
      CONDITION.namespaceDeleted,
      'True',
      'NotOurs',
      `Namespace ${namespace} was not created by this operator, so it was left alone.`,
    );
    return true;
  }
  if (!ns.metadata.deletionTimestamp) {
    await deleteObject(deps.client, deps.mapper, ref);
    condition(ctx, CONDITION.namespaceDeleted, 'False', 'Deleting', `Deleting namespace ${namespace}.`);
    await ctx.event('Normal', 'DeletingNamespace', `Deleting namespace ${namespace}.`);
    return false;
  }
  const terminatingMs = deps.now() - Date.parse(ns.metadata.deletionTimestamp);
  if (terminatingMs < deps.settings.namespaceStuckAfterMs) return false;
  const blockers = (ns.status?.conditions ?? [])
    .filter((c) => c.status === 'True' && c.message)
    .map((c) => `${c.type}: ${c.message}`);
  const message =
    `Namespace ${namespace} has been Terminating for ${formatDuration(Math.round(terminatingMs / 1000) * 1000)}` +
    (blockers.length ? `; ${blockers.join('; ')}` : '; the namespace controller gives no reason') +
    '. Remove the finalizers or objects that hold it, or check that kube-controller-manager runs.';
  condition(ctx, CONDITION.namespaceDeleted, 'False', 'NamespaceStuck', message);
  await ctx.event('Warning', 'NamespaceStuck', message);
  return false;
}
