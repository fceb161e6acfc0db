import type { Logger } from 'pino';
import type { HandlerProgress, Progress } from '../api/progress.js';
import { Controller, type ReconcileResult } from './controller.js';
import { deepEqual, diff, fingerprint, getPath, touches, type DiffEntry } from './diff.js';
import { HandlerTimeoutError, PermanentError, TemporaryError, toError } from './errors.js';
import { EventRecorder } from './events.js';
import type {
  Cause,
  HandlerContext,
  HandlerFn,
  HandlerOptions,
  HandlerSpec,
  Managed,
  StatusOf,
} from './handler-types.js';
import type { Informer } from './informer.js';
import type { KubeClient } from './kube-client.js';
import type { ControllerMetrics } from './metrics.js';
import { ObjectWriter } from './object-writer.js';
import { keyOf, type Resource } from './resource.js';

export interface HandlerDeps<T extends Managed> {
  controller: string;
  finalizer: string;
  /** Reads the freshest known copy of the object. */
  get(key: string): T | undefined;
  writer: ObjectWriter<T>;
  events: EventRecorder;
  logger: Logger;
  metrics?: Pick<ControllerMetrics, 'handlerErrors'>;
  /** Aborted on shutdown; handlers see it through their signal. */
  shutdown?: AbortSignal;
  now?: () => number;
}

/** Where one of the operator's controllers watches and how it writes: what start-up gives each. */
export interface ControllerScope {
  client: KubeClient;
  logger: Logger;
  fieldManager: string;
  metrics?: ControllerMetrics;
  concurrency?: number;
  /** Watch one namespace only; all namespaces when undefined. */
  namespace?: string;
  /** Selects the objects this operator handles. */
  labelSelector?: string;
}

export interface HandlerControllerOptions<T extends Managed> extends ControllerScope {
  /** The controller's name, in its metrics, logs and handler progress. */
  name: string;
  finalizer: string;
  informer: Informer<T>;
  /** The informer's resource, which status and finalizers are written to. */
  resource: Resource;
  /** Aborted on shutdown; handlers see it through their signal. */
  shutdown: AbortSignal;
  now?: () => number;
}

type Snapshot = Record<string, unknown> & Pick<Managed, 'metadata'>;

interface Outcome {
  allSettled: boolean;
  delayMs?: number;
}

const DEFAULT_TIMEOUT_MS = 10 * 60_000;

/**
 * kopf-style handlers over a level-triggered reconcile. Each reconcile reads
 * the object and its status.progress and decides what is owed: delete
 * handlers when it is being deleted, create handlers when no generation was
 * ever handled, update and field handlers when a newer generation exists,
 * resume handlers once per process otherwise, then due timers. Handlers of
 * one cause run in order; each success is recorded in status before the next
 * starts, so a crash repeats only the handler that was running. Finalizers
 * are added and removed here; status is written only when it changed.
 */
export class Handlers<T extends Managed> {
  private readonly specs: Record<Cause, HandlerSpec<T>[]> = {
    create: [],
    update: [],
    delete: [],
    resume: [],
    timer: [],
    reconcile: [],
  };
  private readonly fields: HandlerSpec<T>[] = [];
  /** Spec, labels and annotations as last handled, for update diffs. Memory only: never stored in the object. */
  private readonly handled = new Map<string, Snapshot>();
  private readonly resumed = new Set<string>();
  private readonly timerRuns = new Map<string, number>();
  /**
   * What this process last wrote per key. The cache lags our own writes by a
   * watch event; reconciling from the stale copy would rerun a handler that
   * just finished, so the newer of the two is used.
   */
  private readonly latest = new Map<string, T>();
  /**
   * Fingerprints of the last status sent and of what the server stored for it, so server-side
   * defaults never cause a rewrite loop. Digests, not copies: a thousand statuses add up.
   */
  private readonly written = new Map<string, { sent: string; stored: string }>();

