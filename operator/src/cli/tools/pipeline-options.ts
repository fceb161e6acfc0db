/**
 * What `vibe plan`, `vibe policy check` and `vibe sandbox run` share: exit codes, executor choice,
 * the checks (built by environment/planning/plan-checks.ts from the operator's own config, as the operator builds
 * them) and audit files.
 */
import { writeFileSync } from 'node:fs';
import { KubeConfig } from '@kubernetes/client-node';
import type { PlanChecks } from '../../agent/checks.js';
import type { AgentOutcome } from '../../agent/loop.js';
import { KIND, parseVibeEnvironmentSpec, type VibeEnvironment } from '../../api/vibe-environment.js';
import { API_VERSION } from '../../api/group.js';
import { ConfigError, loadConfig } from '../../config.js';
import {
  clusterRuntime,
  environmentNamespace,
  environmentSettings,
  planChecks,
} from '../../environment/index.js';
import { PolicyFileError, loadPolicyFile, type PolicyDocument } from '../../policy/index.js';
import { KubeClient } from '../../reconciler/kube-client.js';
import { RestMapper } from '../../reconciler/rest-mapper.js';
import { createExecutor, EXECUTOR_NAMES } from '../../sandbox/create-executor.js';
import { SandboxSetupError } from '../../sandbox/errors.js';
import type { ExecutorName, SandboxExecutor } from '../../sandbox/types.js';

export const EXIT = { ok: 0, refused: 2, usage: 2, script: 3, policy: 4, unavailable: 5 } as const;

export function exitCodeFor(outcome: AgentOutcome): number {
  if (outcome.ok) return EXIT.ok;
  if (outcome.failure?.refused) return EXIT.refused;
  const gate = outcome.failure?.gate;
  return gate === 'policy' || gate === 'dry-run' ? EXIT.policy : EXIT.script;
}

/** The executor, or an exit code after saying on stderr why there is none. */
export async function openExecutor(name: string, kubeconfig?: string): Promise<SandboxExecutor | number> {
  if (!(EXECUTOR_NAMES as string[]).includes(name)) {
    process.stderr.write(`vibe: unknown executor "${name}"; use runsc, pod or process.\n`);
    return EXIT.usage;
  }
  try {
    const settings = kubeconfig ? { kubeConfig: loadKubeConfig(kubeconfig) } : {};
    const executor = await createExecutor(name as ExecutorName, process.env, settings);
    if (executor.unsafe) {
      process.stderr.write(
        `vibe: warning: the ${executor.name} executor runs generated code WITHOUT a sandbox; use it only for development.\n`,
      );
    }
    return executor;
  } catch (error) {
    if (error instanceof SandboxSetupError) {
      process.stderr.write(`vibe: ${error.code}: ${error.message}\n`);
      return EXIT.usage;
    }
    throw error;
  }
}

function loadKubeConfig(path: string): KubeConfig {
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromFile(path);
  return kubeConfig;
}

/** The flags every command that checks manifests takes, with the operator's meaning. */
export const CHECK_FLAGS = {
  config: { type: 'string' },
  policy: { type: 'string' },
  environment: { type: 'string', default: 'default/plan' },
  namespace: { type: 'string' },
} as const;

export interface CheckFlags {
  /** The operator's config file: preview hosts, image mirrors, namespace prefix, policyFile. */
  config?: string;
  /** A policy document; overrides the config's policyFile. */
  policy?: string;
  /** NAMESPACE/NAME of the VibeEnvironment the manifests are for (its preview host, its namespace). */
  environment: string;
  /** The environment namespace; by default the one the operator gives that environment. */
  namespace?: string;
  /** With a cluster: the dry-run, as that namespace's applier identity. */
  kubeconfig?: string;
}

/**
 * The checks the operator would run on an environment's manifests, built the way it builds them,
 * or an exit code after saying on stderr why they cannot be.
 */
export async function openChecks(
  command: string,
  flags: CheckFlags,
): Promise<{ policy: PolicyDocument; checks: PlanChecks } | number> {
  const [envNamespace, name, ...rest] = flags.environment.split('/');
  if (!envNamespace || !name || rest.length) {
    process.stderr.write(
      `vibe ${command}: --environment must be NAMESPACE/NAME, not "${flags.environment}".\n`,
    );
    return EXIT.usage;
  }
  try {
    const config = await loadConfig(flags.config ? ['--config', flags.config] : []);
    const policy = flags.policy ? await loadPolicyFile(flags.policy) : config.policy;
    const settings = environmentSettings(config, undefined, policy);
    const env: VibeEnvironment = {
      apiVersion: API_VERSION,
      kind: KIND,
      metadata: { name, namespace: envNamespace },
      spec: parseVibeEnvironmentSpec({ intent: `vibe ${command}` }),
    };
    const namespace = flags.namespace ?? environmentNamespace(config.namespacePrefix, envNamespace, name);
    let runtime;
    if (flags.kubeconfig) {
      const client = new KubeClient(loadKubeConfig(flags.kubeconfig));
      const mapper = new RestMapper(client);
      runtime = clusterRuntime({
        client,
        mapper,
        fieldManager: config.fieldManager,
        isolation: settings.isolation,
      });
    }
    const checks = planChecks({ policy, settings, ...(runtime ? { runtime } : {}) });
    return { policy, checks: checks(env, namespace, new AbortController().signal) };
  } catch (error) {
    if (error instanceof PolicyFileError) {
      process.stderr.write(`vibe: ${error.code}: ${error.message}\n`);
      return EXIT.usage;
    }
    if (error instanceof ConfigError) {
      process.stderr.write(`vibe: ${error.code}: ${error.message}\n`);
      return EXIT.usage;
    }
    throw error;
  }
}

export function writeAudit(path: string, intent: string, outcome: AgentOutcome): void {
  const record = {
    intent,
    ok: outcome.ok,
    failure: outcome.failure ?? null,
    usage: outcome.usage,
    attempts: outcome.attempts,
  };
  writeFileSync(path, `${JSON.stringify(record, null, 2)}\n`);
}
