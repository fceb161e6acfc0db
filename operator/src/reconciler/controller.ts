import type { Logger } from 'pino';
import { toError } from './errors.js';
import type { Informer } from './informer.js';
import type { ControllerMetrics } from './metrics.js';
import type { RateLimiter } from './rate-limiter.js';
import { keyOf, type KubeObject } from './resource.js';
import { WorkQueue } from './workqueue.js';

export interface ReconcileResult {
  /** Run this key again after the delay even if nothing changes (timers, TTLs). */
  requeueAfterMs?: number;
}

export type Reconcile = (key: string) => Promise<ReconcileResult | void>;

export interface ControllerOptions<T extends KubeObject> {
  name: string;
  informer: Informer<T>;
  reconcile: Reconcile;
  logger: Logger;
  metrics?: ControllerMetrics;
  /** How many keys are reconciled at once; one key is never reconciled twice at once. */
  concurrency?: number;
  rateLimiter?: RateLimiter;
  /**
   * Updates for which this returns true are not queued, e.g. the watch echo
   * of a write the reconciler itself just made from the same state.
   */
  ignoreUpdate?: (oldObj: T, newObj: T) => boolean;
}

/**
 * Feeds keys of changed objects from an informer into a work queue and runs
 * reconcile for them on a fixed pool of workers. Errors back off per key;
 * success forgets the key's failures. Nothing a reconcile throws, Error or
 * not, escapes a worker.
 */
export class Controller<T extends KubeObject> {
  readonly queue: WorkQueue;
  private workers: Promise<void>[] = [];
  /**
   * Keys a worker is reconciling now. The queue already hands a key to one worker at a time; this is
   * the independent check that the soak reads (vibe_reconcile_overlaps_total), since double handling
   * shows up only under hours of churn and costs a second model call when it does.
   */
  private readonly handling = new Set<string>();

  constructor(private readonly opts: ControllerOptions<T>) {
    this.queue = new WorkQueue({
      name: opts.name,
      ...(opts.metrics ? { metrics: opts.metrics } : {}),
      ...(opts.rateLimiter ? { rateLimiter: opts.rateLimiter } : {}),
    });
    opts.informer.addHandler({
      onAdd: (obj, initial) => this.queue.add(keyOf(obj.metadata), { lowPriority: initial }),
      onUpdate: (old, obj) => {
        if (!opts.ignoreUpdate?.(old, obj)) this.queue.add(keyOf(obj.metadata));
      },
      onDelete: (obj) => this.queue.add(keyOf(obj.metadata)),
    });
  }

  start(): void {
    const n = Math.max(1, this.opts.concurrency ?? 4);
    for (let i = 0; i < n; i++) this.workers.push(this.work());
  }

  /** Stops taking keys and waits for the reconciles in flight to finish. */
  async stop(): Promise<void> {
    await this.queue.shutDown();
    await Promise.all(this.workers);
  }

  private async work(): Promise<void> {
    for (let key = await this.queue.get(); key !== undefined; key = await this.queue.get()) {
      await this.process(key);
    }
  }

  private async process(key: string): Promise<void> {
    const { name, metrics, logger } = this.opts;
    const queuedMs = this.queue.waited(key);
    if (this.handling.has(key)) {
      metrics?.overlaps.inc({ controller: name });
      logger.error({ controller: name, key }, 'two workers reconcile the same object at once');
    }
    this.handling.add(key);
    metrics?.activeWorkers.inc({ controller: name });
    const endTimer = metrics?.reconcileTime.startTimer({ controller: name });
    let result: string;
    try {
      const outcome = (await this.opts.reconcile(key)) ?? {};
      this.queue.forget(key);
      if (outcome.requeueAfterMs !== undefined) {
        this.queue.addAfter(key, outcome.requeueAfterMs);
        result = 'requeue_after';
      } else {
        result = 'success';
      }
    } catch (thrown) {
      const err = toError(thrown);
      result = 'error';
      metrics?.reconcileErrors.inc({ controller: name });
      logger.error({ controller: name, key, err }, 'reconcile failed; retrying with backoff');
      this.queue.addRateLimited(key);
    } finally {
      endTimer?.();
      metrics?.activeWorkers.dec({ controller: name });
      this.handling.delete(key);
      this.queue.done(key);
    }
    metrics?.reconcileTotal.inc({ controller: name, result });
    // Per key, for a user's "why did my change wait" and for bench-reconciler's mid-burst environment.
    logger.debug({ controller: name, key, queuedMs, result }, 'reconciled');
  }
}
