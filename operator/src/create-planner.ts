import type { KubeConfig } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { modelAuthor } from './agent/model-author.js';
import { offlineAuthor } from './agent/offline-author.js';
import type { ScriptAuthor } from './agent/script-author.js';
import type { Config } from './config.js';
import { ConfigError } from './config.js';
import { AgentPlanner } from './environment/agent-planner.js';
import type { AttemptStore } from './environment/attempt-store.js';
import { builtInPlanner, loadPlannerModule, type Planner } from './environment/planner.js';
import { createModelGateway, gatewayConfigFromEnv, modelGatewayConfigSchema } from './models/index.js';
import { compileIntent } from './models/offline/compile-intent.js';
import { loadPolicyFile, PolicyFileError, type ChecksFor } from './plan-pipeline.js';
import type { PolicyDocument } from './policy/index.js';
import { createExecutor, DEFAULT_POOL_SIZE } from './sandbox/create-executor.js';

export interface PlannerWiring {
  config: Config;
  logger: Logger;
  registry: Registry;
  store: AttemptStore;
  /** The policy gate's document (operatorPolicy), for the model's prompt; the checks hold the same one. */
  policy: PolicyDocument;
  /** The operator's cluster; the pod executor runs its sandbox pods there. */
  kubeConfig: KubeConfig;
  /** The rewrites, policy gate and dry-run of every attempt (plan-pipeline.ts). */
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
    const raw = config.models ?? gatewayConfigFromEnv(config.planner, process.env);
    const parsed = modelGatewayConfigSchema.safeParse(raw);
    if (!parsed.success) {
      throw new ConfigError(
        `invalid models configuration: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
      );
    }
    const gateway = await createModelGateway(parsed.data, {
      registry: w.registry,
      logger: logger.child({ component: 'models' }),
      offlinePlanner: compileIntent,
    });
    id = `agent/${parsed.data.providers.map((p) => `${p.kind}:${'model' in p ? p.model : 'offline'}`).join(',')}`;
    authorFor = (key, maxTokens, signal) =>
      modelAuthor({
        session: gateway.session({ environment: key, budget: { maxTokens } }),
        policy,
        facts,
        signal,
      });
  }
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

/** The policy the config names (policyFile), else the built-in one. */
export async function operatorPolicy(config: Config): Promise<PolicyDocument> {
  try {
    return await loadPolicyFile(config.policyFile);
  } catch (err) {
    if (err instanceof PolicyFileError) throw new ConfigError(err.message);
    throw err;
  }
}
