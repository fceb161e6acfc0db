import type { Diagnostic } from '../../agent/diagnostics.js';
import { ApplyError } from './apply-error.js';
import type { Manifest } from '../objects.js';
import type { EnvironmentRuntime } from './runtime.js';

/** Refusals that are the plan's to fix; conflicts and outages are retried instead of blamed on the script. */
const PLAN_FAULTS = new Set([
  'VIBE_APPLY_FORBIDDEN',
  'VIBE_APPLY_INVALID',
  'VIBE_APPLY_UNKNOWN_KIND',
  'VIBE_APPLY_RESERVED_NAME',
]);

/**
 * The agent's server-side dry-run gate: the plan applied with dryRun as the
 * environment's identity, so the API server's schema, admission (PodSecurity),
 * quota and RBAC all speak before anything is stored. A refusal becomes a
 * diagnostic for the next attempt.
 */
export function dryRunGate(runtime: EnvironmentRuntime) {
  return async (namespace: string, manifests: Manifest[], signal: AbortSignal): Promise<Diagnostic[]> => {
    try {
      await runtime.apply(namespace, manifests, { dryRun: true, signal });
      return [];
    } catch (err) {
      if (!(err instanceof ApplyError) || !PLAN_FAULTS.has(err.code)) throw err;
      return [
        {
          gate: 'dry-run',
          code: err.code,
          message: err.message,
          ...(err.object ? { object: err.object } : {}),
        },
      ];
    }
  };
}
