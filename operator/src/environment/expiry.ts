import { formatDuration, parseDuration } from '../api/duration.js';
import { ANNOTATION_EXTEND } from '../api/labels.js';
import type { VibeEnvironment } from '../api/vibe-environment.js';

export type Expiry =
  { ok: true; expiresAt: number; message?: string } | { ok: false; reason: string; message: string };

/**
 * When an environment ends: its creation time plus spec.ttl plus the extend
 * annotation. Recomputed on every reconcile, so editing ttl or the annotation
 * moves expiresAt without any other bookkeeping.
 */
export function computeExpiry(env: VibeEnvironment, maxTtlMs: number, now: number): Expiry {
  const ttlMs = parseDuration(env.spec.ttl);
  if (ttlMs > maxTtlMs) {
    return {
      ok: false,
      reason: 'TtlAboveMaximum',
      message: `ttl ${env.spec.ttl} is above this operator's maximum of ${formatDuration(maxTtlMs)}; lower spec.ttl.`,
    };
  }
  const created = Date.parse(env.metadata.creationTimestamp ?? new Date(now).toISOString());
  const extend = env.metadata.annotations?.[ANNOTATION_EXTEND];
  if (!extend) return { ok: true, expiresAt: created + ttlMs };
  let extendMs: number;
  try {
    extendMs = parseDuration(extend);
  } catch {
    return {
      ok: true,
      expiresAt: created + ttlMs,
      message: `the annotation ${ANNOTATION_EXTEND}: "${extend}" is not a duration such as 2h, so it was ignored.`,
    };
  }
  if (ttlMs + extendMs <= maxTtlMs) return { ok: true, expiresAt: created + ttlMs + extendMs };
  return {
    ok: true,
    expiresAt: created + maxTtlMs,
    message: `ttl plus ${ANNOTATION_EXTEND} exceeds this operator's maximum lifetime of ${formatDuration(maxTtlMs)}; the environment ends at that maximum.`,
  };
}