  onCreate(id: string, fn: HandlerFn<T>, opts: HandlerOptions = {}): this {
    return this.register('create', { id, fn, ...opts });
  }

  onUpdate(id: string, fn: HandlerFn<T>, opts: HandlerOptions = {}): this {
    return this.register('update', { id, fn, ...opts });
  }

  onDelete(id: string, fn: HandlerFn<T>, opts: HandlerOptions = {}): this {
    return this.register('delete', { id, fn, ...opts });
  }

  onResume(id: string, fn: HandlerFn<T>, opts: HandlerOptions = {}): this {
    return this.register('resume', { id, fn, ...opts });
  }

  /** Runs on creation when the field is set, and on updates that change it. */
  onField(field: string, id: string, fn: HandlerFn<T>, opts: HandlerOptions = {}): this {
    this.fields.push({ id, fn, field, ...opts });
    return this;
  }

  /**
   * Runs on every reconcile once create and update handlers have settled:
   * level-triggered work such as TTL checks. It must be idempotent.
   */
  onReconcile(id: string, fn: HandlerFn<T>, opts: HandlerOptions = {}): this {
    return this.register('reconcile', { id, fn, ...opts });
  }

  onTimer(id: string, intervalMs: number, fn: HandlerFn<T>, opts: HandlerOptions = {}): this {
    return this.register('timer', { id, fn, intervalMs, ...opts });
  }

  private register(cause: Cause, spec: HandlerSpec<T>): this {
    this.specs[cause].push(spec);
    return this;
  }

  /**
   * True when obj is exactly the version this process's last write for its
   * key produced: reconciling it again would find nothing to do.
   */
  isOwnEcho(key: string, obj: Managed): boolean {
    const mine = this.latest.get(key)?.metadata.resourceVersion;
    const echo =
      mine !== undefined && mine === obj.metadata.resourceVersion && !obj.metadata.deletionTimestamp;
    // The cache now holds what we wrote; our copy is no longer needed.
    if (echo) this.latest.delete(key);
    return echo;
  }

  /** Builds the reconcile function the controller runs for each key. */
  reconciler(deps: HandlerDeps<T>): (key: string) => Promise<ReconcileResult> {
    return (key) => new Reconciliation(this, deps, key).run();
  }

  /**
   * The framework's controller running these handlers over the informer's objects: the watch echo
   * of a write they just made is not queued again, and status, finalizers and events are written
   * as `fieldManager`.
   */
  controller(o: HandlerControllerOptions<T>): Controller<T> {
    const { client, logger, metrics, fieldManager } = o;
    return new Controller<T>({
      name: o.name,
      informer: o.informer,
      logger,
      ...(metrics ? { metrics } : {}),
      ...(o.concurrency ? { concurrency: o.concurrency } : {}),
      ignoreUpdate: (_old, obj) => this.isOwnEcho(keyOf(obj.metadata), obj),
      reconcile: this.reconciler({
        controller: o.name,
        finalizer: o.finalizer,
        get: (key) => o.informer.get(key),
        writer: new ObjectWriter<T>(client, o.resource, fieldManager),
        events: new EventRecorder(client, fieldManager, logger),
        logger,
        ...(metrics ? { metrics } : {}),
        shutdown: o.shutdown,
        ...(o.now ? { now: o.now } : {}),
      }),
    });
  }

  /** @internal */ specsFor(cause: Cause): HandlerSpec<T>[] {
    return this.specs[cause];
  }
  /** @internal */ fieldSpecs(): HandlerSpec<T>[] {
    return this.fields;
  }
  /** @internal */ memory() {
    return {
      handled: this.handled,
      resumed: this.resumed,
      timerRuns: this.timerRuns,
      latest: this.latest,
      written: this.written,
    };
  }
}

