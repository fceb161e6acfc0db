export { checkRollout, type RolloutReport } from './check-rollout.js';
export { type RolloutWaker, RolloutWatch } from './rollout-watch.js';
