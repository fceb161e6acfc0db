import { createHash } from 'node:crypto';

/**
 * The namespace an environment is applied into: prefix + namespace + name,
 * cut to the 63 characters a namespace name allows with a hash suffix when too
 * long, so two environments never share one.
 */
export function environmentNamespace(prefix: string, namespace: string, name: string): string {
  const full = `${prefix}${namespace}-${name}`;
  if (full.length <= 63) return full;
  const hash = createHash('sha256').update(full).digest('hex').slice(0, 8);
  return `${full.slice(0, 54).replace(/-+$/, '')}-${hash}`;
}

/** A hash of everything a plan depends on; a stored plan with this hash is reused instead of replanning. */
export function planHash(input: { intent: string; plannerId: string; model?: unknown }): string {
  return createHash('sha256')
    .update(JSON.stringify([input.intent, input.plannerId, input.model ?? null]))
    .digest('hex')
    .slice(0, 16);
}
