import { isApiError } from './errors.js';
import { PATCH, type KubeClient } from './kube-client.js';
import type { RestMapper } from './rest-mapper.js';
import { objectPath, type KubeObject } from './resource.js';

/** Server-side applies one object as fieldManager, taking over conflicting fields. */
export async function applyObject<T extends KubeObject>(
  client: KubeClient,
  mapper: RestMapper,
  obj: T & { apiVersion: string; kind: string },
  fieldManager: string,
): Promise<T> {
  return (await applyObjectReportingCreation(client, mapper, obj, fieldManager)).object;
}

/** Like applyObject, and says whether the apply created the object (the API server answered 201). */
export async function applyObjectReportingCreation<T extends KubeObject>(
  client: KubeClient,
  mapper: RestMapper,
  obj: T & { apiVersion: string; kind: string },
  fieldManager: string,
): Promise<{ created: boolean; object: T }> {
  const resource = await mapper.resourceFor(obj.apiVersion, obj.kind);
  const { status, body } = await client.requestWithStatus<T>({
    method: 'PATCH',
    path: objectPath(resource, resource.namespaced ? obj.metadata.namespace : undefined, obj.metadata.name),
    contentType: PATCH.apply,
    body: obj,
    query: { fieldManager, force: true },
  });
  return { created: status === 201, object: body };
}

/** Deletes an object; true when it is gone or going, false when it never existed. */
export async function deleteObject(
  client: KubeClient,
  mapper: RestMapper,
  ref: { apiVersion: string; kind: string; name: string; namespace?: string },
): Promise<boolean> {
  const resource = await mapper.resourceFor(ref.apiVersion, ref.kind);
  try {
    await client.request({
      method: 'DELETE',
      path: objectPath(resource, resource.namespaced ? ref.namespace : undefined, ref.name),
      body: { apiVersion: 'v1', kind: 'DeleteOptions', propagationPolicy: 'Background' },
    });
    return true;
  } catch (err) {
    if (isApiError(err, 404)) return false;
    throw err;
  }
}

/** Reads an object, or undefined when it does not exist. */
export async function getObject<T extends KubeObject>(
  client: KubeClient,
  mapper: RestMapper,
  ref: { apiVersion: string; kind: string; name: string; namespace?: string },
): Promise<T | undefined> {
  const resource = await mapper.resourceFor(ref.apiVersion, ref.kind);
  try {
    return await client.request<T>({
      method: 'GET',
      path: objectPath(resource, resource.namespaced ? ref.namespace : undefined, ref.name),
    });
  } catch (err) {
    if (isApiError(err, 404)) return undefined;
    throw err;
  }
}