/** The later of two copies of one object, by resourceVersion (etcd revisions are integers). */
function newer<T extends Managed>(cached: T, written: T | undefined): T {
  const a = cached.metadata.resourceVersion;
  const b = written?.metadata.resourceVersion;
  if (!written || !a || !b || !/^\d+$/.test(a) || !/^\d+$/.test(b)) return cached;
  return BigInt(b) > BigInt(a) ? written : cached;
}

function snapshot(obj: Managed): Snapshot {
  const { status: _status, metadata, ...rest } = obj as Managed & Record<string, unknown>;
  return {
    ...structuredClone(rest),
    metadata: {
      name: metadata.name,
      namespace: metadata.namespace,
      labels: metadata.labels,
      annotations: metadata.annotations,
    },
  };
}

class Reconciliation<T extends Managed> {
  private obj!: T;
  private status!: StatusOf<T>;
  private requeue: number | undefined;
  private readonly now: () => number;

  constructor(
    private readonly handlers: Handlers<T>,
    private readonly deps: HandlerDeps<T>,
    private readonly key: string,
  ) {
    this.now = deps.now ?? Date.now;
  }

  async run(): Promise<ReconcileResult> {
    const mem = this.handlers.memory();
    const cached = this.deps.get(this.key);
    if (!cached) {
      mem.handled.delete(this.key);
      mem.resumed.delete(this.key);
      mem.latest.delete(this.key);
      mem.written.delete(this.key);
      this.deps.events.forget(this.key);
      for (const k of mem.timerRuns.keys()) if (k.startsWith(`${this.key}\u0000`)) mem.timerRuns.delete(k);
      return {};
    }
    const found = newer(cached, mem.latest.get(this.key));
    // Once the cache has caught up with our last write, the copy is no longer needed.
    if (found === cached) mem.latest.delete(this.key);
    this.obj = found;
    this.status = structuredClone(found.status ?? {}) as StatusOf<T>;
    const finalizers = found.metadata.finalizers ?? [];
    const ours = finalizers.includes(this.deps.finalizer);

    if (found.metadata.deletionTimestamp) {
      if (!ours) return {};
      const outcome = await this.runCause('delete', this.handlers.specsFor('delete'));
      if (!outcome.allSettled) return this.finish(outcome.delayMs);
      this.remember(
        await this.deps.writer.setFinalizers(
          this.obj,
          finalizers.filter((f) => f !== this.deps.finalizer),
        ),
      );
      return {};
    }

    if (!ours && this.handlers.specsFor('delete').length > 0) {
      const updated = await this.deps.writer.setFinalizers(found, [...finalizers, this.deps.finalizer]);
      if (!updated) return {};
      this.remember(updated);
      this.obj = updated;
    }

    const progress = this.progress();
    const generation = this.obj.metadata.generation ?? 0;
    if (progress.handledGeneration === undefined || progress.handledGeneration < generation) {
      const cause = progress.handledGeneration === undefined ? ('create' as const) : ('update' as const);
      const old = mem.handled.get(this.key);
      const changes = old ? diff(old, snapshot(this.obj)) : undefined;
      const specs = [...this.handlers.specsFor(cause), ...this.fieldHandlersFor(cause, changes)];
      const outcome = await this.runCause(cause, specs, old, changes);
      if (!outcome.allSettled) return this.finish(outcome.delayMs);
      this.status.progress = { handledGeneration: generation } satisfies Progress;
      this.status.observedGeneration = generation;
      mem.handled.set(this.key, snapshot(this.obj));
      mem.resumed.add(this.key);
    } else if (!mem.resumed.has(this.key)) {
      const outcome = await this.runSequence('resume', this.handlers.specsFor('resume'), new Map());
      if (!outcome.allSettled) return this.finish(outcome.delayMs);
      mem.resumed.add(this.key);
      if (!mem.handled.has(this.key)) mem.handled.set(this.key, snapshot(this.obj));
    }

    for (const spec of this.handlers.specsFor('reconcile')) {
      const result = await this.invoke('reconcile', spec, 0);
      if (!result.ok) {
        await this.writeStatus();
        // The queue's per-key backoff paces retries of level-triggered work.
        throw new Error(`${spec.id}: ${result.message}`);
      }
    }
    await this.runTimers();
    return this.finish();
  }

