import { createHash } from 'node:crypto';
import type { VibeEnvironment } from '../../api/vibe-environment.js';
import { applyObject, applyObjectReportingCreation } from '../../reconciler/apply.js';
import type { KubeClient } from '../../reconciler/kube-client.js';
import type { RestMapper } from '../../reconciler/rest-mapper.js';
import { applyPlan } from './applier.js';
import { applySetIdFor, type InventoryEntry } from './applyset.js';
import { applierUser, isolationObjects, type IsolationSettings } from './isolation.js';
import type { Manifest } from '../objects.js';
import { previewHost, type PreviewSettings } from '../preview/index.js';
import { checkRollout } from '../readiness/index.js';
import type { EnvironmentRuntime } from './runtime.js';

export interface ClusterRuntimeOptions {
  client: KubeClient;
  mapper: RestMapper;
  fieldManager: string;
  isolation: IsolationSettings;
  /** Where preview hosts come from: the namespace names its environment's host for admission. */
  preview?: PreviewSettings;
}

/**
 * The lifecycle's cluster side: isolation objects applied as the operator;
 * plans applied (and dry-run) as the environment's own namespaced identity,
 * so a plan that slipped past the policy gate still cannot write outside its
 * namespace; rollout read from the workloads it applied.
 *
 * It remembers what it did per namespace, so one pass of the lifecycle costs each request once:
 * the isolation objects are applied once per generation of the environment (a pass that plans and
 * a later one that applies after an approval or a restart both ask for them), and the applyset inventory it wrote, or that a namespace it
 * just created holds (none), is not read back. Any failed apply and any teardown forget both.
 */
export function clusterRuntime(o: ClusterRuntimeOptions): EnvironmentRuntime {
  const { client, mapper, fieldManager } = o;
  /** Namespace -> digest of the environment generation and isolation objects last applied. */
  const isolated = new Map<string, string>();
  /** Namespace -> the inventory its parent holds, and whether the applier identity may write there. */
  const inventories = new Map<string, { entries: InventoryEntry[]; identityBound: boolean }>();
  const forget = (namespace: string) => {
    isolated.delete(namespace);
    inventories.delete(namespace);
  };
  const isolationOf = (env: VibeEnvironment, namespace: string) => {
    const host = o.preview && env.spec.preview.enabled ? previewHost(env, o.preview) : undefined;
    const objects = isolationObjects(env, namespace, o.isolation, host);
    const digest = createHash('sha256')
      .update(`${env.metadata.uid}/${env.metadata.generation ?? 0}`)
      .update(JSON.stringify(objects))
      .digest('hex');
    return { objects, digest, done: isolated.get(namespace) === digest };
  };
  const applyIsolation = (object: Manifest) => applyObject(client, mapper, object, fieldManager);
  return {
    async createNamespace(env: VibeEnvironment, namespace: string) {
      const { objects, done } = isolationOf(env, namespace);
      if (done) return;
      const namespaceObject = objects.find((object) => object.kind === 'Namespace');
      if (!namespaceObject) return;
      const { created } = await applyObjectReportingCreation(client, mapper, namespaceObject, fieldManager);
      // A namespace this apply created holds no inventory yet.
      if (created) inventories.set(namespace, { entries: [], identityBound: false });
    },
    async isolate(env: VibeEnvironment, namespace: string) {
      const { objects, digest, done } = isolationOf(env, namespace);
      if (done) return;
      // Everything in the namespace at once, the RoleBinding with the Role it binds: the operator
      // holds `bind` on that Role (ADR 0050), which RBAC checks without reading the Role, and the
      // binding grants nothing until the Role is there. One round trip after another was most of
      // planning's own time. RBAC's cache is awaited by the applier's first write (applyPlan),
      // which an empty plan never makes: it has had the planning time to catch up.
      await Promise.all(objects.filter((object) => object.kind !== 'Namespace').map(applyIsolation));
      isolated.set(namespace, digest);
    },
    async apply(namespace: string, manifests: Manifest[], options) {
      const known = inventories.get(namespace);
      const identityBound = known?.identityBound ?? false;
      try {
        const outcome = await applyPlan({
          client,
          mapper,
          fieldManager,
          namespace,
          applySetId: applySetIdFor(namespace),
          manifests,
          impersonate: applierUser(namespace),
          ...(options.dryRun ? { dryRun: true } : {}),
          ...(known ? { previous: known.entries } : {}),
          ...(identityBound ? { identityBound: true } : {}),
          signal: options.signal,
        });
        // A dry-run that wrote (the parent at least) proves RBAC lets the identity write, as an apply does.
        const wrote = outcome.applied.length > 0 || outcome.inventory.length > 0;
        if (!options.dryRun) {
          inventories.set(namespace, { entries: outcome.inventory, identityBound: wrote || identityBound });
        } else if (known && wrote) {
          inventories.set(namespace, { ...known, identityBound: true });
        }
        return outcome;
      } catch (err) {
        forget(namespace);
        throw err;
      }
    },
    forget,
    rollout(namespace, applied) {
      return checkRollout({ client, namespace, applied });
    },
  };
}
