import type { VibeEnvironment } from '../api/vibe-environment.js';
import { TemporaryError } from '../reconciler/errors.js';
import { Handlers } from '../reconciler/handlers.js';
import type { LifecycleDeps } from './deps.js';
import { reconcileEnvironment, targetNamespace } from './lifecycle.js';
import { setPhase, type Ctx } from './status.js';
import { teardownNamespace } from './teardown.js';

export const FINALIZER = 'vibe.dev/environment';

/** Planning may run several attempts, each with a model call and a sandbox run. */
const LIFECYCLE_TIMEOUT_MS = 20 * 60_000;
const TEARDOWN_POLL_MS = 2000;

/**
 * The VibeEnvironment controller: one level-triggered lifecycle step per
 * reconcile, and a finalizer that deletes the environment's namespace (and
 * waits for it) before the object goes. Attempt and plan records are owned by
 * the object, so the garbage collector removes them with it.
 */
export function environmentHandlers(deps: LifecycleDeps): Handlers<VibeEnvironment> {
  const teardown = async (ctx: Ctx) => {
    const namespace = ctx.status.namespace ?? targetNamespace(ctx, deps);
    if (ctx.status.phase !== 'Terminating') {
      setPhase(ctx, 'Terminating', `Deleting namespace ${namespace}.`);
      delete ctx.status.previewUrl;
    }
    if (!(await teardownNamespace(ctx, deps, namespace))) {
      throw new TemporaryError(`waiting for namespace ${namespace} to be deleted`, TEARDOWN_POLL_MS);
    }
    deps.store.forget(ctx.object);
  };
  const recordChange = async (ctx: Ctx) => {
    const paths = ctx.diff?.map((d) => d.path).join(', ');
    await ctx.event(
      'Normal',
      'SpecChanged',
      paths ? `Changed: ${paths}.` : 'The spec changed while the operator was not running.',
    );
  };
  return new Handlers<VibeEnvironment>()
    .onUpdate('record-change', recordChange, { checkpoint: false })
    .onReconcile('lifecycle', (ctx) => reconcileEnvironment(ctx, deps), { timeoutMs: LIFECYCLE_TIMEOUT_MS })
    .onDelete('teardown', teardown);
}
