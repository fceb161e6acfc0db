import { LABEL_ACTIVATOR_ROUTE } from '../../api/labels.js';
import { ApiError } from '../../reconciler/errors.js';
import { PATCH, type KubeClient } from '../../reconciler/kube-client.js';
import type { Manifest } from '../objects.js';
import { ACTIVATOR_SERVICE } from './activator-routes.js';

const COLLECTION: Record<string, string> = {
  Service: '/api/v1/namespaces/{ns}/services',
  EndpointSlice: '/apis/discovery.k8s.io/v1/namespaces/{ns}/endpointslices',
  Ingress: '/apis/networking.k8s.io/v1/namespaces/{ns}/ingresses',
};

function collection(kind: string, namespace: string): string {
  return COLLECTION[kind]!.replace('{ns}', namespace);
}

/**
 * Writes the activator routes (activatorRoutes) into a sleeping environment's namespace, as the
 * operator itself: the environment's admission refuses controller annotations and EndpointSlices
 * from the plans' applier, which is what keeps a plan from pointing a route anywhere but its pods.
 */
export async function putActivatorRoutes(
  client: KubeClient,
  namespace: string,
  routes: readonly Manifest[],
  fieldManager: string,
  signal?: AbortSignal,
): Promise<void> {
  for (const object of routes) {
    await client.request({
      method: 'PATCH',
      path: `${collection(object.kind, namespace)}/${encodeURIComponent(object.metadata.name)}`,
      query: { fieldManager, force: true },
      contentType: PATCH.apply,
      body: { ...object, metadata: { ...object.metadata, namespace } },
      signal,
    });
  }
}

/**
 * Removes the activator routes once the environment is Ready again; returns how many objects were
 * there. Idempotent: a restart that repeats it finds nothing and removes nothing.
 */
export async function removeActivatorRoutes(
  client: KubeClient,
  namespace: string,
  signal?: AbortSignal,
): Promise<number> {
  const copies = await client.request<{ items: { metadata: { name: string } }[] }>({
    method: 'GET',
    path: collection('Ingress', namespace),
    query: { labelSelector: `${LABEL_ACTIVATOR_ROUTE}=true` },
    signal,
  });
  const targets = [
    ...copies.items.map((i) => `${collection('Ingress', namespace)}/${encodeURIComponent(i.metadata.name)}`),
    `${collection('EndpointSlice', namespace)}/${ACTIVATOR_SERVICE}`,
    `${collection('Service', namespace)}/${ACTIVATOR_SERVICE}`,
  ];
  let removed = 0;
  for (const path of targets) {
    try {
      await client.request({ method: 'DELETE', path, signal });
      removed++;
    } catch (err) {
      if (!(err instanceof ApiError && err.status === 404)) throw err;
    }
  }
  return removed;
}
