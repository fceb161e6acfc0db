import { readFile } from 'node:fs/promises';
import type { KubeConfig } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { parse as parseYaml } from 'yaml';
import type { Diagnostic } from './agent/diagnostics.js';
import { modelAuthor } from './agent/model-author.js';
import { offlineAuthor } from './agent/offline-author.js';
import type { ScriptAuthor } from './agent/script-author.js';
import type { Config } from './config.js';
import { ConfigError } from './config.js';
import { AgentPlanner } from './environment/agent-planner.js';
import type { AttemptStore } from './environment/attempt-store.js';
import { previewGatewayParent } from './environment-settings.js';
import { builtInPlanner, loadPlannerModule, type Manifest, type Planner } from './environment/planner.js';
import { createModelGateway, gatewayConfigFromEnv, modelGatewayConfigSchema } from './models/index.js';
import { compileIntent } from './models/offline/compile-intent.js';
import { DEFAULT_POLICY, PolicyDocument } from './policy/index.js';
import { createExecutor } from './sandbox/create-executor.js';

export interface PlannerWiring {
  config: Config;
  logger: Logger;
  registry: Registry;
  store: AttemptStore;
  /** The policy gate's document (operatorPolicy): the applier Role is derived from the same one. */
  policy: PolicyDocument;
  /** The operator's cluster; the pod executor runs its sandbox pods there. */
  kubeConfig: KubeConfig;
  /** Server-side dry-run in an environment namespace. */
  dryRun(namespace: string, manifests: Manifest[], signal: AbortSignal): Promise<Diagnostic[]>;
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
  });
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
  const gateway = previewGatewayParent(config);
  return new AgentPlanner({
    id,
    authorFor: (env, budget, signal) =>
      authorFor(`${env.metadata.namespace}/${env.metadata.name}`, budget.maxTokens, signal),
    executor,
    policy,
    ...(gateway ? { gateway } : {}),
    facts,
    ...(config.serverDryRun ? { dryRun: w.dryRun } : {}),
    store: w.store,
  });
}

/** The policy the config names (policyFile), else the built-in one. */
export async function operatorPolicy(config: Config): Promise<PolicyDocument> {
  return config.policyFile ? loadPolicy(config.policyFile) : DEFAULT_POLICY;
}

async function loadPolicy(path: string): Promise<PolicyDocument> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new ConfigError(`cannot read the policy file ${path}: ${(err as Error).message}`);
  }
  const parsed = PolicyDocument.safeParse(parseYaml(text));
  if (!parsed.success) {
    throw new ConfigError(
      `the policy file ${path} is not a valid policy document: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'document'}: ${i.message}`).join('; ')}`,
    );
  }
  return Object.freeze(parsed.data);
}
