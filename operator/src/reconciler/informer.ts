import type { Logger } from 'pino';
import { Backoff, sleep } from './backoff.js';
import { ApiError, isApiError, toError } from './errors.js';
import { METADATA_ONLY, type KubeClient } from './kube-client.js';
import type { ControllerMetrics } from './metrics.js';
import { apiVersionOf, collectionPath, keyOf, type KubeObject, type Resource } from './resource.js';

export interface InformerHandler<T extends KubeObject> {
  /** initial is true for objects found by the first list after start. */
  onAdd?(obj: T, initial: boolean): void;
  onUpdate?(oldObj: T, newObj: T): void;
  onDelete?(obj: T): void;
}

export interface InformerOptions<T extends KubeObject = KubeObject> {
  client: KubeClient;
  resource: Resource;
  logger: Logger;
  metrics?: Pick<ControllerMetrics, 'watchErrors' | 'watchEvents' | 'relists'>;
  /** Watch one namespace only; all namespaces when undefined. */
  namespace?: string;
  labelSelector?: string;
  pageSize?: number;
  /** Bounds of the server-side watch timeout, picked at random per watch to spread reconnects. */
  watchTimeoutSeconds?: [number, number];
  /** A watch that delivers no byte (not even a bookmark) for this long is presumed dead and replaced. */
  inactivityMs?: number;
  /** A full list this often replaces the cache, catching anything a watch could have missed. */
  relistIntervalMs?: number;
  backoff?: { initialMs: number; maxMs: number };
  /**
   * Keeps only what the informer's readers use, on the way into the cache (managedFields are
   * always dropped). It must keep metadata.name, namespace and resourceVersion.
   */
  transform?(obj: T): T;
  /** List and watch PartialObjectMetadata: for readers of metadata only, nothing else is sent or cached. */
  metadataOnly?: boolean;
}

class GoneError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GoneError';
  }
}

class WatchInterrupted extends Error {
  constructor(readonly reason: 'inactive' | 'malformed' | 'relist' | 'stop') {
    super(`watch interrupted: ${reason}`);
  }
}

interface ListResponse<T> {
  metadata: { resourceVersion: string; continue?: string };
  items: T[] | null;
}

interface WatchEvent<T> {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  object: T & { code?: number; message?: string; reason?: string };
}

/**
 * List+watch into an in-memory cache, written to lose nothing: pages through
 * the initial list, watches from the list's resourceVersion with bookmarks,
 * resumes from the last seen version after a dropped connection, relists on
 * 410 Gone and on a malformed event (diffing against the cache so deletes made
 * meanwhile are still reported), backs off with jitter, replaces silent watches
 * and relists periodically. managedFields are dropped before caching.
 */
export class Informer<T extends KubeObject> {
  private readonly cache = new Map<string, T>();
  private readonly handlers: InformerHandler<T>[] = [];
  private resourceVersion: string | undefined;
  private relistDue = true;
  private stopped = false;
  private watchAbort: AbortController | undefined;
  private readonly stopAbort = new AbortController();
  private loop: Promise<void> | undefined;
  private syncedResolve!: () => void;
  private readonly label: string;
  /** Resolves once the first list has filled the cache. */
  readonly synced: Promise<void> = new Promise((resolve) => (this.syncedResolve = resolve));
  hasSynced = false;

  constructor(private readonly opts: InformerOptions<T>) {
    this.label = `${opts.resource.plural}${opts.resource.group ? `.${opts.resource.group}` : ''}`;
  }

  addHandler(handler: InformerHandler<T>): void {
    this.handlers.push(handler);
  }

  get(key: string): T | undefined {
    return this.cache.get(key);
  }

  list(): T[] {
    return [...this.cache.values()];
  }

  get size(): number {
    return this.cache.size;
  }

  start(): void {
    this.loop ??= this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.stopAbort.abort();
    this.watchAbort?.abort(new WatchInterrupted('stop'));
    await this.loop;
  }

