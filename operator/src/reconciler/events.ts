import type { Logger } from 'pino';
import { toError } from './errors.js';
import type { KubeClient } from './kube-client.js';
import { CORE, collectionPath, keyOf, type KubeObject } from './resource.js';

export type EventType = 'Normal' | 'Warning';

/**
 * Posts core/v1 Events about an object. Recording never throws: an event that
 * cannot be written is logged and dropped, as client-go's recorder does. The
 * same reason and message for the same object is not repeated back to back.
 */
export class EventRecorder {
  private readonly last = new Map<string, string>();

  constructor(
    private readonly client: KubeClient,
    private readonly component: string,
    private readonly logger: Logger,
  ) {}

  async record(obj: KubeObject, type: EventType, reason: string, message: string): Promise<void> {
    const key = keyOf(obj.metadata);
    const fingerprint = `${obj.metadata.uid}\u0000${type}\u0000${reason}\u0000${message}`;
    if (this.last.get(key) === fingerprint) return;
    this.last.set(key, fingerprint);
    const namespace = obj.metadata.namespace ?? 'default';
    const now = new Date().toISOString();
    try {
      await this.client.request({
        method: 'POST',
        path: collectionPath(CORE.event, namespace),
        body: {
          apiVersion: 'v1',
          kind: 'Event',
          metadata: { name: `${obj.metadata.name}.${Date.now().toString(16)}${randomSuffix()}`, namespace },
          involvedObject: {
            apiVersion: obj.apiVersion,
            kind: obj.kind,
            name: obj.metadata.name,
            namespace: obj.metadata.namespace,
            uid: obj.metadata.uid,
            resourceVersion: obj.metadata.resourceVersion,
          },
          type,
          reason,
          message: message.slice(0, 1024),
          source: { component: this.component },
          reportingComponent: this.component,
          reportingInstance: this.component,
          firstTimestamp: now,
          lastTimestamp: now,
          count: 1,
        },
      });
    } catch (err) {
      this.logger.warn({ err: toError(err).message, reason }, 'could not record an event');
    }
  }

  /** Drops memory of an object that is gone (by its namespace/name key). */
  forget(key: string): void {
    this.last.delete(key);
  }
}

function randomSuffix(): string {
  return Math.floor(Math.random() * 0xffff)
    .toString(16)
    .padStart(4, '0');
}
