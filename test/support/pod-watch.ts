/**
 * Remembers every pod a namespace ever held while the watch ran, with its last state and whether it
 * was deleted, so a test can check pods that lived a second and are gone by the time it looks.
 */
import { pino } from 'pino';
import { Informer } from '../../operator/src/reconciler/informer.js';
import type { KubeClient } from '../../operator/src/reconciler/kube-client.js';
import type { KubeObject, Resource } from '../../operator/src/reconciler/resource.js';

const POD: Resource = { group: '', version: 'v1', plural: 'pods', kind: 'Pod', namespaced: true };

export interface WatchedPod extends KubeObject {
  spec: { runtimeClassName?: string };
  status?: {
    phase?: string;
    containerStatuses?: Array<{
      containerID?: string;
      state?: { terminated?: { exitCode: number; reason?: string } };
    }>;
  };
}

export interface PodRecord {
  /** The last version the watch saw. */
  pod: WatchedPod;
  /** Every phase it went through, in order. */
  phases: string[];
  /** When the watch first saw it (Date.now()). */
  firstSeenAt: number;
  deleted: boolean;
}

export class PodWatch {
  readonly pods = new Map<string, PodRecord>();
  private readonly informer: Informer<WatchedPod>;

  private constructor(client: KubeClient, namespace: string) {
    this.informer = new Informer<WatchedPod>({
      client,
      resource: POD,
      namespace,
      logger: pino({ level: 'silent' }),
    });
    this.informer.addHandler({
      onAdd: (pod) => this.see(pod),
      onUpdate: (_old, pod) => this.see(pod),
      onDelete: (pod) => {
        this.see(pod);
        const record = this.pods.get(pod.metadata.name);
        if (record) record.deleted = true;
      },
    });
  }

  /** Starts watching; resolves once the initial list is in. */
  static async start(client: KubeClient, namespace: string): Promise<PodWatch> {
    const watch = new PodWatch(client, namespace);
    watch.informer.start();
    await watch.informer.synced;
    return watch;
  }

  stop(): Promise<void> {
    return this.informer.stop();
  }

  private see(pod: WatchedPod): void {
    const record = this.pods.get(pod.metadata.name) ?? {
      pod,
      phases: [],
      firstSeenAt: Date.now(),
      deleted: false,
    };
    record.pod = pod;
    const phase = pod.status?.phase;
    if (phase && record.phases.at(-1) !== phase) record.phases.push(phase);
    this.pods.set(pod.metadata.name, record);
  }
}
