import type { ChecksFor, AttemptStore, Planner } from './planning/index.js';
import type { KubeClient } from '../reconciler/kube-client.js';
import type { RestMapper } from '../reconciler/rest-mapper.js';
import type { RolloutWaker } from './readiness/index.js';
import type { EnvironmentRuntime } from './cluster/index.js';
import type { EnvironmentSettings } from './settings.js';
import type { EnvironmentLister } from './preview/index.js';
import type { PreviewActivity } from './sleep/index.js';

/** Everything the lifecycle steps use, built once by the controller. */
export interface LifecycleDeps {
  client: KubeClient;
  mapper: RestMapper;
  planner: Planner;
  /** The rewrites, policy gate and dry-run a plan passes (planning/plan-checks.ts). */
  checks: ChecksFor;
  store: AttemptStore;
  runtime: EnvironmentRuntime;
  settings: EnvironmentSettings;
  now: () => number;
  /** Every environment in the cluster from a cache, for preview host claims; without it, they are listed. */
  environments?: EnvironmentLister;
  /** Wakes a rollout in progress when its workloads change; without it, rollouts are only polled. */
  rollouts?: RolloutWaker;
  /** Requests seen through the preview, for spec.sleep.afterIdle; without it only vibe wake and Ready count. */
  activity?: PreviewActivity;
}
