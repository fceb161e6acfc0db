/**
 * The repository's manifest planner, slowed down so a browser can see an environment in Planning
 * before it turns Ready.
 */
import type { Planner } from '../../../operator/src/environment/index.js';
import { createPlanner as manifestPlanner } from '../../../test/support/manifest-planner.js';

export function createPlanner(): Planner {
  const inner = manifestPlanner();
  return {
    id: 'test-manifests-slow/v1',
    async plan(input, signal) {
      await new Promise((resolve) => setTimeout(resolve, 4000));
      return inner.plan(input, signal);
    },
  };
}
