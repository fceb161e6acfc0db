import { createHash } from 'node:crypto';

/** One changed leaf between two versions of an object. */
export interface DiffEntry {
  op: 'add' | 'change' | 'remove';
  /** Dotted path from the object root, e.g. "spec.ttl". */
  path: string;
  old?: unknown;
  new?: unknown;
}

/**
 * The changes from a to b, descending into plain objects; arrays and scalars
 * are compared whole. Paths are sorted so the result is stable.
 */
export function diff(a: unknown, b: unknown, prefix = ''): DiffEntry[] {
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    return keys.flatMap((k) => diff(a[k], b[k], prefix ? `${prefix}.${k}` : k));
  }
  if (a === undefined && b === undefined) return [];
  if (a === undefined) return [{ op: 'add', path: prefix, new: b }];
  if (b === undefined) return [{ op: 'remove', path: prefix, old: a }];
  return deepEqual(a, b) ? [] : [{ op: 'change', path: prefix, old: a, new: b }];
}

/**
 * A short digest of a JSON value that ignores key order, as deepEqual does: two equal values have
 * the same fingerprint. For remembering what was written without keeping a copy of it.
 */
export function fingerprint(value: unknown): string {
  const sorted = (v: unknown): unknown =>
    isPlainObject(v)
      ? Object.fromEntries(
          Object.keys(v)
            .sort()
            .filter((k) => v[k] !== undefined)
            .map((k) => [k, sorted(v[k])]),
        )
      : Array.isArray(v)
        ? v.map(sorted)
        : v;
  return createHash('sha256')
    .update(JSON.stringify(sorted(value) ?? null))
    .digest('base64');
}

/** True when the diff touches the field at path or anything under or above it. */
export function touches(entries: readonly DiffEntry[], path: string): boolean {
  return entries.some(
    (e) => e.path === path || e.path.startsWith(`${path}.`) || path.startsWith(`${e.path}.`),
  );
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((v, i) => deepEqual(v, b[i]));
  if (isPlainObject(a) && isPlainObject(b)) {
    const ka = Object.keys(a).filter((k) => a[k] !== undefined);
    const kb = Object.keys(b).filter((k) => b[k] !== undefined);
    return ka.length === kb.length && ka.every((k) => deepEqual(a[k], b[k]));
  }
  return false;
}

export function getPath(obj: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((node, k) => (isPlainObject(node) ? node[k] : undefined), obj);
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
