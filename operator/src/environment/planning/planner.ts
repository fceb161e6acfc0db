import type { VibeEnvironment } from '../../api/vibe-environment.js';
import type { Manifest } from '../objects.js';
/**
 * What the environment controller asks of a planner: manifests for an
 * intent. The Code Mode agent implements this; the built-in planners here are
 * for development, tests and benchmarks.
 */
export interface PlanInput {
  /** namespace/name of the VibeEnvironment. */
  environment: string;
  intent: string;
  /** The namespace the manifests will be applied into. */
  targetNamespace: string;
  model?: { provider?: string; name?: string };
  /** The VibeEnvironment itself, for planners that keep records owned by it. */
  object: VibeEnvironment;
  /** The hash of the intent and planner inputs the plan answers. */
  inputs: string;
  /** Attempts the planner may make in all, rollout fixes included (spec.budget.maxAttempts). */
  maxAttempts: number;
  /** Model tokens the environment may spend over its whole life, every intent included (spec.budget.maxTokens). */
  maxTokens: number;
  /**
   * Resolves once the target namespace is isolated; rejects when isolation failed. A planner asks
   * a model, and writes into the namespace (the dry-run), only after it resolves. Absent: isolated.
   */
  isolated?: Promise<void>;
}

export interface Plan {
  manifests: Manifest[];
  usage?: { tokens: number; cost: string };
  /** The script that produced the manifests, when a script did. */
  script?: string;
  /** The number of the accepted attempt among all attempts for these inputs. */
  attempt?: number;
  /**
   * The hash of the manifests as the planner's own run of the checks passed them (the agent's);
   * without it the lifecycle runs the checks on the manifests itself.
   */
  checkedSha256?: string;
}

/** A plan could not be made: the intent was refused, or no script passed the gates within the budget. */
export class PlanFailedError extends Error {
  readonly code: string;
  constructor(
    code: string,
    message: string,
    readonly refused: boolean,
    readonly attempts: number,
    readonly usage?: Plan['usage'],
    /** The gate the last attempt failed at (author, typecheck, sandbox, policy, dry-run). */
    readonly gate?: string,
  ) {
    super(message);
    this.name = 'PlanFailedError';
    this.code = code;
  }
}

export interface Planner {
  /** Identifies the planner and its version; part of the plan hash, so a new planner replans. */
  readonly id: string;
  plan(input: PlanInput, signal: AbortSignal): Promise<Plan>;
}

/** Plans one ConfigMap that records the intent: enough to see an environment go Ready without a model. */
export class StaticPlanner implements Planner {
  readonly id = 'static/v1';

  async plan(input: PlanInput): Promise<Plan> {
    return {
      manifests: [
        {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: 'intent' },
          data: { intent: input.intent, environment: input.environment },
        },
      ],
    };
  }
}

/** Plans nothing; for benchmarks of the reconciler alone. */
export class NoopPlanner implements Planner {
  readonly id = 'noop/v1';

  async plan(): Promise<Plan> {
    return { manifests: [] };
  }
}

export class PlannerModuleError extends Error {
  readonly code = 'VIBE_PLANNER_MODULE_INVALID';
  constructor(path: string, why: string) {
    super(`the planner module ${path} ${why}; it must export createPlanner(): Planner.`);
    this.name = 'PlannerModuleError';
  }
}

/** Loads a planner from a module exporting createPlanner(), the hook for out-of-tree planners. */
export async function loadPlannerModule(path: string): Promise<Planner> {
  let mod: { createPlanner?: () => Planner | Promise<Planner> };
  try {
    mod = (await import(new URL(path, `file://${process.cwd()}/`).href)) as typeof mod;
  } catch (err) {
    throw new PlannerModuleError(path, `could not be loaded (${(err as Error).message})`);
  }
  if (typeof mod.createPlanner !== 'function')
    throw new PlannerModuleError(path, 'has no createPlanner export');
  const planner = await mod.createPlanner();
  if (typeof planner?.plan !== 'function' || typeof planner.id !== 'string') {
    throw new PlannerModuleError(path, 'returned something that is not a Planner');
  }
  return planner;
}

export function builtInPlanner(name: 'static' | 'noop'): Planner {
  return name === 'noop' ? new NoopPlanner() : new StaticPlanner();
}
