/**
 * A preview host answers for one environment only. Hosts come from a template or from
 * spec.preview.host, so two environments can ask for the same one (by accident, or to read
 * another environment's traffic); the one created first keeps it and the other is refused before
 * anything is planned. The preview router refuses to merge a host across namespaces as well
 * (preview-router/routes.ts), for routes written by anyone else.
 */
import { GROUP, VERSION } from '../../api/group.js';
import { PLURAL, type VibeEnvironment } from '../../api/vibe-environment.js';
import type { KubeClient } from '../../reconciler/kube-client.js';
import { previewHost, type PreviewSettings } from './exposure.js';

/** Every environment in the cluster as a cache holds it (the operator's informers), instead of a list request. */
export interface EnvironmentLister {
  list(): VibeEnvironment[];
}

/**
 * The environment that holds `env`'s preview host, when another one created earlier does. Reads
 * the cluster's environments from `source`: a cache of all of them, or the API server.
 */
export async function previewHostHolder(
  source: KubeClient | EnvironmentLister,
  env: VibeEnvironment,
  settings: PreviewSettings,
): Promise<VibeEnvironment | undefined> {
  if (!env.spec.preview.enabled) return undefined;
  const host = previewHost(env, settings).toLowerCase();
  const items =
    'request' in source
      ? (
          await source.request<{ items: VibeEnvironment[] }>({
            method: 'GET',
            path: `/apis/${GROUP}/${VERSION}/${PLURAL}`,
          })
        ).items
      : source.list();
  return items
    .filter(
      (other) =>
        other.metadata.uid !== env.metadata.uid &&
        !other.metadata.deletionTimestamp &&
        other.spec?.preview?.enabled === true &&
        previewHost(other, settings).toLowerCase() === host,
    )
    .find((other) => claimedFirst(other, env));
}

/** Older first; the same second falls back to namespace/name, so both sides agree on one holder. */
function claimedFirst(a: VibeEnvironment, b: VibeEnvironment): boolean {
  const at = a.metadata.creationTimestamp ?? '';
  const bt = b.metadata.creationTimestamp ?? '';
  if (at !== bt) return at < bt;
  return `${a.metadata.namespace}/${a.metadata.name}` < `${b.metadata.namespace}/${b.metadata.name}`;
}
