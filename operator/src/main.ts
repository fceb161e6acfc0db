import { KubeConfig } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import { Registry, collectDefaultMetrics } from 'prom-client';
import { parseDuration } from './api/duration.js';
import type { VibeEnvironment } from './api/vibe-environment.js';
import { ConfigError, type Config } from './config.js';
import { createPlanner } from './create-planner.js';
import {
  planChecks,
  type ChecksFor,
  AttemptStore,
  clusterRuntime,
  environmentHandlers,
  FINALIZER,
  VIBE_ENVIRONMENT,
  environmentSettings,
  previewGatewayParent,
  RolloutWatch,
} from './environment/index.js';
import { checkPreviewGateway, PreviewGatewayError } from './preview-router/gateway-check.js';
import { PreviewRouter } from './preview-router/router.js';
import { Activator } from './activator/index.js';
import type { GatewayParent } from './policy/index.js';
import { sleep } from './reconciler/backoff.js';
import { Controller } from './reconciler/controller.js';
import { EventRecorder } from './reconciler/events.js';
import { Informer } from './reconciler/informer.js';
import { KubeClient } from './reconciler/kube-client.js';
import { LeaderElector } from './reconciler/leader-election.js';
import { createControllerMetrics } from './reconciler/metrics.js';
import { ObjectWriter } from './reconciler/object-writer.js';
import { keyOf } from './reconciler/resource.js';
import { RestMapper } from './reconciler/rest-mapper.js';
import { ScheduleController } from './schedule/schedule-controller.js';
import { startHealthServer } from './server/http-server.js';
import type { McpEndpoint } from './mcp/http.js';
import { createExecutor } from './sandbox/create-executor.js';
import type { SandboxExecutor } from './sandbox/types.js';

export interface RunningOperator {
  /** The port /metrics, /healthz and /readyz are served on. */
  port: number;
  /** Resolves when the operator lost its lease and must exit. */
  lostLeadership: Promise<void>;
  /** Stops taking work, drains handlers in flight, releases the lease. */
  stop(): Promise<void>;
}

