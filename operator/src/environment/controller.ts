import { findCondition, setCondition } from '../api/condition.js';
import { formatDuration, parseDuration } from '../api/duration.js';
import { API_VERSION, LABEL_MANAGED_BY, MANAGED_BY } from '../api/group.js';
import { KIND, type VibeEnvironment, type VibeEnvironmentStatus } from '../api/vibe-environment.js';
import { applyObject, deleteObject, getObject } from '../reconciler/apply.js';
import { PermanentError, TemporaryError } from '../reconciler/errors.js';
import type { HandlerContext } from '../reconciler/handler-types.js';
import { Handlers } from '../reconciler/handlers.js';
import type { KubeClient } from '../reconciler/kube-client.js';
import type { RestMapper } from '../reconciler/rest-mapper.js';
import { environmentNamespace, planConfigMapName, planHash } from './naming.js';
import type { Manifest, Planner } from './planner.js';

export const FINALIZER = 'vibe.dev/environment';
export const LABEL_ENVIRONMENT = 'vibe.dev/environment';

export interface EnvironmentSettings {
  maxTtlMs: number;
  namespacePrefix: string;
  fieldManager: string;
}

export interface EnvironmentDeps {
  client: KubeClient;
  mapper: RestMapper;
  planner: Planner;
  settings: EnvironmentSettings;
  now?: () => number;
}

type Ctx = HandlerContext<VibeEnvironment>;

/** setTimeout cannot wait longer than about 24.8 days; recheck TTLs at least daily. */
const MAX_REQUEUE_MS = 24 * 3_600_000;

/**
 * The first VibeEnvironment lifecycle: compute expiresAt, plan (reusing a
 * stored plan whose hash matches), apply into a namespace of its own with a
 * quota, expire at the TTL, and tear the namespace down before the object goes.
 */
