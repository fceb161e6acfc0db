/**
 * Keeps the node's nftables table in step with the cluster: watches Pods, Namespaces and
 * NetworkPolicies, and after a change (debounced, so a burst of events is one write) compiles the
 * whole table from the caches and writes it when it differs from the one in place. A failed write
 * is retried with backoff and turns the health check red until one succeeds.
 */
import type { V1Namespace, V1Pod } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import { Backoff } from '../../../operator/src/reconciler/backoff.js';
import { toError } from '../../../operator/src/reconciler/errors.js';
import { Informer } from '../../../operator/src/reconciler/informer.js';
import type { KubeClient } from '../../../operator/src/reconciler/kube-client.js';
import { CORE, type KubeObject, type Resource } from '../../../operator/src/reconciler/resource.js';
import type { NetworkPolicy } from './network-policy.js';
import { compileRuleset, type RulesetOptions } from './ruleset.js';

const PODS: Resource = { group: '', version: 'v1', plural: 'pods', kind: 'Pod', namespaced: true };
const NETWORK_POLICIES: Resource = {
  group: 'networking.k8s.io',
  version: 'v1',
  plural: 'networkpolicies',
  kind: 'NetworkPolicy',
  namespaced: true,
};

export interface EnforcerOptions {
  client: KubeClient;
  logger: Logger;
  ruleset: RulesetOptions;
  /** Writes the compiled table (nft in the node's network namespace). */
  apply: (ruleset: string) => Promise<void>;
  /** Changes arriving this long after the first one go into the same write. */
  debounceMs: number;
  /** Whether the table is still there (nft in the node's network namespace). */
  tableExists: () => Promise<boolean>;
  /**
   * How often to look. Deleting the node's namespace takes the table with it unannounced, e.g. a
   * cluster-down that left the enforcer running; a namespace made anew must not stay unfiltered.
   */
  checkEveryMs: number;
}

export interface EnforcerHealth {
  healthy: boolean;
  detail: string;
}

export class Enforcer {
  private readonly pods: Informer<KubeObject>;
  private readonly namespaces: Informer<KubeObject>;
  private readonly policies: Informer<KubeObject>;
  private readonly retry = new Backoff(500, 30_000);
  private synced = false;
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;
  private checker: NodeJS.Timeout | undefined;
  /** When the oldest change not yet in the table arrived. */
  private changedAt: number | undefined;
  private writes: Promise<void> = Promise.resolve();
  private applied: string | undefined;
  private failure: Error | undefined;

  constructor(private readonly opts: EnforcerOptions) {
    const informer = (resource: Resource) => {
      const i = new Informer<KubeObject>({ client: opts.client, resource, logger: opts.logger });
      const changed = () => this.changed();
      i.addHandler({ onAdd: changed, onUpdate: changed, onDelete: changed });
      return i;
    };
    this.pods = informer(PODS);
    this.namespaces = informer(CORE.namespace);
    this.policies = informer(NETWORK_POLICIES);
  }

  /** Resolves once the caches are filled and the first table is written (or failed and is being retried). */
  async start(): Promise<void> {
    const informers = [this.pods, this.namespaces, this.policies];
    for (const i of informers) i.start();
    await Promise.all(informers.map((i) => i.synced));
    this.synced = true;
    this.changedAt = performance.now();
    await this.enqueueSync();
    this.checker = setInterval(() => void this.checkTable(), this.opts.checkEveryMs);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    clearInterval(this.checker);
    await Promise.all([this.pods.stop(), this.namespaces.stop(), this.policies.stop()]);
    await this.writes;
  }

  health(): EnforcerHealth {
    if (!this.synced) return { healthy: false, detail: 'listing pods, namespaces and network policies' };
    if (this.failure) return { healthy: false, detail: `the last write failed: ${this.failure.message}` };
    if (this.applied === undefined) return { healthy: false, detail: 'writing the first table' };
    return { healthy: true, detail: 'ok' };
  }

  private async checkTable(): Promise<void> {
    if (this.applied === undefined || this.stopped) return;
    let exists: boolean;
    try {
      exists = await this.opts.tableExists();
    } catch (err) {
      this.opts.logger.warn({ err: toError(err).message }, 'could not look for the NetworkPolicy table');
      return;
    }
    if (exists) return;
    this.opts.logger.warn(
      'the NetworkPolicy table is gone (was the node network namespace made anew?); writing it again',
    );
    this.applied = undefined;
    this.changed();
  }

  private changed(): void {
    // Before the caches are filled, the first sync in start() covers every change.
    if (!this.synced) return;
    this.changedAt ??= performance.now();
    this.schedule(this.opts.debounceMs);
  }

  private schedule(delayMs: number): void {
    if (this.timer || this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.enqueueSync();
    }, delayMs);
  }

  /** Writes never overlap: each waits for the one before it. */
  private enqueueSync(): Promise<void> {
    this.writes = this.writes.then(() => this.sync());
    return this.writes;
  }

  private async sync(): Promise<void> {
    if (this.stopped || this.changedAt === undefined) return;
    const since = this.changedAt;
    this.changedAt = undefined;
    const state = {
      pods: this.pods.list() as V1Pod[],
      namespaces: this.namespaces.list() as V1Namespace[],
      policies: this.policies.list() as NetworkPolicy[],
    };
    let ruleset = '';
    const started = performance.now();
    try {
      ruleset = compileRuleset(state, this.opts.ruleset);
      if (ruleset === this.applied) {
        this.failure = undefined;
        return;
      }
      await this.opts.apply(ruleset);
    } catch (thrown) {
      const err = toError(thrown);
      this.failure = err;
      this.changedAt ??= since;
      const retryInMs = this.retry.next();
      this.opts.logger.error(
        { code: (err as { code?: string }).code, err: err.message, retryInMs, ruleset },
        'could not write the NetworkPolicy table; retrying',
      );
      this.schedule(retryInMs);
      return;
    }
    this.applied = ruleset;
    this.failure = undefined;
    this.retry.reset();
    const done = performance.now();
    this.opts.logger.info(
      {
        pods: state.pods.length,
        policies: state.policies.length,
        bytes: ruleset.length,
        nftMs: Math.round(done - started),
        latencyMs: Math.round(done - since),
      },
      'NetworkPolicy table written',
    );
  }
}
