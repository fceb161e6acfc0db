import type { KubeConfig } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { modelAuthor } from './agent/model-author.js';
import { offlineAuthor } from './agent/offline-author.js';
import type { ScriptAuthor } from './agent/script-author.js';
import { warmTypecheck } from './agent/typecheck-gate.js';
import { type Config, ConfigError } from './config.js';
import {
  AgentPlanner,
  type AttemptStore,
  builtInPlanner,
  loadPlannerModule,
  type Planner,
  type ChecksFor,
} from './environment/index.js';
import {
  createModelGateway,
  gatewayConfigFromEnv,
  modelGatewayConfigSchema,
  compileIntent,
  type ModelGatewayConfig,
} from './models/index.js';
import type { PolicyDocument } from './policy/index.js';
import { createExecutor, DEFAULT_POOL_SIZE } from './sandbox/create-executor.js';
import { warmTranspile } from './sandbox/transpile.js';

export interface PlannerWiring {
  config: Config;
  logger: Logger;
  registry: Registry;
  store: AttemptStore;
  /** The policy gate's document (config.policy), for the model's prompt; the checks hold the same one. */
  policy: PolicyDocument;
  /** The operator's cluster; the pod executor runs its sandbox pods there. */
  kubeConfig: KubeConfig;
  /** The rewrites, policy gate and dry-run of every attempt (environment/planning/plan-checks.ts). */
  checks: ChecksFor;
  /** Takes what must be released on shutdown: the executor's warm pool. */
  onStop: (release: () => Promise<void>) => void;
}

/** The planner the config names: the Code Mode agent (offline or a model), a built-in one, or a module. */
export async function createPlanner(w: PlannerWiring): Promise<Planner> {
  const { config, logger } = w;
  if (config.plannerModule) return loadPlannerModule(config.plannerModule);
  if (config.planner === 'static' || config.planner === 'noop') return builtInPlanner(config.planner);
  const executor = await createExecutor(config.executor, process.env, {
    kubeConfig: w.kubeConfig,
    sandboxNamespace: config.sandboxNamespace,
    ...(config.sandboxImage ? { sandboxImage: config.sandboxImage } : {}),
    poolSize: config.sandboxPoolSize ?? DEFAULT_POOL_SIZE[config.executor],
    poolReporting: { registry: w.registry, logger: logger.child({ component: 'sandbox-pool' }) },
  });
  w.onStop(async () => executor.close?.());
  if (executor.unsafe) {
    logger.warn(
      { executor: executor.name },
      'UNSAFE: generated scripts run as plain child processes of the operator, without a sandbox; use this for development only',
    );
  }
  const { policy } = w;
  const facts = { ingressClass: config.previewIngressClass, previewDomain: config.previewDomain };
  let authorFor: (key: string, maxTokens: number, signal: AbortSignal) => ScriptAuthor = () => offlineAuthor;
  let id = 'agent/offline';
  if (config.planner === 'anthropic' || config.planner === 'openai-compatible') {
    const models = config.models ?? modelsFromEnv(config.planner);
    const gateway = await createModelGateway(models, {
      registry: w.registry,
      logger: logger.child({ component: 'models' }),
      offlinePlanner: compileIntent,
    });
    id = `agent/${models.providers.map((p) => `${p.kind}:${'model' in p ? p.model : 'offline'}`).join(',')}`;
    authorFor = (key, maxTokens, signal) =>
      modelAuthor({
        session: gateway.session({ environment: key, budget: { maxTokens } }),
        policy,
        facts,
        signal,
      });
  }
  // Awaited before the operator reports ready, so the first plan after a start finds the
  // type-checker and esbuild warm instead of waiting behind (or racing) their warm-ups.
  await Promise.all([warmTypecheck(), warmTranspile()]);
  return new AgentPlanner({
    id,
    authorFor: (env, budget, signal) =>
      authorFor(`${env.metadata.namespace}/${env.metadata.name}`, budget.maxTokens, signal),
    executor,
    checks: w.checks,
    facts,
    store: w.store,
  });
}

/**
 * Without a models key in the config, the planner's provider from ANTHROPIC_* or OPENAI_* variables
 * (the CLI's way); checked with the same schema as the config's own models key.
 */
function modelsFromEnv(planner: 'anthropic' | 'openai-compatible'): ModelGatewayConfig {
  const parsed = modelGatewayConfigSchema.safeParse(gatewayConfigFromEnv(planner, process.env));
  if (!parsed.success) {
    throw new ConfigError(
      `invalid models configuration from the environment: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  }
  return parsed.data;
}
