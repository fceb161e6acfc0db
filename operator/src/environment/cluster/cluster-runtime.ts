import type { VibeEnvironment } from '../../api/vibe-environment.js';
import { applyObject } from '../../reconciler/apply.js';
import type { KubeClient } from '../../reconciler/kube-client.js';
import type { RestMapper } from '../../reconciler/rest-mapper.js';
import { applyPlan, awaitIdentityBound } from './applier.js';
import { applySetIdFor } from './applyset.js';
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
 */
export function clusterRuntime(o: ClusterRuntimeOptions): EnvironmentRuntime {
  const { client, mapper, fieldManager } = o;
  const objectsOf = (env: VibeEnvironment, namespace: string, kinds: (kind: string) => boolean) => {
    const host = o.preview && env.spec.preview.enabled ? previewHost(env, o.preview) : undefined;
    return isolationObjects(env, namespace, o.isolation, host).filter((object) => kinds(object.kind));
  };
  const applyIsolation = (object: Manifest) => applyObject(client, mapper, object, fieldManager);
  return {
    async createNamespace(env: VibeEnvironment, namespace: string) {
      await Promise.all(objectsOf(env, namespace, (kind) => kind === 'Namespace').map(applyIsolation));
    },
    async isolate(env: VibeEnvironment, namespace: string, signal: AbortSignal) {
      // Everything at once, except that the RoleBinding follows the Role it binds; then the wait
      // until RBAC's cache lets the applier write. One round trip after another was most of
      // planning's own time.
      await Promise.all(
        objectsOf(env, namespace, (kind) => kind !== 'Namespace' && kind !== 'RoleBinding').map(
          applyIsolation,
        ),
      );
      await Promise.all(objectsOf(env, namespace, (kind) => kind === 'RoleBinding').map(applyIsolation));
      await awaitIdentityBound(client, namespace, applierUser(namespace), signal);
    },
    apply(namespace: string, manifests: Manifest[], options) {
      return applyPlan({
        client,
        mapper,
        fieldManager,
        namespace,
        applySetId: applySetIdFor(namespace),
        manifests,
        impersonate: applierUser(namespace),
        ...(options.dryRun ? { dryRun: true } : {}),
        ...(options.identityBound ? { identityBound: true } : {}),
        signal: options.signal,
      });
    },
    rollout(namespace, applied) {
      return checkRollout({ client, namespace, applied });
    },
  };
}
