/**
 * Keeps a fixed number of sandbox runners booted and waiting, each handed out once and never taken
 * back: the caller runs one script in it and destroys it. Refills one runner at a time in the
 * background, a few seconds after a take while a runner is still waiting (a boot competes with the
 * plan that took one for CPU), retries failed boots with backoff,
 * drops runners that died while waiting, and drains to zero on close. See docs/adr/0092.
 */
import { delay, doublingBackoff } from './delay.js';

export interface PooledRunner {
  /** False once the runner's sandbox or process has gone; such a runner is never handed out. */
  alive(): boolean;
  /** Resolves when the runner has ended on its own (died while waiting, or finished its one run). */
  readonly ended: Promise<void>;
  /** Removes the sandbox; safe to call more than once; resolves when nothing of it is left. */
  destroy(): Promise<void>;
}

/** What the pool reports; prom-client counters and gauges in the operator (pool-metrics.ts). */
export interface PoolObserver {
  ready(count: number): void;
  hit(): void;
  miss(): void;
  /** A waiting runner was found dead and thrown away. */
  discarded(): void;
  /** A boot failed; the pool retries after delayMs. */
  bootFailed(error: unknown, delayMs: number): void;
  /** A runner taken from the pool could not be given its request; the run went to a fresh runner. */
  handOverFailed(error: unknown): void;
}

export interface WarmPoolOptions<R extends PooledRunner> {
  /** Runners kept waiting; 0 keeps none (every take misses). */
  readonly size: number;
  /** Boots one runner; the signal aborts when the pool drains, so a long boot can give up. */
  readonly boot: (signal: AbortSignal) => Promise<R>;
  readonly observer?: Partial<PoolObserver>;
  /** Delays between failed boots (default: 1 s doubling to 30 s, with jitter). */
  readonly backoff?: { next(): number; reset(): void };
  /** How long a refill waits after a take that left a runner waiting (default REFILL_DELAY_MS). */
  readonly refillDelayMs?: number;
}

/**
 * A take that leaves a runner waiting refills only this much later: a boot is seconds of CPU, and
 * started at once it competes with the plan that took the runner (its script, the checks, the
 * apply, its pods' start) on the same cores. A take that leaves none refills at once.
 */
export const REFILL_DELAY_MS = 3_000;

export class WarmPool<R extends PooledRunner> {
  private readonly waiting: R[] = [];
  /** Removals of discarded runners still running; drain waits for them. */
  private readonly removals = new Set<Promise<void>>();
  private filling: Promise<void> | undefined;
  private refillTimer: NodeJS.Timeout | undefined;
  private closed = false;
  private readonly closing = new AbortController();
  private readonly backoff: { next(): number; reset(): void };

  constructor(private readonly options: WarmPoolOptions<R>) {
    if (!Number.isInteger(options.size) || options.size < 0)
      throw new RangeError(`a warm pool's size must be a whole number of at least 0, not ${options.size}`);
    this.backoff = options.backoff ?? doublingBackoff(1_000, 30_000);
  }

  /** Runners booted and waiting now. */
  get ready(): number {
    return this.waiting.length;
  }

  /** Starts filling the pool (also done by the first take). */
  fill(): void {
    clearTimeout(this.refillTimer);
    this.refillTimer = undefined;
    if (this.closed || this.options.size === 0 || this.filling) return;
    this.filling = this.refill().finally(() => (this.filling = undefined));
  }

  /** A booted runner for exactly one run, or undefined when none is waiting (the caller boots its own). */
  take(): R | undefined {
    let runner: R | undefined;
    while (!runner && this.waiting.length > 0) {
      const next = this.waiting.shift()!;
      if (next.alive()) runner = next;
      else this.discard(next);
    }
    this.report();
    if (runner) this.options.observer?.hit?.();
    else this.options.observer?.miss?.();
    if (this.waiting.length === 0) this.fill();
    else this.refillLater();
    return runner;
  }

  /** Stops refilling, waits for a boot in flight and destroys every runner the pool holds. */
  async drain(): Promise<void> {
    this.closed = true;
    clearTimeout(this.refillTimer);
    this.closing.abort();
    await this.filling;
    const left = this.waiting.splice(0);
    this.report();
    await Promise.all([...left.map((runner) => runner.destroy()), ...this.removals]);
  }

  /** Refills after the delay, unless something refills sooner; an earlier deferral stands. */
  private refillLater(): void {
    if (this.refillTimer || this.filling || this.closed) return;
    this.refillTimer = setTimeout(() => this.fill(), this.options.refillDelayMs ?? REFILL_DELAY_MS);
    // A pending refill must not keep a one-shot process alive.
    this.refillTimer.unref();
  }

  private async refill(): Promise<void> {
    while (!this.closed && this.waiting.length < this.options.size) {
      let runner: R;
      try {
        runner = await this.options.boot(this.closing.signal);
      } catch (error) {
        const delayMs = this.backoff.next();
        this.options.observer?.bootFailed?.(error, delayMs);
        await delay(delayMs, this.closing.signal);
        continue;
      }
      this.backoff.reset();
      if (this.closed || !runner.alive()) {
        await runner.destroy();
        continue;
      }
      this.waiting.push(runner);
      this.report();
      void runner.ended.then(() => this.onEnded(runner));
    }
  }

  /** A runner that ends while still waiting died: it leaves the pool, which boots a replacement. */
  private onEnded(runner: R): void {
    const at = this.waiting.indexOf(runner);
    if (at === -1) return;
    this.waiting.splice(at, 1);
    this.discard(runner);
    this.report();
    this.fill();
  }

  private discard(runner: R): void {
    this.options.observer?.discarded?.();
    const removal = runner.destroy().finally(() => this.removals.delete(removal));
    this.removals.add(removal);
  }

  private report(): void {
    this.options.observer?.ready?.(this.waiting.length);
  }
}
