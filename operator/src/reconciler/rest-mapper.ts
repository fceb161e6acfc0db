import type { KubeClient } from './kube-client.js';
import type { Resource } from './resource.js';

interface ApiResourceList {
  resources: Array<{ name: string; kind: string; namespaced: boolean }>;
}

export class UnknownKindError extends Error {
  readonly code = 'VIBE_KUBE_UNKNOWN_KIND';
  constructor(apiVersion: string, kind: string) {
    super(`the API server does not serve kind ${kind} in ${apiVersion}; is its CRD installed?`);
    this.name = 'UnknownKindError';
  }
}

/** Finds the resource (plural, scope) for an apiVersion and kind through discovery, cached per group version. */
export class RestMapper {
  private readonly cache = new Map<string, Promise<ApiResourceList>>();

  constructor(private readonly client: KubeClient) {}

  async resourceFor(apiVersion: string, kind: string): Promise<Resource> {
    const [group, version] = apiVersion.includes('/') ? apiVersion.split('/', 2) : ['', apiVersion];
    let list = this.cache.get(apiVersion);
    if (!list) {
      list = this.client.request<ApiResourceList>({
        method: 'GET',
        path: group ? `/apis/${group}/${version}` : `/api/${version}`,
      });
      this.cache.set(apiVersion, list);
      list.catch(() => this.cache.delete(apiVersion));
    }
    const found = (await list.catch(() => ({ resources: [] }))).resources.find(
      (r) => r.kind === kind && !r.name.includes('/'),
    );
    if (!found) throw new UnknownKindError(apiVersion, kind);
    return {
      group: group ?? '',
      version: version ?? '',
      plural: found.name,
      kind,
      namespaced: found.namespaced,
    };
  }
}
