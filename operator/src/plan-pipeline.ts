/**
 * The one place the checks a plan passes are built, for the operator (main.ts) and for
 * `vibe plan` and `vibe policy check`, so the CLI checks exactly what the operator checks: one
 * policy loader, the operator's rewrites before the gates, and the server-side dry-run as the
 * environment's applier identity.
 */
import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import type { PlanChecks } from './agent/checks.js';
import type { VibeEnvironment } from './api/vibe-environment.js';
import { applySetIdFor } from './environment/applyset.js';
import { dryRunGate } from './environment/dry-run.js';
import { RESERVED_OBJECTS } from './environment/isolation.js';
import { planRewrite } from './environment/plan-rewrite.js';
import type { Manifest } from './environment/planner.js';
import { previewHost } from './environment/preview.js';
import type { EnvironmentRuntime } from './environment/runtime.js';
import type { EnvironmentSettings } from './environment/settings.js';
import { DEFAULT_POLICY, PolicyDocument, type PolicyContext } from './policy/index.js';

export class PolicyFileError extends Error {
  constructor(
    readonly code: 'VIBE_POLICY_DOCUMENT_UNREADABLE' | 'VIBE_POLICY_DOCUMENT_INVALID',
    message: string,
  ) {
    super(message);
    this.name = 'PolicyFileError';
  }
}

/** The policy document in `path` (YAML or JSON), else the built-in one; frozen. */
export async function loadPolicyFile(path: string | undefined): Promise<PolicyDocument> {
  if (!path) return DEFAULT_POLICY;
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new PolicyFileError(
      'VIBE_POLICY_DOCUMENT_UNREADABLE',
      `cannot read the policy file ${path}: ${(err as Error).message}`,
    );
  }
  let data: unknown;
  try {
    data = parseYaml(text);
  } catch (err) {
    throw new PolicyFileError(
      'VIBE_POLICY_DOCUMENT_INVALID',
      `the policy file ${path} is not YAML: ${(err as Error).message}`,
    );
  }
  const parsed = PolicyDocument.safeParse(data);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .map((i) => `${i.path.join('.') || 'document'}: ${i.message}`)
      .join('; ');
    throw new PolicyFileError(
      'VIBE_POLICY_DOCUMENT_INVALID',
      `the policy file ${path} is not a valid policy document: ${problems}`,
    );
  }
  return Object.freeze(parsed.data);
}

export interface PipelineWiring {
  policy: PolicyDocument;
  settings: Pick<EnvironmentSettings, 'preview' | 'imageMirrors' | 'nodeImagePrefixes' | 'isolation'>;
  /** With a cluster: the dry-run applies as the environment's applier with dryRun=All. */
  runtime?: EnvironmentRuntime;
}

/** The checks for one environment's plan, in its namespace. */
export type ChecksFor = (env: VibeEnvironment, namespace: string, signal: AbortSignal) => PlanChecks;

export function planChecks(w: PipelineWiring): ChecksFor {
  const gateway = w.settings.preview.gateway;
  const dryRun = w.runtime ? dryRunGate(w.runtime) : undefined;
  return (env, namespace, signal) => ({
    policy: w.policy,
    namespace,
    ...(gateway
      ? {
          gateway: {
            namespace: gateway.namespace,
            name: gateway.name,
            ...(gateway.sectionName ? { sectionName: gateway.sectionName } : {}),
          },
        }
      : {}),
    rewrite: planRewrite(env, w.settings),
    context: (manifests) => gateContext(env, namespace, w.settings, manifests),
    ...(dryRun
      ? { dryRun: (m: Record<string, unknown>[]) => dryRun(namespace, m as Manifest[], signal) }
      : {}),
  });
}

/**
 * What the gate knows of the environment, as the operator will make it: the preview hosts the
 * rewrite gave its routes (the environment's host, and `<route>.<host>` for each further route),
 * the Ingress class, the quota the namespace gets, the applyset label and the reserved names.
 */
function gateContext(
  env: VibeEnvironment,
  namespace: string,
  settings: PipelineWiring['settings'],
  manifests: Record<string, unknown>[],
): PolicyContext {
  const host = previewHost(env, settings.preview);
  const routes = manifests
    .filter((m) => m.kind === 'Ingress' || m.kind === 'HTTPRoute')
    .map((m) => (m.metadata as { name?: unknown } | undefined)?.name)
    .filter((name): name is string => typeof name === 'string');
  const resources: Partial<VibeEnvironment['spec']['resources']> = env.spec.resources ?? {};
  const defaults = settings.isolation.defaults;
  return {
    preview: {
      hosts: env.spec.preview.enabled ? [host, ...routes.map((name) => `${name}.${host}`)] : [],
      ingressClassName: env.spec.preview.ingressClassName ?? settings.preview.ingressClassName,
    },
    quota: {
      cpu: resources.cpu ?? defaults.cpu,
      memory: resources.memory ?? defaults.memory,
      storage: resources.storage ?? defaults.storage,
      pods: resources.pods ?? defaults.pods,
    },
    applySetId: applySetIdFor(namespace),
    reservedObjects: RESERVED_OBJECTS,
  };
}
