import { isApiError } from './errors.js';
import { PATCH, type KubeClient } from './kube-client.js';
import { apiVersionOf, objectPath, type KubeObject, type Resource } from './resource.js';

/**
 * The writes the framework makes to the objects it manages: finalizers by
 * merge patch guarded by resourceVersion (a conflict retries through the
 * queue), status by server-side apply on the status subresource.
 */
export class ObjectWriter<T extends KubeObject> {
  constructor(
    private readonly client: KubeClient,
    private readonly resource: Resource,
    private readonly fieldManager: string,
  ) {}

  async setFinalizers(obj: T, finalizers: string[]): Promise<T | undefined> {
    try {
      return await this.client.request<T>({
        method: 'PATCH',
        path: objectPath(this.resource, obj.metadata.namespace, obj.metadata.name),
        contentType: PATCH.merge,
        body: { metadata: { finalizers, resourceVersion: obj.metadata.resourceVersion } },
        query: { fieldManager: this.fieldManager },
      });
    } catch (err) {
      if (isApiError(err, 404)) return undefined;
      throw err;
    }
  }

  async applyStatus(obj: T, status: object): Promise<T | undefined> {
    try {
      return await this.client.request<T>({
        method: 'PATCH',
        path: objectPath(this.resource, obj.metadata.namespace, obj.metadata.name, 'status'),
        contentType: PATCH.apply,
        body: {
          apiVersion: apiVersionOf(this.resource),
          kind: this.resource.kind,
          metadata: { name: obj.metadata.name, namespace: obj.metadata.namespace },
          status,
        },
        query: { fieldManager: this.fieldManager, force: true },
      });
    } catch (err) {
      if (isApiError(err, 404)) return undefined;
      throw err;
    }
  }
}
