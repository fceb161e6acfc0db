/** What a VibeEnvironment and its records look like to a user: the client's output shapes. */
import { formatDuration, parseDuration } from '../api/duration.js';
import { ANNOTATION_APPROVE, ANNOTATION_EXTEND } from '../api/labels.js';
import type { VibeEnvironment } from '../api/vibe-environment.js';
import type { Attempt, Environment } from './schemas.js';

export function environmentView(env: VibeEnvironment): Environment {
  const { metadata, spec, status } = env;
  const approvedHash = metadata.annotations?.[ANNOTATION_APPROVE];
  const plan = status?.plan;
  return {
    name: metadata.name,
    namespace: metadata.namespace ?? '',
    intent: spec.intent,
    phase: status?.phase ?? 'Pending',
    message: status?.message,
    approval: spec.approval ?? 'Auto',
    ttl: spec.ttl ?? '4h',
    extendedBy: metadata.annotations?.[ANNOTATION_EXTEND],
    createdAt: metadata.creationTimestamp,
    expiresAt: status?.expiresAt,
    previewUrl: status?.previewUrl,
    environmentNamespace: status?.namespace,
    attempts: status?.attempts,
    plan: plan && {
      hash: plan.hash,
      objects: plan.objects,
      kinds: plan.kinds,
      images: plan.images,
      approved: spec.approval !== 'Manual' || approvedHash === plan.hash,
    },
    usage: status?.usage && { tokens: status.usage.tokens ?? 0, cost: status.usage.cost ?? '0' },
    sleepingSince: status?.phase === 'Sleeping' ? status.sleep?.since : undefined,
    conditions: (status?.conditions ?? []).map((c) => ({
      type: c.type,
      status: c.status,
      reason: c.reason,
      message: c.message ?? '',
    })),
  };
}

/** The extend annotation after adding `by` to it: extending twice by 2h makes 4h. */
export function addedExtension(current: string | undefined, by: string): string {
  let already = 0;
  try {
    already = current ? parseDuration(current) : 0;
  } catch {
    already = 0;
  }
  return formatDuration(already + parseDuration(by));
}

/** When the environment ends by its spec and annotation, before the operator caps it at its maximum. */
export function expectedExpiry(env: VibeEnvironment): string | undefined {
  const created = env.metadata.creationTimestamp;
  if (!created) return undefined;
  const extend = env.metadata.annotations?.[ANNOTATION_EXTEND];
  const total = parseDuration(env.spec.ttl ?? '4h') + (extend ? parseDuration(extend) : 0);
  return new Date(Date.parse(created) + total).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** A stored attempt record (untrusted JSON from a ConfigMap) in the client's shape. */
export function attemptView(record: unknown, createdAt: string | undefined): Attempt | null {
  if (typeof record !== 'object' || record === null) return null;
  const r = record as Record<string, unknown>;
  const usage = r.usage as {
    inputTokens?: number;
    outputTokens?: number;
    costUsd?: number;
    roundTrips?: number;
  };
  const failure = r.authorFailure as { code?: string; message?: string } | undefined;
  const diagnostics = [
    ...((r.diagnostics as unknown[] | undefined) ?? []),
    ...((r.runtime as unknown[] | undefined) ?? []),
  ].map((d) => {
    const x = d as { gate?: string; code?: string; message?: string; object?: string; line?: number };
    const where = x.object ? ` (${x.object})` : x.line ? ` (line ${x.line})` : '';
    return { source: x.gate ?? 'rollout', code: x.code ?? '', message: `${x.message ?? ''}${where}` };
  });
  return {
    attempt: Number(r.attempt ?? 0),
    author: String(r.author ?? 'unknown'),
    model: typeof r.model === 'string' ? r.model : undefined,
    tokens: usage ? (usage.inputTokens ?? 0) + (usage.outputTokens ?? 0) : undefined,
    cost: usage?.costUsd === undefined ? undefined : usage.costUsd.toFixed(4),
    roundTrips: usage?.roundTrips,
    script: typeof r.script === 'string' ? r.script : undefined,
    failure: failure ? `${failure.code ?? ''}: ${failure.message ?? ''}` : undefined,
    diagnostics,
    gates: Array.isArray(r.gates)
      ? (r.gates as Array<{ gate?: string; ok?: boolean }>).map((g) => ({
          gate: String(g.gate),
          ok: Boolean(g.ok),
        }))
      : undefined,
    createdAt,
  };
}