/** Wires the operator together from a validated config. Wiring only; each part lives in its own module. */
export async function startOperator(config: Config, logger: Logger): Promise<RunningOperator> {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const metrics = createControllerMetrics(registry);
  const kubeConfig = new KubeConfig();
  if (config.kubeconfig) kubeConfig.loadFromFile(config.kubeconfig);
  else kubeConfig.loadFromDefault();
  const client = new KubeClient(kubeConfig, metrics);
  // Before anything listens, so a missing Gateway API ends start-up cleanly.
  const gateway = previewGatewayParent(config);
  if (gateway) await checkGateway(client, gateway, logger);
  /** Ends waiting (for the lease, for the caches) at once on stop. */
  const stopping = new AbortController();
  /** Aborts the handlers still running when the shutdown grace period ends. */
  const handlersAbort = new AbortController();
  /** Keeps the lease renewed until the handlers in flight are drained. */
  const renewing = new AbortController();
  let ready = false;
  const graceMs = parseDuration(config.shutdownGrace);
  const mcp = config.mcp ? await mcpHttp(config, kubeConfig, client, logger) : undefined;
  const server = await startHealthServer(
    { registry, ready: () => ready, logger, ...(mcp ? { routes: mcp.router } : {}) },
    config.metricsPort,
    config.bindAddress,
  );

  const mapper = new RestMapper(client);
  // Requests through the operator's preview router keep environments awake (ADR 0097); the
  // activator holds those for sleeping environments while they wake (ADR 0096).
  const activator = config.previewRouter
    ? new Activator({ client, logger: logger.child({ component: 'activator' }) })
    : undefined;
  const router = config.previewRouter ? previewRouter(config, client, logger, gateway, activator) : undefined;
  /** Released last on stop: the sandbox executor's warm pool, once no handler can plan any more. */
  const releases: (() => Promise<void>)[] = [];
  const releaseAll = () => Promise.all(releases.map((release) => release()));
  let wiring: PlanningWiring;
  try {
    wiring = await wirePlanning(config, {
      client,
      mapper,
      kubeConfig,
      logger,
      registry,
      router,
      onStop: (release) => releases.push(release),
    });
  } catch (err) {
    // A bad model or policy setting ends start-up: close what listens so the process can exit.
    await releaseAll();
    await router?.stop();
    await mcp?.close();
    await server.close();
    client.close();
    throw err;
  }
  const { settings, runtime, store, planner, checks } = wiring;
  logger.info(
    {
      planner: planner.id,
      executor: config.executor,
      ...(config.executor === 'pod' ? { sandboxNamespace: config.sandboxNamespace } : {}),
    },
    'planner ready',
  );
  const informer = new Informer<VibeEnvironment>({
    client,
    resource: VIBE_ENVIRONMENT,
    logger,
    metrics,
    ...(config.namespace ? { namespace: config.namespace } : {}),
    ...(config.labelSelector ? { labelSelector: config.labelSelector } : {}),
  });
  // Preview host claims are cluster-wide: the informer above serves them when it sees the whole cluster.
  const claims =
    config.namespace || config.labelSelector ? hostClaimInformer(client, logger, metrics) : informer;
  // Wakes the controller below; its queue exists once the controller does, before any watch starts.
  const rollouts = new RolloutWatch({ client, logger, metrics, wake: (key) => controller.queue.add(key) });
  const handlers = environmentHandlers({
    client,
    mapper,
    planner,
    checks,
    store,
    runtime,
    settings,
    now: Date.now,
    rollouts,
    environments: claims,
    ...(activator ? { activity: activator.activity } : {}),
  });
  const controller = new Controller<VibeEnvironment>({
    name: 'vibeenvironment',
    informer,
    logger,
    metrics,
    concurrency: config.concurrency,
    ignoreUpdate: (_old, obj) => handlers.isOwnEcho(keyOf(obj.metadata), obj),
    reconcile: handlers.reconciler({
      controller: 'vibeenvironment',
      finalizer: FINALIZER,
      get: (key) => informer.get(key),
      writer: new ObjectWriter<VibeEnvironment>(client, VIBE_ENVIRONMENT, config.fieldManager),
      events: new EventRecorder(client, config.fieldManager, logger),
      logger,
      metrics,
      shutdown: handlersAbort.signal,
    }),
  });
  const schedules = new ScheduleController({
    client,
    logger,
    metrics,
    fieldManager: config.fieldManager,
    concurrency: config.concurrency,
    ...(config.namespace ? { namespace: config.namespace } : {}),
    ...(config.labelSelector ? { labelSelector: config.labelSelector } : {}),
  });

  let lost: () => void = () => {};
  const lostLeadership = new Promise<void>((resolve) => (lost = resolve));
  const elector = config.leaderElect
    ? new LeaderElector({
        client,
        namespace: config.leaderElectionNamespace,
        name: config.leaderElectionId,
        identity: config.identity,
        logger,
        metrics,
      })
    : undefined;

  const started = (async () => {
    if (elector) {
      ready = true;
      logger.info(
        { lease: config.leaderElectionId, identity: config.identity },
        'waiting to become the leader',
      );
      if (!(await elector.acquire(stopping.signal))) return;
      void elector.keepRenewing(renewing.signal).then((kept) => kept || lost());
    }
    ready = false;
    informer.start();
    claims.start();
    rollouts.start();
    await Promise.race([
      Promise.all([informer.synced, claims.synced, rollouts.synced]),
      sleep(2 ** 31 - 1, stopping.signal),
    ]);
    if (stopping.signal.aborted) return;
    controller.start();
    await schedules.start(stopping.signal);
    ready = true;
    logger.info({ objects: informer.size }, 'caches synced; reconciling');
  })();

  return {
    port: server.port,
    lostLeadership,
    async stop() {
      stopping.abort();
      await started;
      const grace = setTimeout(() => {
        logger.warn({ graceMs }, 'handlers still running at the end of the grace period; aborting them');
        handlersAbort.abort(new Error('the operator is shutting down'));
      }, graceMs);
      await controller.stop();
      await schedules.stop();
      clearTimeout(grace);
      handlersAbort.abort(new Error('the operator is shutting down'));
      await releaseAll();
      await informer.stop();
      await claims.stop();
      await rollouts.stop();
      await router?.stop();
      await mcp?.close();
      renewing.abort();
      await elector?.release();
      await server.close();
      client.close();
    },
  };
}