  /** Forces a full relist at the next opportunity (used by the periodic timer and by tests). */
  requestRelist(): void {
    this.relistDue = true;
    this.watchAbort?.abort(new WatchInterrupted('relist'));
  }

  private async run(): Promise<void> {
    const backoff = new Backoff(this.opts.backoff?.initialMs ?? 800, this.opts.backoff?.maxMs ?? 30_000);
    const relistTimer = setInterval(() => this.requestRelist(), this.opts.relistIntervalMs ?? 30 * 60_000);
    relistTimer.unref();
    try {
      while (!this.stopped) {
        try {
          if (this.relistDue || this.resourceVersion === undefined) await this.relist();
          await this.watch();
          backoff.reset();
        } catch (thrown) {
          if (this.stopped) break;
          const err = toError(thrown);
          if (err instanceof GoneError || isApiError(err, 410)) {
            this.countError('gone');
            this.opts.logger.info(
              { resource: this.label, err: err.message },
              'resourceVersion expired; relisting',
            );
            this.relistDue = true;
            continue;
          }
          if (err instanceof WatchInterrupted) {
            if (err.reason === 'relist') this.relistDue = true;
            if (err.reason === 'inactive' || err.reason === 'malformed') this.countError(err.reason);
            if (err.reason === 'malformed') this.relistDue = true;
            continue;
          }
          const delay = backoff.next();
          this.countError(err instanceof ApiError ? 'http' : 'connection');
          this.opts.logger.warn(
            { resource: this.label, err: err.message, retryInMs: delay },
            'list or watch failed; retrying',
          );
          await sleep(delay, this.stopAbort.signal);
        }
      }
    } finally {
      clearInterval(relistTimer);
    }
  }

  private countError(reason: string): void {
    this.opts.metrics?.watchErrors.inc({ resource: this.label, reason });
  }

  private async relist(): Promise<void> {
    const items = new Map<string, T>();
    let continueToken: string | undefined;
    let resourceVersion = '';
    do {
      const page: ListResponse<T> = await this.opts.client.request<ListResponse<T>>({
        method: 'GET',
        path: collectionPath(this.opts.resource, this.opts.namespace),
        query: {
          limit: this.opts.pageSize ?? 500,
          continue: continueToken,
          labelSelector: this.opts.labelSelector,
        },
        ...(this.opts.metadataOnly ? { accept: METADATA_ONLY.list } : {}),
        signal: this.stopAbort.signal,
      });
      // A PartialObjectMetadataList with nothing in it says items: null.
      for (const item of page.items ?? []) {
        const obj = this.normalize(item);
        items.set(keyOf(obj.metadata), obj);
      }
      continueToken = page.metadata.continue || undefined;
      resourceVersion = page.metadata.resourceVersion;
    } while (continueToken);
    const initial = !this.hasSynced;
    for (const [key, old] of this.cache) {
      if (!items.has(key)) {
        this.cache.delete(key);
        this.emit((h) => h.onDelete?.(old));
      }
    }
    for (const [key, obj] of items) {
      const old = this.cache.get(key);
      this.cache.set(key, obj);
      if (!old) this.emit((h) => h.onAdd?.(obj, initial));
      else if (old.metadata.resourceVersion !== obj.metadata.resourceVersion) {
        this.emit((h) => h.onUpdate?.(old, obj));
      }
    }
    this.resourceVersion = resourceVersion;
    this.relistDue = false;
    this.opts.metrics?.relists.inc({ resource: this.label });
    this.opts.logger.debug({ resource: this.label, items: items.size, resourceVersion }, 'listed');
    if (!this.hasSynced) {
      this.hasSynced = true;
      this.syncedResolve();
    }
  }

