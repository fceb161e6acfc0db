import { KubeConfig } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import { Registry, collectDefaultMetrics } from 'prom-client';
import { parseDuration } from './api/duration.js';
import { ConfigError, type Config } from './config.js';
import { createPlanner } from './create-planner.js';
import {
  planChecks,
  type ChecksFor,
  AttemptStore,
  clusterRuntime,
  EnvironmentController,
  environmentSettings,
  previewGatewayParent,
  writtenApiVersions,
} from './environment/index.js';
import { checkPreviewGateway, PreviewGatewayError } from './preview-router/gateway-check.js';
import { PreviewRouter } from './preview-router/router.js';
import {
  Activator,
  ActivatorHosts,
  ControllerActivator,
  ControllerTraffic,
  RequestActivity,
} from './activator/index.js';
import type { GatewayParent } from './policy/index.js';
import { KubeClient } from './reconciler/kube-client.js';
import { LeaderElector } from './reconciler/leader-election.js';
import { createControllerMetrics, type ControllerMetrics } from './reconciler/metrics.js';
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
  const { registry, metrics, kubeConfig, client } = connect(config);
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

  const { activator, router } = config.previewRouter
    ? previewRouter(config, client, logger, gateway)
    : { activator: undefined, router: undefined };
  const traffic = config.previewControllerMetrics
    ? new ControllerTraffic({
        url: config.previewControllerMetrics,
        client,
        activity: new RequestActivity(),
        logger: logger.child({ component: 'controller-traffic' }),
      })
    : undefined;
  const activity = activator?.activity ?? traffic?.activity;
  const controllerActivator = config.activatorEndpoint
    ? activatorForController(config, client, logger, activity)
    : undefined;
  /** Released last on stop: the sandbox executor's warm pool, once no handler can plan any more. */
  const releases: (() => Promise<void>)[] = [];
  let lost: () => void = () => {};
  const lostLeadership = new Promise<void>((resolve) => (lost = resolve));
  const elector = config.leaderElect ? leaderElector(config, client, logger, metrics) : undefined;
  /** Closes, in order, what outlives the controllers: the executor's pool, listeners, lease, client. */
  const closeAll = async () => {
    await Promise.all(releases.map((release) => release()));
    await router?.stop();
    traffic?.stop();
    await controllerActivator?.stop();
    await mcp?.close();
    renewing.abort();
    await elector?.release();
    await server.close();
    client.close();
  };
  let wiring: PlanningWiring;
  try {
    await controllerActivator?.start();
    traffic?.start();
    wiring = await wirePlanning(config, {
      client,
      kubeConfig,
      logger,
      registry,
      router,
      onStop: (release) => releases.push(release),
    });
  } catch (err) {
    // A bad model or policy setting ends start-up: close what listens so the process can exit.
    await closeAll();
    throw err;
  }
  const { environments, schedules } = controllers(config, wiring, {
    client,
    logger,
    metrics,
    activity,
    shutdown: handlersAbort.signal,
  });

  const started = lead(config, {
    elector,
    environments,
    schedules,
    logger,
    stopping: stopping.signal,
    renewing: renewing.signal,
    lost: () => lost(),
    setReady: (now) => (ready = now),
  });

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
      await environments.stop();
      await schedules.stop();
      clearTimeout(grace);
      handlersAbort.abort(new Error('the operator is shutting down'));
      await closeAll();
    },
  };
}

/**
 * Waits for the lease when electing (ready meanwhile: a standby is healthy), fills the caches and
 * starts both controllers (not ready while the caches fill). Returns early when stopping aborts.
 */
async function lead(
  config: Config,
  o: {
    elector: LeaderElector | undefined;
    environments: EnvironmentController;
    schedules: ScheduleController;
    logger: Logger;
    stopping: AbortSignal;
    renewing: AbortSignal;
    lost: () => void;
    setReady: (ready: boolean) => void;
  },
): Promise<void> {
  if (o.elector) {
    o.setReady(true);
    o.logger.info(
      { lease: config.leaderElectionId, identity: config.identity },
      'waiting to become the leader',
    );
    if (!(await o.elector.acquire(o.stopping))) return;
    void o.elector.keepRenewing(o.renewing).then((kept) => kept || o.lost());
  }
  o.setReady(false);
  await o.environments.start(o.stopping);
  if (o.stopping.aborted) return;
  await o.schedules.start(o.stopping);
  o.setReady(true);
  o.logger.info({ objects: o.environments.size }, 'caches synced; reconciling');
}

/** The metrics registry and the API client every part shares. */
function connect(config: Config) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const metrics = createControllerMetrics(registry);
  const kubeConfig = new KubeConfig();
  if (config.kubeconfig) kubeConfig.loadFromFile(config.kubeconfig);
  else kubeConfig.loadFromDefault();
  return { registry, metrics, kubeConfig, client: new KubeClient(kubeConfig, metrics) };
}

