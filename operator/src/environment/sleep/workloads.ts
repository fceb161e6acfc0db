import { ANNOTATION_SLEEP_REPLICAS } from '../../api/labels.js';
import { ApiError } from '../../reconciler/errors.js';
import { PATCH, type KubeClient } from '../../reconciler/kube-client.js';
import { applierUser } from '../cluster/index.js';
import type { Manifest } from '../objects.js';

/** The workloads sleep scales, by kind: those with a replica count. */
const SCALABLE: Record<string, string> = { Deployment: 'deployments', StatefulSet: 'statefulsets' };

interface Workload {
  metadata: { name: string; annotations?: Record<string, string> };
  spec?: { replicas?: number };
}

export interface ScaledWorkload {
  kind: string;
  name: string;
  replicas: number;
}

/** The Deployments and StatefulSets a plan applied: every workload sleep scales. */
export function scalableWorkloads(manifests: readonly Manifest[]): { kind: string; name: string }[] {
  return manifests
    .filter((m) => m.apiVersion === 'apps/v1' && SCALABLE[m.kind] !== undefined)
    .map((m) => ({ kind: m.kind, name: m.metadata.name }));
}

/**
 * Scales each workload to zero, remembering its replicas in an annotation on it first (the same
 * patch), so waking restores exactly what ran, also when someone scaled it by hand. Idempotent: a
 * workload already asleep keeps the replicas it remembers. Writes as the environment's applier
 * (ADR 0070), the one identity that may change its objects. Volumes and their claims stay.
 */
export async function scaleToZero(
  client: KubeClient,
  namespace: string,
  workloads: readonly { kind: string; name: string }[],
  signal?: AbortSignal,
): Promise<ScaledWorkload[]> {
  const scaled: ScaledWorkload[] = [];
  for (const ref of workloads) {
    const current = await read(client, namespace, ref, signal);
    if (!current) continue;
    const remembered = current.metadata.annotations?.[ANNOTATION_SLEEP_REPLICAS];
    const replicas = remembered !== undefined ? Number(remembered) : (current.spec?.replicas ?? 1);
    scaled.push({ ...ref, replicas });
    if (remembered !== undefined && current.spec?.replicas === 0) continue;
    await patch(
      client,
      namespace,
      ref,
      {
        metadata: { annotations: { [ANNOTATION_SLEEP_REPLICAS]: String(replicas) } },
        spec: { replicas: 0 },
      },
      signal,
    );
  }
  return scaled;
}

/** Gives every workload that sleep scaled to zero the replicas it remembered, and forgets them. */
export async function restoreReplicas(
  client: KubeClient,
  namespace: string,
  workloads: readonly { kind: string; name: string }[],
  signal?: AbortSignal,
): Promise<ScaledWorkload[]> {
  const restored: ScaledWorkload[] = [];
  for (const ref of workloads) {
    const current = await read(client, namespace, ref, signal);
    const remembered = current?.metadata.annotations?.[ANNOTATION_SLEEP_REPLICAS];
    if (remembered === undefined) continue;
    const replicas = Number.isInteger(Number(remembered)) && Number(remembered) >= 0 ? Number(remembered) : 1;
    await patch(
      client,
      namespace,
      ref,
      {
        metadata: { annotations: { [ANNOTATION_SLEEP_REPLICAS]: null } },
        spec: { replicas },
      },
      signal,
    );
    restored.push({ ...ref, replicas });
  }
  return restored;
}

function path(namespace: string, ref: { kind: string; name: string }): string {
  return `/apis/apps/v1/namespaces/${namespace}/${SCALABLE[ref.kind]}/${encodeURIComponent(ref.name)}`;
}

async function read(
  client: KubeClient,
  namespace: string,
  ref: { kind: string; name: string },
  signal?: AbortSignal,
): Promise<Workload | undefined> {
  try {
    return await client.request<Workload>({ method: 'GET', path: path(namespace, ref), signal });
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) return undefined;
    throw err;
  }
}

async function patch(
  client: KubeClient,
  namespace: string,
  ref: { kind: string; name: string },
  body: unknown,
  signal?: AbortSignal,
): Promise<void> {
  await client.request({
    method: 'PATCH',
    path: path(namespace, ref),
    body,
    contentType: PATCH.merge,
    impersonate: applierUser(namespace),
    signal,
  });
}
