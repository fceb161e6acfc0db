/**
 * A planner for tests whose intent is a script: it runs under the runsc sandbox, as every
 * agent-written script does, and its output is the plan, with no author and no gates of its own.
 * The operator's checks (rewrites, policy gate, dry-run) then see the script's output exactly as
 * they would see a model's, which is how a test plants a hostile script.
 */
import type { Planner, Manifest } from '../../operator/src/environment/index.js';
import { createExecutor } from '../../operator/src/sandbox/create-executor.js';

export async function createPlanner(): Promise<Planner> {
  const executor = await createExecutor('runsc', process.env);
  return {
    id: 'test-script/v1',
    async plan(input) {
      const run = await executor.run({ source: input.intent });
      if (!run.ok) throw new Error(`the planted script failed in the sandbox: ${run.code}: ${run.message}`);
      return { manifests: run.manifests as Manifest[], script: input.intent };
    },
  };
}
