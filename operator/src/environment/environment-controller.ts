import type { Logger } from 'pino';
import type { VibeEnvironment } from '../api/vibe-environment.js';
import { sleep } from '../reconciler/backoff.js';
import type { Controller } from '../reconciler/controller.js';
import type { ControllerScope } from '../reconciler/handlers.js';
import { Informer } from '../reconciler/informer.js';
import type { KubeClient } from '../reconciler/kube-client.js';
import type { ControllerMetrics } from '../reconciler/metrics.js';
import type { RestMapper } from '../reconciler/rest-mapper.js';
import type { EnvironmentRuntime } from './cluster/index.js';
import { environmentHandlers, FINALIZER } from './handlers.js';
import type { AttemptStore, ChecksFor, Planner } from './planning/index.js';
import { RolloutWatch } from './readiness/index.js';
import { VIBE_ENVIRONMENT } from './resource.js';
import type { EnvironmentSettings } from './settings.js';
import type { PreviewActivity } from './sleep/index.js';

export const ENVIRONMENT_CONTROLLER = 'vibeenvironment';

export interface EnvironmentControllerOptions extends ControllerScope {
  mapper: RestMapper;
  planner: Planner;
  checks: ChecksFor;
  store: AttemptStore;
  runtime: EnvironmentRuntime;
  settings: EnvironmentSettings;
  /** Requests seen through the preview, for spec.sleep.afterIdle. */
  activity?: PreviewActivity;
  /**
   * Aborts the handlers still running. Start-up owns it: handlers in flight get the shutdown grace
   * period to finish before it aborts them.
   */
  shutdown: AbortSignal;
  /** The clock TTLs and sleep windows are read from; tests move it forward. */
  now?: () => number;
}

/**
 * The VibeEnvironment controller: the informer of the environments this operator handles, one of
 * every environment for preview host claims (the same informer when it sees the whole cluster),
 * the rollout watch that wakes an environment whose workloads changed, and the framework's
 * controller running the lifecycle handlers.
 */
export class EnvironmentController {
  readonly controller: Controller<VibeEnvironment>;
  private readonly environments: Informer<VibeEnvironment>;
  private readonly claims: Informer<VibeEnvironment>;
  private readonly rollouts: RolloutWatch;

  constructor(opts: EnvironmentControllerOptions) {
    const { client, logger, metrics } = opts;
    this.environments = new Informer<VibeEnvironment>({
      client,
      resource: VIBE_ENVIRONMENT,
      logger,
      ...(metrics ? { metrics } : {}),
      ...(opts.namespace ? { namespace: opts.namespace } : {}),
      ...(opts.labelSelector ? { labelSelector: opts.labelSelector } : {}),
    });
    // Preview host claims are cluster-wide: the informer above serves them when it sees the whole cluster.
    this.claims =
      opts.namespace || opts.labelSelector ? hostClaimInformer(client, logger, metrics) : this.environments;
    // Wakes the controller below; its queue exists once the controller does, before any watch starts.
    this.rollouts = new RolloutWatch({
      client,
      logger,
      ...(metrics ? { metrics } : {}),
      wake: (key) => this.controller.queue.add(key),
    });
    const handlers = environmentHandlers({
      client,
      mapper: opts.mapper,
      planner: opts.planner,
      checks: opts.checks,
      store: opts.store,
      runtime: opts.runtime,
      settings: opts.settings,
      now: opts.now ?? Date.now,
      rollouts: this.rollouts,
      environments: this.claims,
      ...(opts.activity ? { activity: opts.activity } : {}),
    });
    this.controller = handlers.controller({
      ...opts,
      name: ENVIRONMENT_CONTROLLER,
      finalizer: FINALIZER,
      informer: this.environments,
      resource: VIBE_ENVIRONMENT,
    });
  }

  /** How many environments the cache holds. */
  get size(): number {
    return this.environments.size;
  }

  /** Fills the caches, then starts reconciling; resolves early, without reconciling, when signal aborts. */
  async start(signal: AbortSignal): Promise<void> {
    this.environments.start();
    this.claims.start();
    this.rollouts.start();
    await Promise.race([
      Promise.all([this.environments.synced, this.claims.synced, this.rollouts.synced]),
      sleep(2 ** 31 - 1, signal),
    ]);
    if (!signal.aborted) this.controller.start();
  }

  /**
   * Stops taking work, waits for the reconciles in flight (until `shutdown` aborts them), closes
   * the watches.
   */
  async stop(): Promise<void> {
    await this.controller.stop();
    await this.environments.stop();
    await this.claims.stop();
    await this.rollouts.stop();
  }
}

/**
 * Every VibeEnvironment in the cluster, cut down to what a preview host claim reads (names,
 * creation and deletion times, spec.preview), for an operator whose own informer watches a part.
 */
function hostClaimInformer(
  client: KubeClient,
  logger: Logger,
  metrics: ControllerMetrics | undefined,
): Informer<VibeEnvironment> {
  return new Informer<VibeEnvironment>({
    client,
    resource: VIBE_ENVIRONMENT,
    logger,
    ...(metrics ? { metrics } : {}),
    transform: ({ apiVersion, kind, metadata, spec }) => ({
      apiVersion,
      kind,
      metadata: {
        name: metadata.name,
        namespace: metadata.namespace,
        uid: metadata.uid,
        resourceVersion: metadata.resourceVersion,
        creationTimestamp: metadata.creationTimestamp,
        ...(metadata.deletionTimestamp ? { deletionTimestamp: metadata.deletionTimestamp } : {}),
      },
      spec: { preview: spec.preview } as VibeEnvironment['spec'],
    }),
  });
}
