import { z } from 'zod';

type Json = Record<string, unknown>;

/** JavaScript's safe-integer bounds, which zod adds to every int and Kubernetes does not need. */
const SAFE_INT = Number.MAX_SAFE_INTEGER;

/**
 * Turns a zod schema into an OpenAPI v3 schema the API server accepts as
 * structural: every node typed, int-or-string marked with the Kubernetes
 * extension instead of anyOf, and zod-only noise (safe-integer bounds, the
 * date-time regex next to format: date-time) removed.
 */
export function toStructuralSchema(schema: z.ZodType): Json {
  const raw = z.toJSONSchema(schema, {
    io: 'input',
    target: 'openapi-3.0',
    unrepresentable: 'throw',
  }) as Json;
  delete raw.$schema;
  return clean(raw);
}

function clean(node: Json): Json {
  const out: Json = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'minimum' && value === -SAFE_INT) continue;
    if (key === 'maximum' && value === SAFE_INT) continue;
    if (key === 'pattern' && node.format === 'date-time') continue;
    if (key === 'additionalProperties' && value === false) continue;
    if (key === 'anyOf' && node['x-kubernetes-int-or-string'] === true) continue;
    if (key === 'id') continue;
    out[key] = transform(key, value);
  }
  if (out.type === 'integer' && out.format === undefined) out.format = 'int64';
  return out;
}

function transform(key: string, value: unknown): unknown {
  if (key === 'properties' && isObject(value)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, clean(v as Json)]));
  }
  if ((key === 'items' || key === 'additionalProperties') && isObject(value)) return clean(value);
  if (key === 'anyOf' && Array.isArray(value)) return value.map((v) => clean(v as Json));
  return value;
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
