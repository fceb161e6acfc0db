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

/**
 * Where the pods of a Service "listen": unscheduled pods get no endpoints from the EndpointSlice
 * controller, so the mirror writes a slice of its own for the Service with this address, ready while
 * any pod is Running, empty when none is (a process of the test answers there).
 */
export interface EndpointMirror {
  service: string;
  address: string;
  port: number;
}

export class PodReadiness {
  private timer: NodeJS.Timeout | undefined;
  /** How many pods it marked Ready so far. */
  marked = 0;

  constructor(
    private readonly client: KubeClient,
    private readonly namespace: string,
    private readonly mirror?: EndpointMirror,
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
    if (this.mirror) await this.writeSlice(list.items.filter((p) => !p.metadata.deletionTimestamp).length);
  }

  private async writeSlice(running: number): Promise<void> {
    const { service, address, port } = this.mirror!;
    await this.client.request({
      method: 'PATCH',
      path: `/apis/discovery.k8s.io/v1/namespaces/${this.namespace}/endpointslices/${service}-test`,
      contentType: PATCH.apply,
      query: { fieldManager: 'vibe-tests', force: true },
      body: {
        apiVersion: 'discovery.k8s.io/v1',
        kind: 'EndpointSlice',
        metadata: {
          name: `${service}-test`,
          labels: {
            'kubernetes.io/service-name': service,
            'endpointslice.kubernetes.io/managed-by': 'vibe-tests',
          },
        },
        addressType: 'IPv4',
        ports: [{ name: 'http', port, protocol: 'TCP' }],
        endpoints: running > 0 ? [{ addresses: [address], conditions: { ready: true } }] : [],
      },
    });
  }
}
