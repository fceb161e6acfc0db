/**
 * The VibeEnvironment lifecycle's public surface: the controller and what start-up, the CLI and the
 * tests wire it with. The files beside this one are the lifecycle (phases, status, TTL, approval,
 * teardown); planning/, cluster/, readiness/ and preview/ are its rooms, each behind its own index.
 */
export {
  applierUser,
  ApplyError,
  applyPlan,
  APPLYSET_PARENT_NAME,
  applySetIdFor,
  clusterRuntime,
  isolationObjects,
  type IsolationSettings,
  writtenApiVersions,
} from './cluster/index.js';
export { ENVIRONMENT_CONTROLLER, EnvironmentController } from './environment-controller.js';
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