export function environmentHandlers(deps: EnvironmentDeps): Handlers<VibeEnvironment> {
  const now = deps.now ?? Date.now;
  const { settings } = deps;

  const expiry = (ctx: Ctx) => {
    const { spec, metadata } = ctx.object;
    const ttlMs = parseDuration(spec.ttl);
    if (ttlMs > settings.maxTtlMs) {
      const message = `ttl ${spec.ttl} is above this operator's maximum of ${formatDuration(settings.maxTtlMs)}; lower spec.ttl.`;
      fail(ctx, 'TtlAboveMaximum', message);
      throw new PermanentError(message);
    }
    const created = Date.parse(metadata.creationTimestamp ?? new Date(now()).toISOString());
    ctx.status.expiresAt = new Date(created + ttlMs).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const hash = currentHash(ctx);
    if (ctx.status.plan?.hash !== hash) setPhase(ctx, 'Planning', 'Planning the environment.');
    else if (ctx.status.phase === 'Failed' || !ctx.status.phase)
      setPhase(ctx, 'Applying', 'Applying the plan.');
  };

  const plan = async (ctx: Ctx) => {
    if (ctx.status.phase === 'Failed') return;
    const hash = currentHash(ctx);
    const name = planConfigMapName(ctx.object.metadata.name);
    if (ctx.status.plan?.hash === hash && (await getObject(deps.client, deps.mapper, planRef(ctx, name))))
      return;
    const { spec, metadata } = ctx.object;
    const result = await deps.planner.plan(
      {
        environment: `${metadata.namespace}/${metadata.name}`,
        intent: spec.intent,
        targetNamespace: targetNamespace(ctx),
        ...(spec.model ? { model: spec.model } : {}),
      },
      ctx.signal,
    );
    ctx.status.attempts = (ctx.status.attempts ?? 0) + 1;
    await applyObject(
      deps.client,
      deps.mapper,
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: {
          name,
          namespace: metadata.namespace,
          labels: { [LABEL_MANAGED_BY]: MANAGED_BY, [LABEL_ENVIRONMENT]: metadata.name },
          ownerReferences: [
            { apiVersion: API_VERSION, kind: KIND, name: metadata.name, uid: metadata.uid, controller: true },
          ],
        },
        data: { hash, manifests: JSON.stringify(result.manifests) },
      },
      settings.fieldManager,
    );
    ctx.status.plan = { hash, objects: result.manifests.length };
    if (metadata.uid) plans.set(metadata.uid, { hash, manifests: result.manifests });
    if (result.usage) {
      const tokens = (ctx.status.usage?.tokens ?? 0) + result.usage.tokens;
      const cost = (Number(ctx.status.usage?.cost ?? 0) + Number(result.usage.cost)).toFixed(6);
      ctx.status.usage = { tokens, cost };
    }
    setPhase(ctx, 'Applying', `Planned ${result.manifests.length} objects; applying them.`);
    // Events are best effort (the recorder never throws), so the handler does not wait for them.
    void ctx.event('Normal', 'Planned', `Planned ${result.manifests.length} objects (plan ${hash}).`);
  };

  const apply = async (ctx: Ctx) => {
    if (ctx.status.phase === 'Failed') return;
    const { metadata, spec } = ctx.object;
    const manifests = await loadPlan(ctx);
    const namespace = targetNamespace(ctx);
    const labels = {
      [LABEL_MANAGED_BY]: MANAGED_BY,
      [LABEL_ENVIRONMENT]: `${metadata.namespace}.${metadata.name}`.slice(0, 63),
    };
    await applyObject(
      deps.client,
      deps.mapper,
      {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: {
          name: namespace,
          labels: { ...labels, 'pod-security.kubernetes.io/enforce': 'restricted' },
        },
      },
      settings.fieldManager,
    );
    await applyObject(
      deps.client,
      deps.mapper,
      {
        apiVersion: 'v1',
        kind: 'ResourceQuota',
        metadata: { name: 'vibe-quota', namespace, labels },
        spec: {
          hard: {
            'requests.cpu': spec.resources.cpu,
            'limits.cpu': spec.resources.cpu,
            'requests.memory': spec.resources.memory,
            'limits.memory': spec.resources.memory,
            'requests.storage': spec.resources.storage,
            pods: String(spec.resources.pods),
          },
        },
      },
      settings.fieldManager,
    );
    for (const manifest of manifests) {
      await applyObject(
        deps.client,
        deps.mapper,
        {
          ...manifest,
          metadata: { ...manifest.metadata, namespace, labels: { ...manifest.metadata.labels, ...labels } },
        },
        settings.fieldManager,
      );
    }
    ctx.status.namespace = namespace;
    setPhase(ctx, 'Ready', `Applied ${manifests.length} objects into namespace ${namespace}.`);
    ctx.status.conditions = setCondition(ctx.status.conditions, {
      type: 'Ready',
      status: 'True',
      reason: 'Applied',
      message: `Applied ${manifests.length} objects into namespace ${namespace}.`,
      observedGeneration: metadata.generation ?? 0,
    });
    void ctx.event('Normal', 'Applied', `Applied ${manifests.length} objects into namespace ${namespace}.`);
  };

  /** Plans this process made, so apply need not read back the ConfigMap it just wrote. Keyed by uid. */
  const plans = new Map<string, { hash: string; manifests: Manifest[] }>();

  const loadPlan = async (ctx: Ctx): Promise<Manifest[]> => {
    const { metadata } = ctx.object;
    const hash = ctx.status.plan?.hash;
    const remembered = metadata.uid ? plans.get(metadata.uid) : undefined;
    if (remembered && remembered.hash === hash) return remembered.manifests;
    const stored = await getObject<{ metadata: { name: string }; data?: Record<string, string> }>(
      deps.client,
      deps.mapper,
      planRef(ctx, planConfigMapName(metadata.name)),
    );
    if (!stored?.data?.manifests || stored.data.hash !== hash) {
      throw new PermanentError(
        `the stored plan of ${metadata.name} is missing or stale; change the spec to plan again.`,
      );
    }
    return JSON.parse(stored.data.manifests) as Manifest[];
  };

  const recordChange = async (ctx: Ctx) => {
    const paths = ctx.diff?.map((d) => d.path).join(', ');
    await ctx.event(
      'Normal',
      'SpecChanged',
      paths ? `Changed: ${paths}.` : 'The spec changed while the operator was not running.',
    );
  };

  const ttl = async (ctx: Ctx) => {
    const { status, object } = ctx;
    if (!status.expiresAt || status.phase === 'Expired' || status.phase === 'Failed') return;
    const remaining = Date.parse(status.expiresAt) - now();
    if (remaining > 0) return ctx.requeueAfter(Math.min(remaining, MAX_REQUEUE_MS));
    if (object.spec.onExpiry === 'Delete') {
      await ctx.event('Normal', 'Expired', `The TTL of ${object.spec.ttl} ended; deleting the environment.`);
      await deleteObject(deps.client, deps.mapper, {
        apiVersion: API_VERSION,
        kind: KIND,
        name: object.metadata.name,
        namespace: object.metadata.namespace,
      });
      return;
    }
    if (status.namespace) await teardownNamespace(status.namespace);
    setPhase(
      ctx,
      'Expired',
      `The TTL of ${object.spec.ttl} ended; the environment was removed and this record kept.`,
    );
    ctx.status.conditions = setCondition(ctx.status.conditions, {
      type: 'Ready',
      status: 'False',
      reason: 'Expired',
      message: 'The TTL ended.',
      observedGeneration: object.metadata.generation ?? 0,
    });
    await ctx.event('Normal', 'Expired', `The TTL of ${object.spec.ttl} ended; the record is retained.`);
  };

  const teardownNamespace = async (namespace: string) => {
    const ref = { apiVersion: 'v1', kind: 'Namespace', name: namespace };
    if (!(await deleteObject(deps.client, deps.mapper, ref))) return;
    throw new TemporaryError(`waiting for namespace ${namespace} to be deleted`, 2000);
  };

  const teardown = async (ctx: Ctx) => {
    if (ctx.status.phase !== 'Terminating')
      setPhase(ctx, 'Terminating', 'Deleting the environment namespace.');
    await teardownNamespace(ctx.status.namespace ?? targetNamespace(ctx));
  };

  function targetNamespace(ctx: Ctx): string {
    const { metadata } = ctx.object;
    return environmentNamespace(settings.namespacePrefix, metadata.namespace ?? 'default', metadata.name);
  }

  function currentHash(ctx: Ctx): string {
    return planHash({
      intent: ctx.object.spec.intent,
      plannerId: deps.planner.id,
      model: ctx.object.spec.model,
    });
  }

  return new Handlers<VibeEnvironment>()
    .onCreate('expiry', expiry)
    .onCreate('plan', plan)
    .onCreate('apply', apply)
    .onUpdate('record-change', recordChange, { checkpoint: false })
    .onUpdate('expiry', expiry)
    .onUpdate('plan', plan)
    .onUpdate('apply', apply)
    .onReconcile('ttl', ttl)
    .onDelete('teardown', teardown)
    .onDelete(
      'forget-plan',
      (ctx) => void (ctx.object.metadata.uid && plans.delete(ctx.object.metadata.uid)),
      {
        checkpoint: false,
      },
    );
}

function planRef(ctx: Ctx, name: string) {
  return { apiVersion: 'v1', kind: 'ConfigMap', name, namespace: ctx.object.metadata.namespace };
}

function setPhase(ctx: Ctx, phase: NonNullable<VibeEnvironmentStatus['phase']>, message: string): void {
  ctx.status.phase = phase;
  ctx.status.message = message;
}

function fail(ctx: Ctx, reason: string, message: string): void {
  setPhase(ctx, 'Failed', message);
  if (findCondition(ctx.status.conditions, 'Ready')?.reason === reason) return;
  ctx.status.conditions = setCondition(ctx.status.conditions, {
    type: 'Ready',
    status: 'False',
    reason,
    message,
    observedGeneration: ctx.object.metadata.generation ?? 0,
  });
}
