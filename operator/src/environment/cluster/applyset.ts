/**
 * ApplySet bookkeeping (the format kubectl's `--applyset` uses): every applied object carries the
 * part-of label, and a parent ConfigMap records which group-kinds and names the set holds, so a
 * later apply can prune what a new plan dropped without touching anything else in the namespace.
 */
import { createHash } from 'node:crypto';

export const APPLYSET_PARENT_NAME = 'vibe-applyset';
export const LABEL_APPLYSET_ID = 'applyset.kubernetes.io/id';
export const ANNOTATION_APPLYSET_TOOLING = 'applyset.kubernetes.io/tooling';
export const ANNOTATION_APPLYSET_GROUP_KINDS = 'applyset.kubernetes.io/contains-group-kinds';
/** Our own addition: kubectl lists group-kinds only; we also keep versions and names for a cheap, exact prune. */
export const ANNOTATION_APPLYSET_OBJECTS = 'vibe.dev/applyset-objects';
export const APPLYSET_TOOLING = 'vibe-operator/v1';

export interface InventoryEntry {
  apiVersion: string;
  kind: string;
  name: string;
}

/** The id kubectl would give a ConfigMap parent: applyset-<base64url(sha256(name.namespace.Kind.group))>-v1. */
export function applySetIdFor(namespace: string): string {
  const digest = createHash('sha256').update(`${APPLYSET_PARENT_NAME}.${namespace}.ConfigMap.`).digest();
  return `applyset-${digest.toString('base64url')}-v1`;
}

export function groupOf(apiVersion: string): string {
  return apiVersion.includes('/') ? (apiVersion.split('/')[0] ?? '') : '';
}

/** `Deployment.apps`, or `ConfigMap` for the core group, as kubectl writes group-kinds. */
export function groupKind(entry: Pick<InventoryEntry, 'apiVersion' | 'kind'>): string {
  const group = groupOf(entry.apiVersion);
  return group ? `${entry.kind}.${group}` : entry.kind;
}

/** Identity across versions: a plan that moves an object to another version of its group keeps it. */
export function memberKey(entry: InventoryEntry): string {
  return `${groupKind(entry)}/${entry.name}`;
}

export function encodeInventory(entries: readonly InventoryEntry[]): Record<string, string> {
  const unique = new Map(entries.map((e) => [memberKey(e), e]));
  const sorted = [...unique.values()].sort((a, b) => memberKey(a).localeCompare(memberKey(b)));
  return {
    [ANNOTATION_APPLYSET_GROUP_KINDS]: [...new Set(sorted.map(groupKind))].sort().join(','),
    [ANNOTATION_APPLYSET_OBJECTS]: JSON.stringify(
      sorted.map((e) => ({ apiVersion: e.apiVersion, kind: e.kind, name: e.name })),
    ),
  };
}

/** Reads a parent's annotations back; an absent or unreadable record is an empty set. */
export function decodeInventory(annotations: Record<string, string> | undefined): InventoryEntry[] {
  const raw = annotations?.[ANNOTATION_APPLYSET_OBJECTS];
  if (!raw) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return [];
  }
  if (!Array.isArray(parsed)) return [];
  return parsed.filter(
    (e): e is InventoryEntry =>
      typeof e === 'object' &&
      e !== null &&
      typeof e.apiVersion === 'string' &&
      typeof e.kind === 'string' &&
      typeof e.name === 'string',
  );
}
