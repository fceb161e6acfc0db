import type { Diagnostic } from '../../agent/diagnostics.js';
import type { VibeEnvironment } from '../../api/vibe-environment.js';
import type { ObjectRef, Manifest } from '../objects.js';

export interface Rollout {
  ready: boolean;
  pending: string[];
  /** What each pending object waits for, one line each. */
  progress: string[];
  failures: Diagnostic[];
}

/**
 * What the lifecycle does to the cluster, apart from its own records: isolate
 * a namespace, apply a plan into it, read its rollout. One object so the
 * state machine reads as steps, not as API calls.
 */
export interface EnvironmentRuntime {
  /** The namespace itself, labelled for its environment and its PodSecurity level: first, as the rest lives in it. */
  createNamespace(env: VibeEnvironment, namespace: string, signal: AbortSignal): Promise<void>;
  /**
   * Everything inside the namespace that isolates it (quota, limits, network policies, the
   * applier's Role and RoleBinding). Needs the namespace (createNamespace). The applier's first
   * write waits until RBAC's cache lets it (apply).
   */
  isolate(env: VibeEnvironment, namespace: string, signal: AbortSignal): Promise<void>;
  apply(
    namespace: string,
    manifests: Manifest[],
    options: { dryRun?: boolean; signal: AbortSignal },
  ): Promise<{ applied: ObjectRef[]; pruned: ObjectRef[] }>;
  rollout(namespace: string, applied: ObjectRef[]): Promise<Rollout>;
  /** Forgets what it remembers of a namespace (it is being deleted): the next isolate and apply start afresh. */
  forget?(namespace: string): void;
}
