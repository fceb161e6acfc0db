/** What `vibe plan` and `vibe sandbox run` share: exit codes, executor choice, policy and audit files. */
import { readFileSync, writeFileSync } from 'node:fs';
import { KubeConfig } from '@kubernetes/client-node';
import { parse } from 'yaml';
import type { AgentOutcome } from '../../agent/loop.js';
import { PolicyDocument } from '../../policy/index.js';
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

export function loadPolicy(path: string): PolicyDocument | number {
  try {
    const parsed = PolicyDocument.safeParse(parse(readFileSync(path, 'utf8')));
    if (parsed.success) return Object.freeze(parsed.data);
    const problems = parsed.error.issues
      .map((i) => `${i.path.join('.') || 'document'}: ${i.message}`)
      .join('; ');
    process.stderr.write(
      `vibe: VIBE_POLICY_DOCUMENT_INVALID: ${path} is not a valid policy document: ${problems}\n`,
    );
  } catch (error) {
    process.stderr.write(
      `vibe: VIBE_POLICY_DOCUMENT_UNREADABLE: cannot read ${path}: ${(error as Error).message}\n`,
    );
  }
  return EXIT.usage;
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
