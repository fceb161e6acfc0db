import type { Logger } from 'pino';
import type { DiffEntry } from './diff.js';
import type { EventType } from './events.js';
import type { KubeObject } from './resource.js';

export type Cause = 'create' | 'update' | 'delete' | 'resume' | 'timer' | 'reconcile';

/** An object the framework manages: it must carry a status it can write progress into. */
export type Managed = KubeObject & { status?: object };
export type StatusOf<T extends Managed> = NonNullable<T['status']> & Record<string, unknown>;

export interface HandlerContext<T extends Managed> {
  cause: Cause;
  /** The object as last seen, after the framework's own changes (finalizer). */
  object: T;
  /** For update and field handlers: the object's spec/labels/annotations as last handled, when known. */
  old?: Pick<T, 'metadata'> & Record<string, unknown>;
  diff?: DiffEntry[];
  /** How many times this handler failed before for the current cause. */
  retry: number;
  /** Aborted when the handler's timeout ends or the operator shuts down. */
  signal: AbortSignal;
  logger: Logger;
  /**
   * The status the framework will write once the handler returns. Mutate it;
   * it is written by server-side apply only when it differs from the stored one.
   */
  status: StatusOf<T>;
  /**
   * Writes the status as it stands now (it is copied at the call), for a handler that shows its
   * phase while it works on; what changes after it is written once the handler returns, as ever.
   */
  writeStatus(): Promise<void>;
  event(type: EventType, reason: string, message: string): Promise<void>;
  /** Ask to be reconciled again after ms even when nothing changes (e.g. a TTL). */
  requeueAfter(ms: number): void;
}

export type HandlerFn<T extends Managed> = (ctx: HandlerContext<T>) => Promise<void> | void;

export interface HandlerOptions {
  /** Failures tolerated before the handler is marked failed for good; unlimited when undefined. */
  retries?: number;
  /** After this long the handler is abandoned and retried. */
  timeoutMs?: number;
  /**
   * False for a handler whose rerun is free and harmless (no side effects):
   * its success is not written to status before the next handler starts,
   * saving a write per object.
   */
  checkpoint?: boolean;
}

export interface HandlerSpec<T extends Managed> extends HandlerOptions {
  id: string;
  fn: HandlerFn<T>;
  /** Field handlers: the dotted path whose change triggers the handler. */
  field?: string;
  /** Timer handlers: how often the handler runs while the object exists. */
  intervalMs?: number;
}
