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

  /**
   * Discovers these group versions now, at once, so the first write of each does not wait for it;
   * one that fails is asked again on first use.
   */
  async warm(apiVersions: Iterable<string>): Promise<void> {
    await Promise.all(
      [...new Set(apiVersions)].map((apiVersion) => this.discover(apiVersion).catch(() => undefined)),
    );
  }

  async resourceFor(apiVersion: string, kind: string): Promise<Resource> {
    const [group, version] = splitApiVersion(apiVersion);
    const found = (await this.discover(apiVersion).catch(() => ({ resources: [] }))).resources.find(
      (r) => r.kind === kind && !r.name.includes('/'),
    );
    if (!found) throw new UnknownKindError(apiVersion, kind);
    return {
      group,
      version,
      plural: found.name,
      kind,
      namespaced: found.namespaced,
    };
  }

  private discover(apiVersion: string): Promise<ApiResourceList> {
    let list = this.cache.get(apiVersion);
    if (!list) {
      const [group, version] = splitApiVersion(apiVersion);
      list = this.client.request<ApiResourceList>({
        method: 'GET',
        path: group ? `/apis/${group}/${version}` : `/api/${version}`,
      });
      this.cache.set(apiVersion, list);
      list.catch(() => this.cache.delete(apiVersion));
    }
    return list;
  }
}

function splitApiVersion(apiVersion: string): [string, string] {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/', 2) : ['', apiVersion];
  return [group ?? '', version ?? ''];
}