  private fieldHandlersFor(cause: Cause, changes: DiffEntry[] | undefined): HandlerSpec<T>[] {
    return this.handlers.fieldSpecs().filter((spec) => {
      const field = spec.field as string;
      if (cause === 'create') return getPath(this.obj, field) !== undefined;
      return changes === undefined || touches(changes, field);
    });
  }

  private progress(): Progress {
    return ((this.status as { progress?: Progress }).progress ?? {}) as Progress;
  }

  /** Runs a persisted cause: progress per handler lives in status.progress. */
  private async runCause(
    cause: 'create' | 'update' | 'delete',
    specs: HandlerSpec<T>[],
    old?: Snapshot,
    changes?: DiffEntry[],
  ): Promise<Outcome> {
    const progress = this.progress();
    const state = new Map<string, HandlerProgress>(
      progress.cause === cause ? (progress.handlers ?? []).map((h) => [h.id, { ...h }]) : [],
    );
    const save = () => {
      (this.status as { progress?: Progress }).progress = {
        ...(progress.handledGeneration === undefined
          ? {}
          : { handledGeneration: progress.handledGeneration }),
        cause,
        handlers: [...state.values()],
      };
    };
    return this.runSequence(cause, specs, state, save, old, changes);
  }

  private async runSequence(
    cause: Cause,
    specs: HandlerSpec<T>[],
    state: Map<string, HandlerProgress>,
    save?: () => void,
    old?: Snapshot,
    changes?: DiffEntry[],
  ): Promise<Outcome> {
    for (const [index, spec] of specs.entries()) {
      const st = state.get(spec.id) ?? { id: spec.id, retries: 0 };
      if (st.done || st.failed) continue;
      const waitMs = st.delayedUntil ? Date.parse(st.delayedUntil) - this.now() : 0;
      if (waitMs > 0) return { allSettled: false, delayMs: waitMs };
      const result = await this.invoke(cause, spec, st.retries, old, changes);
      if (
        !result.ok &&
        result.temporary &&
        spec.retries === undefined &&
        st.message === result.message.slice(0, 4096)
      ) {
        // The same wait as last time (e.g. "namespace still terminating"): nothing new to record, so no write.
        await this.writeStatus();
        return { allSettled: false, delayMs: result.delayMs };
      }
      if (result.ok) {
        state.set(spec.id, { id: spec.id, retries: st.retries, done: true });
      } else {
        const retries = st.retries + 1;
        const exhausted = result.permanent || (spec.retries !== undefined && retries > spec.retries);
        state.set(spec.id, {
          id: spec.id,
          retries,
          ...(exhausted
            ? { failed: true }
            : {
                delayedUntil: new Date(this.now() + result.delayMs).toISOString().replace(/\.\d{3}Z$/, 'Z'),
              }),
          message: result.message.slice(0, 4096),
        });
        if (exhausted) {
          await this.deps.events.record(
            this.obj,
            'Warning',
            'HandlerFailed',
            `${spec.id}: ${result.message}`,
          );
        }
      }
      save?.();
      const settled = state.get(spec.id)?.done || state.get(spec.id)?.failed;
      if (!settled) {
        await this.writeStatus();
        return { allSettled: false, delayMs: result.ok ? 0 : result.delayMs };
      }
      if (save && index < specs.length - 1 && spec.checkpoint !== false) await this.writeStatus();
    }
    return { allSettled: true };
  }

