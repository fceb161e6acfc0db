/**
 * The rules of the per-environment applier Role, derived from the policy's allow-list so the
 * identity that applies a plan can write exactly the kinds the policy gate lets through.
 */
import { APPLYSET_PARENT_NAME } from './applyset.js';

export interface PolicyRule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
  resourceNames?: string[];
}

/** Everything server-side apply and prune need: create or patch, read back, list by label, delete. */
export const APPLIER_VERBS = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'] as const;

/**
 * The plural resource name of a kind, as the API server names it for the kinds a policy can allow.
 * Discovery is not needed: Roles name resources, and these kinds follow the English rules below.
 */
export function resourceOf(kind: string): string {
  const lower = kind.toLowerCase();
  if (/(s|x|z|ch|sh)$/.test(lower)) return `${lower}es`;
  if (/[^aeiou]y$/.test(lower)) return `${lower.slice(0, -1)}ies`;
  return `${lower}s`;
}

/** Splits a policy entry like `apps/v1/Deployment` or `v1/ConfigMap` into its group and kind. */
export function parseAllowedKind(entry: string): { group: string; kind: string } {
  const parts = entry.split('/');
  const kind = parts[parts.length - 1] ?? '';
  return { group: parts.length === 3 ? (parts[0] ?? '') : '', kind };
}

export function applierRules(allowedKinds: readonly string[]): PolicyRule[] {
  const byGroup = new Map<string, Set<string>>();
  for (const entry of allowedKinds) {
    const { group, kind } = parseAllowedKind(entry);
    const resources = byGroup.get(group) ?? new Set<string>();
    resources.add(resourceOf(kind));
    byGroup.set(group, resources);
  }
  const rules: PolicyRule[] = [...byGroup.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([group, resources]) => ({
      apiGroups: [group],
      resources: [...resources].sort(),
      verbs: [...APPLIER_VERBS],
    }));
  // The inventory is written by the same identity, whether or not plans may hold ConfigMaps.
  rules.push({
    apiGroups: [''],
    resources: ['configmaps'],
    resourceNames: [APPLYSET_PARENT_NAME],
    verbs: ['get', 'create', 'update', 'patch'],
  });
  return rules;
}
