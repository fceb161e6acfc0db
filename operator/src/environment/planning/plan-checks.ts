/**
 * The one place the checks a plan passes are built, for the operator (main.ts) and for
 * `vibe plan` and `vibe policy check`, so the CLI checks exactly what the operator checks: one
 * policy document (policy/policy-file.ts loads it), the operator's rewrites before the gates, and the server-side dry-run as the
 * environment's applier identity.
 */
import type { PlanChecks } from '../../agent/checks.js';
import type { VibeEnvironment } from '../../api/vibe-environment.js';
import { applySetIdFor, dryRunGate, RESERVED_OBJECTS, type EnvironmentRuntime } from '../cluster/index.js';
import { planRewrite } from './plan-rewrite.js';
import type { Manifest } from '../objects.js';
import { previewHost } from '../preview/index.js';
import type { PlanSettings } from './plan-settings.js';
import { PolicyDocument, type PolicyContext } from '../../policy/index.js';

export interface PipelineWiring {
  policy: PolicyDocument;
  settings: PlanSettings;
  /** With a cluster: the dry-run applies as the environment's applier with dryRun=All. */
  runtime?: EnvironmentRuntime;
}

/**
 * The checks for one environment's plan, in its namespace. The dry-run waits for `isolated` (the
 * namespace's isolation, when it is still under way): nothing is sent into the namespace before.
 */
export type ChecksFor = (
  env: VibeEnvironment,
  namespace: string,
  signal: AbortSignal,
  isolated?: Promise<void>,
) => PlanChecks;

export function planChecks(w: PipelineWiring): ChecksFor {
  const gateway = w.settings.preview.gateway;
  const dryRun = w.runtime ? dryRunGate(w.runtime) : undefined;
  return (env, namespace, signal, isolated) => ({
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
      ? {
          dryRun: async (m: Record<string, unknown>[]) => {
            await isolated;
            return dryRun(namespace, m as Manifest[], signal);
          },
        }
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
