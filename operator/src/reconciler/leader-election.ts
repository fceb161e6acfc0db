import type { Logger } from 'pino';
import { sleep } from './backoff.js';
import { isApiError, toError } from './errors.js';
import type { KubeClient } from './kube-client.js';
import type { ControllerMetrics } from './metrics.js';
import { CORE, collectionPath, objectPath } from './resource.js';

export interface LeaderElectionOptions {
  client: KubeClient;
  namespace: string;
  name: string;
  identity: string;
  logger: Logger;
  metrics?: Pick<ControllerMetrics, 'leader'>;
  leaseDurationMs?: number;
  renewDeadlineMs?: number;
  retryPeriodMs?: number;
}

interface Lease {
  metadata: { name: string; namespace: string; resourceVersion?: string };
  spec?: {
    holderIdentity?: string;
    leaseDurationSeconds?: number;
    acquireTime?: string;
    renewTime?: string;
    leaseTransitions?: number;
  };
}

/**
 * Lease-based leader election with client-go's timing (15 s lease, 10 s renew
 * deadline, 2 s retry). Expiry is judged by this process's own clock from the
 * moment it last saw the lease change, never by comparing clocks across
 * machines. Every write carries the resourceVersion it read, so two
 * candidates can never both win.
 */
export class LeaderElector {
  private readonly leaseDurationMs: number;
  private readonly renewDeadlineMs: number;
  private readonly retryPeriodMs: number;
  private observed: { record: string; at: number } | undefined;
  private leading = false;

  constructor(private readonly opts: LeaderElectionOptions) {
    this.leaseDurationMs = opts.leaseDurationMs ?? 15_000;
    this.renewDeadlineMs = opts.renewDeadlineMs ?? 10_000;
    this.retryPeriodMs = opts.retryPeriodMs ?? 2_000;
  }

  get isLeader(): boolean {
    return this.leading;
  }

  /** Resolves once this process holds the lease (or the signal aborts, then false). */
  async acquire(signal: AbortSignal): Promise<boolean> {
    this.opts.metrics?.leader.set({ name: this.opts.name }, 0);
    while (!signal.aborted) {
      if (await this.tryAcquireOrRenew()) {
        this.leading = true;
        this.opts.metrics?.leader.set({ name: this.opts.name }, 1);
        this.opts.logger.info({ lease: this.opts.name, identity: this.opts.identity }, 'became the leader');
        return true;
      }
      await sleep(this.retryPeriodMs * (1 + Math.random() * 0.2), signal);
    }
    return false;
  }

  /**
   * Renews every retry period until the signal aborts (resolves true) or a
   * renewal could not succeed within the renew deadline (resolves false: the
   * caller must stop acting as leader at once).
   */
  async keepRenewing(signal: AbortSignal): Promise<boolean> {
    let lastRenew = Date.now();
    while (!signal.aborted) {
      await sleep(this.retryPeriodMs, signal);
      if (signal.aborted) break;
      if (await this.tryAcquireOrRenew()) {
        lastRenew = Date.now();
      } else if (Date.now() - lastRenew > this.renewDeadlineMs) {
        this.leading = false;
        this.opts.metrics?.leader.set({ name: this.opts.name }, 0);
        this.opts.logger.error({ lease: this.opts.name }, 'lost the lease: could not renew it in time');
        return false;
      }
    }
    return true;
  }

  /** Gives the lease up so a standby takes over at once instead of after the lease time. */
  async release(): Promise<void> {
    if (!this.leading) return;
    this.leading = false;
    this.opts.metrics?.leader.set({ name: this.opts.name }, 0);
    try {
      const lease = await this.get();
      if (lease?.spec?.holderIdentity !== this.opts.identity) return;
      await this.put({
        ...lease,
        spec: {
          ...lease.spec,
          holderIdentity: '',
          leaseDurationSeconds: 1,
          renewTime: microTime(new Date()),
        },
      });
      this.opts.logger.info({ lease: this.opts.name }, 'released the lease');
    } catch (err) {
      this.opts.logger.warn({ err: toError(err).message }, 'could not release the lease');
    }
  }

  private async tryAcquireOrRenew(): Promise<boolean> {
    const now = new Date();
    const mine = {
      holderIdentity: this.opts.identity,
      leaseDurationSeconds: Math.ceil(this.leaseDurationMs / 1000),
      renewTime: microTime(now),
    };
    try {
      const lease = await this.get();
      if (!lease) {
        await this.opts.client.request({
          method: 'POST',
          path: collectionPath(CORE.lease, this.opts.namespace),
          body: {
            apiVersion: 'coordination.k8s.io/v1',
            kind: 'Lease',
            metadata: { name: this.opts.name, namespace: this.opts.namespace },
            spec: { ...mine, acquireTime: microTime(now), leaseTransitions: 0 },
          },
        });
        return true;
      }
      const spec = lease.spec ?? {};
      const record = JSON.stringify([spec.holderIdentity, spec.renewTime, spec.leaseDurationSeconds]);
      if (this.observed?.record !== record) this.observed = { record, at: Date.now() };
      const held = spec.holderIdentity && spec.holderIdentity !== this.opts.identity;
      const expired = this.observed.at + (spec.leaseDurationSeconds ?? 15) * 1000 < Date.now();
      if (held && !expired) return false;
      const takingOver = spec.holderIdentity !== this.opts.identity;
      await this.put({
        ...lease,
        spec: {
          ...spec,
          ...mine,
          acquireTime: takingOver ? microTime(now) : (spec.acquireTime ?? microTime(now)),
          leaseTransitions: (spec.leaseTransitions ?? 0) + (takingOver && spec.holderIdentity ? 1 : 0),
        },
      });
      return true;
    } catch (err) {
      if (!isApiError(err, 409)) this.opts.logger.warn({ err: toError(err).message }, 'lease update failed');
      return false;
    }
  }

  private async get(): Promise<Lease | undefined> {
    try {
      return await this.opts.client.request<Lease>({
        method: 'GET',
        path: objectPath(CORE.lease, this.opts.namespace, this.opts.name),
      });
    } catch (err) {
      if (isApiError(err, 404)) return undefined;
      throw err;
    }
  }

  private async put(lease: Lease): Promise<void> {
    await this.opts.client.request({
      method: 'PUT',
      path: objectPath(CORE.lease, this.opts.namespace, this.opts.name),
      body: { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', ...lease },
    });
  }
}

/** metav1.MicroTime: RFC 3339 with exactly six fractional digits. */
function microTime(date: Date): string {
  return date.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}
