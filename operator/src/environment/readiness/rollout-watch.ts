/**
 * Wakes an environment whose rollout is in progress as soon as one of its workloads changes, so
 * Ready follows the workloads' own status updates instead of a timer. Watches every applied
 * workload kind the rollout judges (all carry the ApplySet part-of label), across namespaces,
 * and maps a change in an environment's namespace to that environment's work-queue key.
 */
import type { Logger } from 'pino';
import { Informer } from '../../reconciler/informer.js';
import type { KubeClient } from '../../reconciler/kube-client.js';
import type { ControllerMetrics } from '../../reconciler/metrics.js';
import type { KubeObject, Resource } from '../../reconciler/resource.js';
import { LABEL_APPLYSET_PART_OF } from '../../api/labels.js';
import type { TrackedKind } from './rollout-state.js';

/** What the lifecycle tells the watch: which environment waits on which namespace. */
export interface RolloutWaker {
  /** Reconcile `key` again whenever a workload in `namespace` changes. */
  follow(namespace: string, key: string): void;
  /** The rollout in `namespace` is settled (ready, failed or torn down): stop waking for it. */
  forget(namespace: string): void;
}

const WORKLOADS: Record<TrackedKind, Resource> = {
  Deployment: { group: 'apps', version: 'v1', plural: 'deployments', kind: 'Deployment', namespaced: true },
  StatefulSet: {
    group: 'apps',
    version: 'v1',
    plural: 'statefulsets',
    kind: 'StatefulSet',
    namespaced: true,
  },
  DaemonSet: { group: 'apps', version: 'v1', plural: 'daemonsets', kind: 'DaemonSet', namespaced: true },
  Job: { group: 'batch', version: 'v1', plural: 'jobs', kind: 'Job', namespaced: true },
  Pod: { group: '', version: 'v1', plural: 'pods', kind: 'Pod', namespaced: true },
};

export interface RolloutWatchOptions {
  client: KubeClient;
  logger: Logger;
  metrics?: Pick<ControllerMetrics, 'watchErrors' | 'watchEvents' | 'relists'>;
  /** Called with the key of an environment whose workloads changed. */
  wake: (key: string) => void;
}

export class RolloutWatch implements RolloutWaker {
  private readonly waiting = new Map<string, string>();
  private readonly informers: Informer<KubeObject>[];

  constructor(opts: RolloutWatchOptions) {
    this.informers = Object.values(WORKLOADS).map((resource) => {
      const informer = new Informer<KubeObject>({
        client: opts.client,
        resource,
        logger: opts.logger,
        ...(opts.metrics ? { metrics: opts.metrics } : {}),
        // Pods a controller creates do not carry the label; their controller's status changes with them.
        labelSelector: LABEL_APPLYSET_PART_OF,
        // Only that a workload changed and where matters: every change bumps its resourceVersion.
        metadataOnly: true,
        transform: ({ metadata: { name, namespace, resourceVersion } }) => ({
          metadata: { name, namespace, resourceVersion },
        }),
      });
      const changed = (obj: KubeObject) => {
        const key = obj.metadata.namespace ? this.waiting.get(obj.metadata.namespace) : undefined;
        if (key) opts.wake(key);
      };
      informer.addHandler({
        onAdd: (obj, initial) => initial || changed(obj),
        onUpdate: (_old, obj) => changed(obj),
        onDelete: changed,
      });
      return informer;
    });
  }

  follow(namespace: string, key: string): void {
    this.waiting.set(namespace, key);
  }

  forget(namespace: string): void {
    this.waiting.delete(namespace);
  }

  start(): void {
    for (const informer of this.informers) informer.start();
  }

  /** Resolves once every kind has been listed once. */
  get synced(): Promise<void> {
    return Promise.all(this.informers.map((i) => i.synced)).then(() => undefined);
  }

  async stop(): Promise<void> {
    await Promise.all(this.informers.map((i) => i.stop()));
  }
}
