/**
 * A planner for tests whose intent is the plan: a JSON array of manifests,
 * returned as they are. It lets a test put exactly the objects it needs in
 * front of what the operator does after planning (previews, apply, prune).
 */
import type { Planner, Manifest } from '../../operator/src/environment/index.js';

export function createPlanner(): Planner {
  return {
    id: 'test-manifests/v1',
    async plan(input) {
      return { manifests: JSON.parse(input.intent) as Manifest[] };
    },
  };
}
