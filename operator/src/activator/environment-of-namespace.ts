import { LABEL_ENVIRONMENT, LABEL_ENVIRONMENT_NAMESPACE } from '../api/labels.js';
import type { KubeClient } from '../reconciler/kube-client.js';

export interface EnvironmentRef {
  namespace: string;
  name: string;
}

/**
 * Which VibeEnvironment an environment namespace belongs to, from the labels the operator puts on
 * the namespaces it creates. Cached for good: a namespace never changes owner while it exists. A
 * namespace without both labels belongs to no environment (undefined, also cached).
 */
export class EnvironmentOfNamespace {
  private readonly known = new Map<string, EnvironmentRef | undefined>();

  constructor(private readonly client: KubeClient) {}

  async lookup(namespace: string): Promise<EnvironmentRef | undefined> {
    if (this.known.has(namespace)) return this.known.get(namespace);
    const ns = await this.client
      .request<{ metadata: { labels?: Record<string, string> } }>({
        method: 'GET',
        path: `/api/v1/namespaces/${encodeURIComponent(namespace)}`,
      })
      .catch(() => undefined);
    const labels = ns?.metadata.labels ?? {};
    const name = labels[LABEL_ENVIRONMENT];
    const home = labels[LABEL_ENVIRONMENT_NAMESPACE];
    const ref = name && home ? { namespace: home, name } : undefined;
    if (ns) this.known.set(namespace, ref);
    return ref;
  }
}
