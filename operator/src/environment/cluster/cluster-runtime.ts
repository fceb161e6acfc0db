import type { VibeEnvironment } from '../../api/vibe-environment.js';
import { applyObject } from '../../reconciler/apply.js';
import type { KubeClient } from '../../reconciler/kube-client.js';
import type { RestMapper } from '../../reconciler/rest-mapper.js';
import { applyPlan } from './applier.js';
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
  return {
    async isolate(env: VibeEnvironment, namespace: string) {
      // The namespace first; then everything in it at once, except that the RoleBinding follows
      // the Role it binds. One round trip after another was most of planning's own time.
      const host = o.preview && env.spec.preview.enabled ? previewHost(env, o.preview) : undefined;
      const objects = isolationObjects(env, namespace, o.isolation, host);
      const step = (kinds: (kind: string) => boolean) =>
        Promise.all(
          objects
            .filter((object) => kinds(object.kind))
            .map((object) => applyObject(client, mapper, object, fieldManager)),
        );
      await step((kind) => kind === 'Namespace');
      await step((kind) => kind !== 'Namespace' && kind !== 'RoleBinding');
      await step((kind) => kind === 'RoleBinding');
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
        signal: options.signal,
      });
    },
    rollout(namespace, applied) {
      return checkRollout({ client, namespace, applied });
    },
  };
}
