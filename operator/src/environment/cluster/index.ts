/**
 * The cluster side: the runtime port the lifecycle calls and its implementation, isolation, the
 * applier (as the environment's own identity) and its Role, ApplySet, the dry-run gate.
 */
export { applyPlan } from './applier.js';
export { ApplyError } from './apply-error.js';
export { APPLYSET_PARENT_NAME, applySetIdFor } from './applyset.js';
export { clusterRuntime } from './cluster-runtime.js';
export { dryRunGate } from './dry-run.js';
export {
  applierUser,
  isolationObjects,
  type IsolationSettings,
  RESERVED_OBJECTS,
  writtenApiVersions,
} from './isolation.js';
export type { EnvironmentRuntime, Rollout } from './runtime.js';
