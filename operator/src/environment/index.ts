export {
  applierUser,
  ApplyError,
  applyPlan,
  APPLYSET_PARENT_NAME,
  applySetIdFor,
  clusterRuntime,
  isolationObjects,
  type IsolationSettings,
} from './cluster/index.js';
export { environmentHandlers, FINALIZER } from './controller.js';
export { environmentNamespace } from './naming.js';
export { type Manifest, type ObjectRef } from './objects.js';
export {
  AgentPlanner,
  AttemptStore,
  builtInPlanner,
  type ChecksFor,
  loadPlannerModule,
  planChecks,
  type Planner,
  type StoredAttempt,
  type StoredPlan,
} from './planning/index.js';
export { checkRollout, type RolloutReport, RolloutWatch } from './readiness/index.js';
export { VIBE_ENVIRONMENT } from './resource.js';
export { environmentSettings, previewGatewayParent } from './settings.js';