  private async invoke(
    cause: Cause,
    spec: HandlerSpec<T>,
    retry: number,
    old?: Snapshot,
    changes?: DiffEntry[],
  ): Promise<
    { ok: true } | { ok: false; permanent: boolean; temporary: boolean; delayMs: number; message: string }
  > {
    const timeoutMs = spec.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const abort = new AbortController();
    const onShutdown = () => abort.abort(new Error('the operator is shutting down'));
    this.deps.shutdown?.addEventListener('abort', onShutdown, { once: true });
    const logger = this.deps.logger.child({
      controller: this.deps.controller,
      key: this.key,
      handler: spec.id,
    });
    const ctx: HandlerContext<T> = {
      cause,
      object: this.obj,
      ...(old ? { old: old as HandlerContext<T>['old'] } : {}),
      ...(changes ? { diff: changes } : {}),
      retry,
      signal: abort.signal,
      logger,
      status: this.status,
      writeStatus: () => this.writeStatus(),
      event: (type, reason, message) => this.deps.events.record(this.obj, type, reason, message),
      requeueAfter: (ms) => {
        this.requeue = this.requeue === undefined ? ms : Math.min(this.requeue, ms);
      },
    };
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        Promise.resolve().then(() => spec.fn(ctx)),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => {
            const err = new HandlerTimeoutError(spec.id, timeoutMs);
            abort.abort(err);
            reject(err);
          }, timeoutMs);
        }),
      ]);
      return { ok: true };
    } catch (thrown) {
      const err = toError(thrown);
      const kind =
        err instanceof PermanentError
          ? 'permanent'
          : err instanceof TemporaryError
            ? 'temporary'
            : err instanceof HandlerTimeoutError
              ? 'timeout'
              : 'unexpected';
      this.deps.metrics?.handlerErrors.inc({ controller: this.deps.controller, handler: spec.id, kind });
      const delayMs = err instanceof TemporaryError ? err.delayMs : Math.min(1000 * 2 ** retry, 5 * 60_000);
      if (kind === 'temporary') logger.info({ reason: err.message, retry, delayMs }, 'handler will retry');
      else logger.warn({ err, kind, retry, delayMs }, 'handler failed');
      return {
        ok: false,
        permanent: err instanceof PermanentError,
        temporary: err instanceof TemporaryError,
        delayMs,
        message: err.message,
      };
    } finally {
      clearTimeout(timer);
      this.deps.shutdown?.removeEventListener('abort', onShutdown);
    }
  }

  private async runTimers(): Promise<void> {
    const runs = this.handlers.memory().timerRuns;
    for (const spec of this.handlers.specsFor('timer')) {
      const interval = spec.intervalMs as number;
      const runKey = `${this.key}\u0000${spec.id}`;
      const last = runs.get(runKey);
      const due = last === undefined ? 0 : last + interval - this.now();
      if (due <= 0) {
        runs.set(runKey, this.now());
        await this.invoke('timer', spec, 0);
        this.requeue = Math.min(this.requeue ?? interval, interval);
      } else {
        this.requeue = Math.min(this.requeue ?? due, due);
      }
    }
  }

  private async finish(delayMs?: number): Promise<ReconcileResult> {
    await this.writeStatus();
    const candidates = [delayMs, this.requeue].filter((d): d is number => d !== undefined);
    return candidates.length ? { requeueAfterMs: Math.max(0, Math.min(...candidates)) } : {};
  }

  private async writeStatus(): Promise<void> {
    const stored = this.obj.status ?? {};
    if (deepEqual(this.status, stored)) return;
    const last = this.handlers.memory().written.get(this.key);
    if (last && last.sent === fingerprint(this.status) && last.stored === fingerprint(stored)) return;
    const sent = structuredClone(this.status);
    const updated = await this.deps.writer.applyStatus(this.obj, sent);
    if (updated) {
      this.handlers
        .memory()
        .written.set(this.key, { sent: fingerprint(sent), stored: fingerprint(updated.status ?? {}) });
      this.remember(updated);
      this.obj = updated;
      this.deps.logger.debug({ controller: this.deps.controller, key: this.key }, 'status written');
    }
  }

  private remember(obj: T | undefined): void {
    if (obj) this.handlers.memory().latest.set(this.key, obj);
  }
}
