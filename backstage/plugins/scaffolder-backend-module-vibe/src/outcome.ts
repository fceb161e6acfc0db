/**
 * How the actions report: outputs from an environment, and errors as sentences a template author can
 * act on, carrying the client's stable code and, when the environment failed, its failing condition.
 */
import { ClientError, type Environment } from '@vibe-operator/plugin-vibe-node';

export interface EnvironmentOutput {
  name: string;
  namespace: string;
  phase: string;
  previewUrl?: string;
  expiresAt?: string;
}

export function environmentOutput(env: Environment): EnvironmentOutput {
  return {
    name: env.name,
    namespace: env.namespace,
    phase: env.phase,
    ...(env.previewUrl ? { previewUrl: env.previewUrl } : {}),
    ...(env.expiresAt ? { expiresAt: env.expiresAt } : {}),
  };
}

/** Writes each defined field of the output with ctx.output. */
export function writeOutput(
  output: (name: 'name' | 'namespace' | 'phase' | 'previewUrl' | 'expiresAt', value: string) => void,
  values: EnvironmentOutput,
): void {
  for (const key of ['name', 'namespace', 'phase', 'previewUrl', 'expiresAt'] as const) {
    const value = values[key];
    if (value !== undefined) output(key, value);
  }
}

/** The error to throw for a failed client call: its sentence, then its code. */
export function actionError(action: string, error: unknown): Error {
  if (error instanceof ClientError) return new Error(`${action}: ${error.message} (${error.code})`);
  return error instanceof Error ? error : new Error(`${action}: ${String(error)}`);
}

/** The error for an environment that ended Failed or Expired while waited for. */
export function failedEnvironmentError(action: string, env: Environment): Error {
  const failing = env.conditions.find((c) => c.status === 'False' && c.message);
  const sentences = [`${action}: vibeenvironment ${env.namespace}/${env.name} is ${env.phase}.`];
  if (failing)
    sentences.push(
      `Its ${failing.type} condition is False (${failing.reason}): ${sentence(failing.message)}`,
    );
  if (env.message && env.message !== failing?.message)
    sentences.push(`The operator says: ${sentence(env.message)}`);
  sentences.push(`See \`vibe attempts ${env.name} -n ${env.namespace}\` for each plan's diagnostics.`);
  return new Error(sentences.join(' '));
}

function sentence(text: string): string {
  return /[.!?]$/.test(text) ? text : `${text}.`;
}