/**
 * Every VibeEnvironment in the cluster, cut down to what a preview host claim reads (names,
 * creation and deletion times, spec.preview), for an operator whose own informer watches a part.
 */
function hostClaimInformer(
  client: KubeClient,
  logger: Logger,
  metrics: ReturnType<typeof createControllerMetrics>,
): Informer<VibeEnvironment> {
  return new Informer<VibeEnvironment>({
    client,
    resource: VIBE_ENVIRONMENT,
    logger,
    metrics,
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

/**
 * The /mcp endpoint: callers' identities by TokenReview, Code Mode programs in the configured sandbox.
 * Its module (the MCP SDK, JSON-schema validation) is imported only when the config turns it on.
 */
async function mcpHttp(
  config: Config,
  kubeConfig: KubeConfig,
  client: KubeClient,
  logger: Logger,
): Promise<McpEndpoint> {
  const { mcpEndpoint } = await import('./mcp/http.js');
  let executor: Promise<SandboxExecutor> | undefined;
  const openExecutor = () =>
    (executor ??= createExecutor(config.executor, process.env, {
      kubeConfig,
      sandboxNamespace: config.sandboxNamespace,
      ...(config.sandboxImage ? { sandboxImage: config.sandboxImage } : {}),
    }).catch((error: unknown) => {
      executor = undefined;
      throw error;
    }));
  logger.info(
    { readOnly: config.mcpReadOnly, noDestructive: config.mcpNoDestructive },
    'serving MCP at /mcp',
  );
  return mcpEndpoint({
    kubeConfig,
    kube: client,
    mode: { readOnly: config.mcpReadOnly, noDestructive: config.mcpNoDestructive },
    executor: openExecutor,
    allowedHosts: config.mcpAllowedHosts.split(','),
    logger: logger.child({ component: 'mcp' }),
  });
}

interface PlanningWiring {
  settings: ReturnType<typeof environmentSettings>;
  runtime: ReturnType<typeof clusterRuntime>;
  store: AttemptStore;
  planner: Awaited<ReturnType<typeof createPlanner>>;
  checks: ChecksFor;
}

/** Starts the preview router (its URL is part of the settings) and builds the planner on top. */
async function wirePlanning(
  config: Config,
  o: {
    client: KubeClient;
    mapper: RestMapper;
    kubeConfig: KubeConfig;
    logger: Logger;
    registry: Registry;
    router: PreviewRouter | undefined;
    onStop: (release: () => Promise<void>) => void;
  },
): Promise<PlanningWiring> {
  const { policy } = config;
  const routerUrl = o.router ? (await o.router.start()).url : undefined;
  const settings = environmentSettings(config, routerUrl, policy);
  const runtime = clusterRuntime({
    client: o.client,
    mapper: o.mapper,
    fieldManager: config.fieldManager,
    isolation: settings.isolation,
    preview: settings.preview,
  });
  const store = new AttemptStore(o.client, o.mapper, config.fieldManager);
  const checks = planChecks({ policy, settings, ...(config.serverDryRun ? { runtime } : {}) });
  const planner = await createPlanner({
    config,
    logger: o.logger,
    registry: o.registry,
    store,
    policy,
    kubeConfig: o.kubeConfig,
    checks,
    onStop: o.onStop,
  });
  return { settings, runtime, store, planner, checks };
}

async function checkGateway(client: KubeClient, gateway: GatewayParent, logger: Logger): Promise<void> {
  try {
    for (const warning of await checkPreviewGateway(client, gateway)) logger.warn({ gateway }, warning);
  } catch (err) {
    if (err instanceof PreviewGatewayError) throw new ConfigError(`previewGateway: ${err.message}`);
    throw err;
  }
}

function previewRouter(
  config: Config,
  client: KubeClient,
  logger: Logger,
  gateway: GatewayParent | undefined,
  activator: Activator | undefined,
): PreviewRouter {
  const colon = config.previewRouterAddress.lastIndexOf(':');
  return new PreviewRouter({
    client,
    logger: logger.child({ component: 'preview-router' }),
    ingressClassName: config.previewIngressClass,
    ...(gateway ? { gateway } : {}),
    host: config.previewRouterAddress.slice(0, colon),
    port: Number(config.previewRouterAddress.slice(colon + 1)),
    ...(activator ? { activator } : {}),
  });
}