/** The environment and schedule controllers, watching the same namespace and label selection. */
function controllers(
  config: Config,
  wiring: PlanningWiring,
  o: {
    client: KubeClient;
    logger: Logger;
    metrics: ControllerMetrics;
    /** The requests seen to previews, when the operator sees them (ADR 0097). */
    activity: RequestActivity | undefined;
    shutdown: AbortSignal;
  },
): { environments: EnvironmentController; schedules: ScheduleController } {
  const scope = {
    client: o.client,
    logger: o.logger,
    metrics: o.metrics,
    fieldManager: config.fieldManager,
    concurrency: config.concurrency,
    ...(config.namespace ? { namespace: config.namespace } : {}),
    ...(config.labelSelector ? { labelSelector: config.labelSelector } : {}),
  };
  const environments = new EnvironmentController({
    ...scope,
    ...wiring,
    ...(o.activity ? { activity: o.activity } : {}),
    shutdown: o.shutdown,
  });
  return { environments, schedules: new ScheduleController(scope) };
}

function leaderElector(
  config: Config,
  client: KubeClient,
  logger: Logger,
  metrics: ControllerMetrics,
): LeaderElector {
  return new LeaderElector({
    client,
    namespace: config.leaderElectionNamespace,
    name: config.leaderElectionId,
    identity: config.identity,
    logger,
    metrics,
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
  mapper: RestMapper;
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
    kubeConfig: KubeConfig;
    logger: Logger;
    registry: Registry;
    router: PreviewRouter | undefined;
    onStop: (release: () => Promise<void>) => void;
  },
): Promise<PlanningWiring> {
  const { policy } = config;
  const mapper = new RestMapper(o.client);
  const routerUrl = o.router ? (await o.router.start()).url : undefined;
  const settings = environmentSettings(config, routerUrl, policy);
  const runtime = clusterRuntime({
    client: o.client,
    mapper,
    fieldManager: config.fieldManager,
    isolation: settings.isolation,
    preview: settings.preview,
  });
  // Awaited before the operator reports ready, like the type-checker's warm-up: the first
  // environment after a start would otherwise wait for discovery before each group's first write.
  const discovered = mapper.warm(writtenApiVersions(policy.allowedKinds));
  const store = new AttemptStore(o.client, mapper, config.fieldManager);
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
  await discovered;
  o.logger.info(
    {
      planner: planner.id,
      executor: config.executor,
      ...(config.executor === 'pod' ? { sandboxNamespace: config.sandboxNamespace } : {}),
    },
    'planner ready',
  );
  return { mapper, settings, runtime, store, planner, checks };
}

async function checkGateway(client: KubeClient, gateway: GatewayParent, logger: Logger): Promise<void> {
  try {
    for (const warning of await checkPreviewGateway(client, gateway)) logger.warn({ gateway }, warning);
  } catch (err) {
    if (err instanceof PreviewGatewayError) throw new ConfigError(`previewGateway: ${err.message}`);
    throw err;
  }
}

/**
 * The operator's preview router and its activator. Requests through the router keep environments
 * awake (ADR 0097); the activator holds those for sleeping environments while they wake (ADR 0096).
 */
function previewRouter(
  config: Config,
  client: KubeClient,
  logger: Logger,
  gateway: GatewayParent | undefined,
): { activator: Activator; router: PreviewRouter } {
  const activator = new Activator({ client, logger: logger.child({ component: 'activator' }) });
  const colon = config.previewRouterAddress.lastIndexOf(':');
  const router = new PreviewRouter({
    client,
    logger: logger.child({ component: 'preview-router' }),
    ingressClassName: config.previewIngressClass,
    ...(gateway ? { gateway } : {}),
    host: config.previewRouterAddress.slice(0, colon),
    port: Number(config.previewRouterAddress.slice(colon + 1)),
    activator,
  });
  return { activator, router };
}

/**
 * The activator behind an in-cluster ingress controller (ADR 0096): sleeping environments' previews
 * route to it at config.activatorEndpoint, and it hands woken requests back to the controller.
 */
function activatorForController(
  config: Config,
  client: KubeClient,
  logger: Logger,
  activity: RequestActivity | undefined,
): ControllerActivator {
  const endpoint = config.activatorEndpoint!;
  const listen = config.activatorAddress ?? `0.0.0.0:${endpoint.slice(endpoint.lastIndexOf(':') + 1)}`;
  const controller = config.previewControllerAddress!;
  const child = logger.child({ component: 'activator' });
  return new ControllerActivator({
    activator: new Activator({ client, logger: child, ...(activity ? { activity } : {}) }),
    hosts: new ActivatorHosts(client),
    controller: {
      host: controller.slice(0, controller.lastIndexOf(':')),
      port: Number(controller.slice(controller.lastIndexOf(':') + 1)),
    },
    logger: child,
    host: listen.slice(0, listen.lastIndexOf(':')),
    port: Number(listen.slice(listen.lastIndexOf(':') + 1)),
  });
}
