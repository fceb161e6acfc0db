/**
 * Sleep and wake of an environment (ADR 0096): whether it should sleep now (a pure decision over
 * the times things happened), its sleep windows, and scaling its workloads to zero and back.
 */
export { pausedMs, type PreviewActivity } from './activity.js';
export {
  decideSleep,
  type SleepDecision,
  type SleepInputs,
  type SleepReason,
  type WindowTimes,
} from './decision.js';
export { SleepSpecError } from './sleep-spec-error.js';
export { windowTimes } from './windows.js';
export { restoreReplicas, scalableWorkloads, scaleToZero, type ScaledWorkload } from './workloads.js';
export {
  ACTIVATOR_SERVICE,
  activatorEndpoint,
  activatorRoutes,
  ROUTER_PRIORITY_ANNOTATION,
  type ActivatorEndpoint,
} from './activator-routes.js';
export { putActivatorRoutes, removeActivatorRoutes } from './activator-route-writes.js';
