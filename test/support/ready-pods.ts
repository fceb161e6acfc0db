/**
 * The control-plane tier has no kubelet: the pods a Deployment's ReplicaSet creates stay Pending.
 * This marks them Running and Ready through the status subresource, as a kubelet would, so the
 * Deployment controllers (real ones) report the workloads available and an environment gets Ready.
 */
import type { KubeClient } from '../../operator/src/reconciler/kube-client.js';
import { PATCH } from '../../operator/src/reconciler/kube-client.js';

interface PodList {
  items: { metadata: { name: string; deletionTimestamp?: string }; status?: { phase?: string } }[];
}

export class PodReadiness {
  private timer: NodeJS.Timeout | undefined;
  /** How many pods it marked Ready so far. */
  marked = 0;

  constructor(
    private readonly client: KubeClient,
    private readonly namespace: string,
  ) {}

  start(intervalMs = 300): void {
    const tick = async () => {
      await this.markAll().catch(() => undefined);
      if (this.timer) this.timer = setTimeout(() => void tick(), intervalMs);
    };
    this.timer = setTimeout(() => void tick(), 0);
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** The pods of the namespace that exist and are not being deleted. */
  async pods(): Promise<string[]> {
    const list = await this.client.request<PodList>({
      method: 'GET',
      path: `/api/v1/namespaces/${this.namespace}/pods`,
    });
    return list.items.filter((p) => !p.metadata.deletionTimestamp).map((p) => p.metadata.name);
  }

  private async markAll(): Promise<void> {
    const list = await this.client.request<PodList>({
      method: 'GET',
      path: `/api/v1/namespaces/${this.namespace}/pods`,
    });
    for (const pod of list.items) {
      if (pod.status?.phase === 'Running' || pod.metadata.deletionTimestamp) continue;
      const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
      await this.client.request({
        method: 'PATCH',
        path: `/api/v1/namespaces/${this.namespace}/pods/${pod.metadata.name}/status`,
        contentType: PATCH.merge,
        body: {
          status: {
            phase: 'Running',
            conditions: [
              { type: 'Ready', status: 'True', lastTransitionTime: now },
              { type: 'ContainersReady', status: 'True', lastTransitionTime: now },
            ],
          },
        },
      });
      this.marked++;
    }
  }
}