  private async watch(): Promise<void> {
    const [min, max] = this.opts.watchTimeoutSeconds ?? [300, 600];
    const timeoutSeconds = Math.round(min + Math.random() * (max - min));
    const inactivityMs = this.opts.inactivityMs ?? (timeoutSeconds + 30) * 1000;
    const abort = new AbortController();
    this.watchAbort = abort;
    let watchdog = setTimeout(() => abort.abort(new WatchInterrupted('inactive')), inactivityMs);
    let failure: Error | undefined;
    try {
      await this.opts.client.stream(
        {
          path: collectionPath(this.opts.resource, this.opts.namespace),
          query: {
            watch: 1,
            resourceVersion: this.resourceVersion,
            allowWatchBookmarks: true,
            timeoutSeconds,
            labelSelector: this.opts.labelSelector,
          },
          ...(this.opts.metadataOnly ? { accept: METADATA_ONLY.watch } : {}),
          signal: abort.signal,
        },
        (line) => {
          clearTimeout(watchdog);
          watchdog = setTimeout(() => abort.abort(new WatchInterrupted('inactive')), inactivityMs);
          if (failure || line.trim() === '') return;
          try {
            this.apply(line);
          } catch (err) {
            failure = toError(err);
            abort.abort(failure);
          }
        },
      );
    } catch (err) {
      throw abort.signal.aborted && abort.signal.reason instanceof Error ? abort.signal.reason : err;
    } finally {
      clearTimeout(watchdog);
      this.watchAbort = undefined;
    }
    if (failure) throw failure;
    if (abort.signal.aborted && abort.signal.reason instanceof Error) throw abort.signal.reason;
  }

  private apply(line: string): void {
    let event: WatchEvent<T>;
    try {
      event = JSON.parse(line) as WatchEvent<T>;
    } catch {
      return this.malformed(line, 'not JSON');
    }
    const { type, object } = event ?? {};
    if (type === 'ERROR') {
      if (object?.code === 410) throw new GoneError(object.message ?? 'resourceVersion too old');
      throw new ApiError('WATCH', this.label, object?.code ?? 500, object);
    }
    if (typeof object?.metadata?.resourceVersion !== 'string')
      return this.malformed(line, 'no resourceVersion');
    if (type === 'BOOKMARK') {
      this.resourceVersion = object.metadata.resourceVersion;
      return;
    }
    if (typeof object.metadata.name !== 'string') return this.malformed(line, 'no metadata.name');
    this.opts.metrics?.watchEvents.inc({ resource: this.label, type });
    const obj = this.normalize(object);
    const key = keyOf(obj.metadata);
    const old = this.cache.get(key);
    if (type === 'DELETED') {
      this.cache.delete(key);
      this.emit((h) => h.onDelete?.(old ?? obj));
    } else if (type === 'ADDED' || type === 'MODIFIED') {
      this.cache.set(key, obj);
      if (old) this.emit((h) => h.onUpdate?.(old, obj));
      else this.emit((h) => h.onAdd?.(obj, false));
    } else {
      return this.malformed(line, `unknown event type ${String(type)}`);
    }
    this.resourceVersion = obj.metadata.resourceVersion;
  }

  private malformed(line: string, why: string): never {
    this.opts.logger.warn(
      { resource: this.label, why, line: line.slice(0, 200) },
      'malformed watch event; relisting so nothing is missed',
    );
    throw new WatchInterrupted('malformed');
  }

  private normalize(item: T): T {
    const { managedFields: _dropped, ...metadata } = item.metadata;
    const obj = {
      ...item,
      apiVersion: item.apiVersion ?? apiVersionOf(this.opts.resource),
      kind: item.kind ?? this.opts.resource.kind,
      metadata,
    };
    return this.opts.transform ? this.opts.transform(obj) : obj;
  }

  private emit(call: (h: InformerHandler<T>) => void): void {
    for (const h of this.handlers) {
      try {
        call(h);
      } catch (err) {
        this.opts.logger.error({ resource: this.label, err: toError(err) }, 'informer handler threw');
      }
    }
  }
}
