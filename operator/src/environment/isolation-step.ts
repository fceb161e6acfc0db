import type { LifecycleDeps } from './deps.js';
import type { Ctx } from './status.js';

/**
 * The isolation of an environment's namespace within one reconcile pass: the namespace first,
 * then everything in it and the wait until the applier identity is bound (cluster/isolation.ts).
 * Each part runs at most once per pass, whichever step asks first: planning starts it and plans
 * meanwhile (ADR 0099), applying awaits what planning started, or isolates itself when the plan
 * was made in an earlier pass (an approval, a restart).
 */
export class NamespaceIsolation {
  private created: Promise<void> | undefined;
  private completed: Promise<void> | undefined;

  constructor(
    private readonly ctx: Ctx,
    private readonly deps: LifecycleDeps,
    readonly namespace: string,
  ) {}

  /** Resolves once the namespace exists; nothing is isolated inside it yet. */
  namespaceCreated(): Promise<void> {
    this.created ??= this.deps.runtime.createNamespace(this.ctx.object, this.namespace, this.ctx.signal);
    return this.created;
  }

  /** Resolves once the namespace is isolated and the applier may write in it; rejects with why not. */
  isolated(): Promise<void> {
    this.completed ??= this.namespaceCreated().then(async () => {
      await this.deps.runtime.isolate(this.ctx.object, this.namespace, this.ctx.signal);
      this.ctx.status.namespace = this.namespace;
    });
    return this.completed;
  }
}
