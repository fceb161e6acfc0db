import { FairQueue } from './fair-queue.js';
import type { ControllerMetrics } from './metrics.js';
import { defaultControllerRateLimiter, type RateLimiter } from './rate-limiter.js';

type QueueMetrics = Pick<
  ControllerMetrics,
  'queueDepth' | 'queueAdds' | 'queueDuration' | 'workDuration' | 'queueRetries'
>;

export interface WorkQueueOptions {
  name: string;
  rateLimiter?: RateLimiter;
  metrics?: QueueMetrics;
  now?: () => number;
}

/**
 * A keyed work queue with client-go's guarantees: a key waiting in the queue
 * is stored once however often it is added, a key being processed is never
 * handed out again until done() is called (adds meanwhile are kept and replayed
 * then), and failures back off per key. Keys added at low priority (the
 * initial list) are served only when no normal-priority key waits, so a
 * change made by a user is not stuck behind a thousand unchanged objects; at
 * each priority namespaces take turns, so one tenant's burst does not hold up
 * another tenant's single change.
 */
export class WorkQueue {
  private readonly high = new FairQueue();
  private readonly low = new FairQueue();
  private readonly dirty = new Set<string>();
  private readonly processing = new Set<string>();
  private readonly lowPriority = new Set<string>();
  private readonly enqueuedAt = new Map<string, number>();
  private readonly startedAt = new Map<string, number>();
  /** How long each key being processed waited in the queue before get() handed it out. */
  private readonly waitedMs = new Map<string, number>();
  private readonly delayed = new Map<string, { at: number; timer: NodeJS.Timeout }>();
  private readonly waiters: Array<(key: string | undefined) => void> = [];
  private readonly drainWaiters: Array<() => void> = [];
  private readonly rateLimiter: RateLimiter;
  private readonly now: () => number;
  private shuttingDown = false;

  constructor(private readonly opts: WorkQueueOptions) {
    this.rateLimiter = opts.rateLimiter ?? defaultControllerRateLimiter();
    this.now = opts.now ?? Date.now;
  }

  add(key: string, options: { lowPriority?: boolean } = {}): void {
    if (this.shuttingDown) return;
    this.opts.metrics?.queueAdds.inc({ name: this.opts.name });
    if (this.dirty.has(key)) {
      if (!options.lowPriority && this.low.delete(key)) {
        this.lowPriority.delete(key);
        this.high.add(key);
      }
      return;
    }
    this.dirty.add(key);
    if (options.lowPriority) this.lowPriority.add(key);
    else this.lowPriority.delete(key);
    if (this.processing.has(key)) return;
    this.push(key);
  }

  /** Adds the key once the delay passes; an earlier pending add for the key wins. */
  addAfter(key: string, delayMs: number): void {
    if (this.shuttingDown) return;
    if (delayMs <= 0) return this.add(key);
    const at = this.now() + delayMs;
    const pending = this.delayed.get(key);
    if (pending && pending.at <= at) return;
    if (pending) clearTimeout(pending.timer);
    const timer = setTimeout(() => {
      this.delayed.delete(key);
      this.add(key);
    }, delayMs);
    timer.unref();
    this.delayed.set(key, { at, timer });
  }

  /** Adds the key after its rate-limited backoff; counts as a retry. */
  addRateLimited(key: string): void {
    this.opts.metrics?.queueRetries.inc({ name: this.opts.name });
    this.addAfter(key, this.rateLimiter.when(key));
  }

  /** Clears the key's failure history after a success. */
  forget(key: string): void {
    this.rateLimiter.forget(key);
  }

  retries(key: string): number {
    return this.rateLimiter.retries(key);
  }

  /** The next key to process, or undefined once the queue is shut down. */
  get(): Promise<string | undefined> {
    const key = this.pop();
    if (key !== undefined || this.shuttingDown) return Promise.resolve(key);
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** How long a key handed out by get() and not yet done waited in the queue, in ms. */
  waited(key: string): number | undefined {
    return this.waitedMs.get(key);
  }

  done(key: string): void {
    this.processing.delete(key);
    this.waitedMs.delete(key);
    const started = this.startedAt.get(key);
    if (started !== undefined) {
      this.opts.metrics?.workDuration.observe({ name: this.opts.name }, (this.now() - started) / 1000);
      this.startedAt.delete(key);
    }
    if (this.dirty.has(key)) this.push(key);
    if (this.processing.size === 0) for (const w of this.drainWaiters.splice(0)) w();
  }

  get length(): number {
    return this.high.size + this.low.size;
  }

  /** Keys currently handed out and not yet done. */
  get inFlight(): number {
    return this.processing.size;
  }

  isProcessing(key: string): boolean {
    return this.processing.has(key);
  }

  /** Stops handing out keys; waiting get() calls resolve to undefined. Returns when in-flight keys are done. */
  async shutDown(): Promise<void> {
    this.shuttingDown = true;
    for (const { timer } of this.delayed.values()) clearTimeout(timer);
    this.delayed.clear();
    for (const w of this.waiters.splice(0)) w(undefined);
    if (this.processing.size > 0) await new Promise<void>((resolve) => this.drainWaiters.push(resolve));
  }

  private push(key: string): void {
    if (this.lowPriority.has(key)) this.low.add(key);
    else this.high.add(key);
    if (!this.enqueuedAt.has(key)) this.enqueuedAt.set(key, this.now());
    this.updateDepth();
    const waiter = this.waiters.shift();
    if (waiter) waiter(this.pop());
  }

  private pop(): string | undefined {
    if (this.shuttingDown) return undefined;
    const from = this.high.size > 0 ? this.high : this.low;
    const key = from.shift();
    if (key === undefined) return undefined;
    this.dirty.delete(key);
    this.lowPriority.delete(key);
    this.processing.add(key);
    const at = this.enqueuedAt.get(key);
    this.enqueuedAt.delete(key);
    if (at !== undefined) {
      this.waitedMs.set(key, this.now() - at);
      this.opts.metrics?.queueDuration.observe({ name: this.opts.name }, (this.now() - at) / 1000);
    }
    this.startedAt.set(key, this.now());
    this.updateDepth();
    return key;
  }

  private updateDepth(): void {
    this.opts.metrics?.queueDepth.set({ name: this.opts.name }, this.length);
  }
}
