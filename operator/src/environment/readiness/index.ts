/** Readiness: whether an applied plan rolled out, why not (pod diagnostics), and the watch that wakes it. */
export { checkRollout, type RolloutReport } from './check-rollout.js';
export { type RolloutWaker, RolloutWatch } from './rollout-watch.js';
