/**
 * What an API request does, in the API server's own words (verb and resource, with the
 * subresource after a slash), so the requests an environment costs can be counted by kind:
 * a Pod's status apply and its Event are different costs, and one label per path would not say so.
 */
export interface RequestResource {
  verb: 'get' | 'list' | 'watch' | 'create' | 'update' | 'patch' | 'delete' | 'deletecollection' | 'other';
  resource: string;
}

const METHOD_VERBS = { POST: 'create', PUT: 'update', PATCH: 'patch' } as const;

export function requestResource(
  method: string,
  path: string,
  query: Record<string, unknown> = {},
): RequestResource {
  const parts = path.split('?')[0]!.split('/').filter(Boolean);
  // /api/v1/... or /apis/<group>/<version>/...; anything else (/version, /openapi) is not a resource.
  const rest = parts[0] === 'api' ? parts.slice(2) : parts[0] === 'apis' ? parts.slice(3) : undefined;
  if (!rest || rest.length === 0) return { verb: 'other', resource: parts.slice(0, 3).join('/') || '/' };
  // namespaces/<ns>/<resource>/... is namespaced unless it stops at the namespace itself.
  const scoped = rest[0] === 'namespaces' && rest.length >= 3 ? rest.slice(2) : rest;
  const [resource, name, subresource] = scoped;
  const named = name !== undefined;
  const full = subresource ? `${resource}/${subresource}` : resource!;
  if (method === 'GET') return { verb: query.watch ? 'watch' : named ? 'get' : 'list', resource: full };
  if (method === 'DELETE') return { verb: named ? 'delete' : 'deletecollection', resource: full };
  const verb = METHOD_VERBS[method as keyof typeof METHOD_VERBS];
  return { verb: verb ?? 'other', resource: full };
}
