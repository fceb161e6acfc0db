/**
 * Applies a plan into an environment namespace with server-side apply, as the environment's own
 * identity, and prunes what an earlier plan applied and this one dropped. Only objects carrying
 * this applyset's label are ever pruned; anything else in the namespace is left alone.
 */
import { isApiError } from '../../reconciler/errors.js';
import { PATCH, type Impersonation, type KubeClient } from '../../reconciler/kube-client.js';
import { UnknownKindError, type RestMapper } from '../../reconciler/rest-mapper.js';
import { collectionPath, objectPath, type KubeObject, type Resource } from '../../reconciler/resource.js';
import { ApplyError, describeRef, failureOf } from './apply-error.js';
import {
  ANNOTATION_APPLYSET_TOOLING,
  APPLYSET_PARENT_NAME,
  APPLYSET_TOOLING,
  LABEL_APPLYSET_ID,
  decodeInventory,
  encodeInventory,
  groupOf,
  memberKey,
  type InventoryEntry,
} from './applyset.js';
import { LABEL_APPLYSET_PART_OF } from '../../api/labels.js';
import { APPLIER_ROLE, RESERVED_OBJECTS } from './isolation.js';
import type { Manifest, ObjectRef } from '../objects.js';

export interface ApplyOutcome {
  applied: ObjectRef[];
  pruned: ObjectRef[];
  /** What the parent records now: the plan's objects. */
  inventory: InventoryEntry[];
}

export interface ApplyPlanOptions {
  client: KubeClient;
  mapper: RestMapper;
  fieldManager: string;
  /** Where objects without a namespace go; objects naming another one are sent as they are, for RBAC to refuse. */
  namespace: string;
  /** The applyset's id (see applySetIdFor); the label that marks objects this plan may prune. */
  applySetId: string;
  manifests: Manifest[];
  /** The identity every write is made as, e.g. applierUser(namespace). */
  impersonate?: Impersonation;
  /** Ask the API server to validate every write, prune included, without persisting anything. */
  dryRun?: boolean;
  /**
   * What the parent records, when the caller knows it (it wrote it, or created the namespace);
   * read from the parent otherwise. The operator is the parent's only writer.
   */
  previous?: InventoryEntry[];
  /** The identity already wrote in this namespace: RBAC has authorized it, no need to ask. */
  identityBound?: boolean;
  signal?: AbortSignal;
}

/** How long a freshly bound identity may take to show up in the API server's RBAC cache. */
const IDENTITY_WAIT_MS = 15_000;

const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** Objects others depend on go first, so a Deployment's pods find their ConfigMap or Secret. */
const APPLY_ORDER = [
  'NetworkPolicy',
  'Secret',
  'ConfigMap',
  'PersistentVolumeClaim',
  'Service',
  'Pod',
  'Deployment',
  'StatefulSet',
  'Job',
  'CronJob',
];

/** The kinds of APPLY_ORDER that workloads depend on: the first tier of an apply. */
const DEPENDED_ON = new Set(['NetworkPolicy', 'Secret', 'ConfigMap', 'PersistentVolumeClaim', 'Service']);

type Send = <T>(request: Parameters<KubeClient['request']>[0]) => Promise<T>;

/** What every write of one apply shares. */
interface Writes {
  send: Send;
  mapper: RestMapper;
  namespace: string;
  applySetId: string;
  /** The server-side apply query: field manager, force, and dryRun=All for a dry-run. */
  query: { fieldManager: string; force: boolean; dryRun: string | undefined };
  dryRun: boolean;
  /** The identity the writes are made as, named in the errors. */
  user: string | undefined;
}

export async function applyPlan(opts: ApplyPlanOptions): Promise<ApplyOutcome> {
  const { namespace, applySetId } = opts;
  const members = checkedMembers(opts);
  const w: Writes = {
    send: (request) =>
      opts.client.request({ ...request, impersonate: opts.impersonate, signal: opts.signal }),
    mapper: opts.mapper,
    namespace,
    applySetId,
    query: { fieldManager: opts.fieldManager, force: true, dryRun: opts.dryRun ? 'All' : undefined },
    dryRun: opts.dryRun ?? false,
    user: opts.impersonate?.user,
  };

  const parentPath = `/api/v1/namespaces/${encodeURIComponent(namespace)}/configmaps/${APPLYSET_PARENT_NAME}`;
  const writeParent = (entries: InventoryEntry[]) =>
    w
      .send({
        method: 'PATCH',
        path: parentPath,
        contentType: PATCH.apply,
        query: w.query,
        body: {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: {
            name: APPLYSET_PARENT_NAME,
            namespace,
            labels: { [LABEL_APPLYSET_ID]: applySetId },
            annotations: { [ANNOTATION_APPLYSET_TOOLING]: APPLYSET_TOOLING, ...encodeInventory(entries) },
          },
        },
      })
      .catch((err: unknown) => {
        throw failureOf(err, `ConfigMap/${APPLYSET_PARENT_NAME}`, w.user);
      });

  const current = members.map(({ apiVersion, kind, metadata }) => ({
    apiVersion,
    kind,
    name: metadata.name,
  }));
  // Nothing recorded and nothing to apply: there is nothing to write, prune or record.
  if (opts.previous?.length === 0 && current.length === 0) return { applied: [], pruned: [], inventory: [] };
  if (w.user && !opts.identityBound) await awaitIdentity(w.send, namespace, w.user, opts.signal);
  const previous = opts.previous ?? (await readInventory(w.send, parentPath, w.user));
  const keep = new Set(current.map(memberKey));
  const dropped = previous.filter((e) => !keep.has(memberKey(e)));
  const kinds = kindsToSearch(previous, current);
  if (w.dryRun) {
    const { applied, pruned } = await dryRunPlan(
      w,
      members,
      kinds,
      keep,
      writeParent([...previous, ...current]),
    );
    return { applied, pruned, inventory: current };
  }
  // Record the union first: if this apply stops half way, the next one still knows what to prune.
  await writeParent([...previous, ...current]);

  const applied: ObjectRef[] = [];
  for (const tier of applyTiers(members)) {
    opts.signal?.throwIfAborted();
    applied.push(...(await inOrder(tier.map((m) => applyObject(w, m)))));
  }
  // Pruning starts once every object of the plan is applied, so a replaced object goes only after its successor is there.
  opts.signal?.throwIfAborted();
  const pruned = (await inOrder(kinds.map((kind) => pruneKind(w, kind, keep)))).flat();

  // The union already was the plan's objects when the last plan named nothing this one drops.
  if (dropped.length > 0) await writeParent(current);
  return { applied, pruned, inventory: current };
}

/**
 * The writes of an apply, the parent's (`parent`, already sent), every object's and pruning's, in one
 * round: a dry-run persists nothing, so none of them can depend on another, and the API server
 * answers each as it would one after another. Errors are reported as an apply meets them: the
 * parent's first, then the objects' in apply order, then pruning's.
 */
async function dryRunPlan(
  w: Writes,
  members: Manifest[],
  kinds: Array<{ apiVersion: string; kind: string }>,
  keep: Set<string>,
  parent: Promise<unknown>,
): Promise<{ applied: ObjectRef[]; pruned: ObjectRef[] }> {
  const [wrote, objects, pruning] = await Promise.allSettled([
    parent,
    inOrder(sortForApply(members).map((m) => applyObject(w, m))),
    inOrder(kinds.map((kind) => pruneKind(w, kind, keep))),
  ]);
  if (wrote.status === 'rejected') throw wrote.reason;
  if (objects.status === 'rejected') throw objects.reason;
  if (pruning.status === 'rejected') throw pruning.reason;
  return { applied: objects.value, pruned: pruning.value.flat() };
}

/** The plan's objects labelled as this applyset's members; refuses an unusable id or a reserved name. */
function checkedMembers(opts: ApplyPlanOptions): Manifest[] {
  const { namespace, applySetId } = opts;
  if (!applySetId || applySetId.length > 63 || !LABEL_VALUE.test(applySetId)) {
    throw new ApplyError(
      'VIBE_APPLY_INVALID_APPLYSET_ID',
      `the applyset id "${applySetId}" is not a valid label value; derive it with applySetIdFor(namespace).`,
    );
  }
  const members = opts.manifests.map((m) => member(m, namespace, applySetId));
  for (const m of members) {
    if (RESERVED_OBJECTS.has(`${m.kind}/${m.metadata.name}`)) {
      throw new ApplyError(
        'VIBE_APPLY_RESERVED_NAME',
        `${m.kind}/${m.metadata.name} is an object the operator keeps in every environment namespace; ` +
          'give the planned object another name.',
        describeRef(refOf(m)),
      );
    }
  }
  return members;
}

/** Server-side applies one object; a cluster-scoped kind is sent, and reported, without a namespace. */
async function applyObject(w: Writes, m: Manifest): Promise<ObjectRef> {
  const ref = refOf(m);
  let resource: Resource;
  try {
    resource = await w.mapper.resourceFor(m.apiVersion, m.kind);
  } catch (err) {
    throw failureOf(err, describeRef(ref), w.user);
  }
  const body = resource.namespaced ? m : { ...m, metadata: { ...m.metadata, namespace: undefined } };
  await w
    .send({
      method: 'PATCH',
      path: objectPath(resource, resource.namespaced ? m.metadata.namespace : undefined, m.metadata.name),
      contentType: PATCH.apply,
      query: w.query,
      body,
    })
    .catch((err: unknown) => {
      throw failureOf(err, describeRef(ref), w.user);
    });
  return resource.namespaced ? ref : { ...ref, namespace: undefined };
}

/** Deletes this applyset's objects of `kind` that `keep` does not name; returns what it deleted. */
async function pruneKind(
  w: Writes,
  kind: { apiVersion: string; kind: string },
  keep: Set<string>,
): Promise<ObjectRef[]> {
  const { namespace } = w;
  let resource: Resource;
  try {
    resource = await w.mapper.resourceFor(kind.apiVersion, kind.kind);
  } catch (err) {
    // A kind the server no longer serves has no objects left to prune.
    if (err instanceof UnknownKindError) return [];
    throw err;
  }
  if (!resource.namespaced) return [];
  let items: KubeObject[];
  try {
    const list = await w.send<{ items: KubeObject[] }>({
      method: 'GET',
      path: collectionPath(resource, namespace),
      query: { labelSelector: `${LABEL_APPLYSET_PART_OF}=${w.applySetId}` },
    });
    items = list.items;
  } catch (err) {
    // The union recorded before an apply that was refused may name a kind this identity may not
    // touch; it cannot have created any, so there is nothing of that kind to prune.
    if (isApiError(err, 403)) return [];
    throw failureOf(err, `${kind.kind} in ${namespace}`, w.user);
  }
  const stale = items.filter(
    (item) =>
      !keep.has(memberKey({ apiVersion: kind.apiVersion, kind: kind.kind, name: item.metadata.name })) &&
      !item.metadata.deletionTimestamp,
  );
  const deleted = await inOrder(
    stale.map(async (item): Promise<ObjectRef | undefined> => {
      const ref = { apiVersion: kind.apiVersion, kind: kind.kind, name: item.metadata.name, namespace };
      try {
        await w.send({
          method: 'DELETE',
          path: objectPath(resource, namespace, item.metadata.name),
          // The API server reads a DELETE's options from its body and ignores the query then.
          body: {
            apiVersion: 'v1',
            kind: 'DeleteOptions',
            propagationPolicy: 'Background',
            ...(w.dryRun ? { dryRun: ['All'] } : {}),
          },
        });
      } catch (err) {
        if (isApiError(err, 404)) return undefined;
        throw failureOf(err, describeRef(ref), w.user);
      }
      return ref;
    }),
  );
  return deleted.filter((ref): ref is ObjectRef => ref !== undefined);
}

function member(manifest: Manifest, namespace: string, applySetId: string): Manifest {
  return {
    ...manifest,
    metadata: {
      ...manifest.metadata,
      namespace: manifest.metadata.namespace ?? namespace,
      labels: { ...manifest.metadata.labels, [LABEL_APPLYSET_PART_OF]: applySetId },
    },
  };
}

function refOf(m: Manifest): ObjectRef {
  return { apiVersion: m.apiVersion, kind: m.kind, name: m.metadata.name, namespace: m.metadata.namespace };
}

function sortForApply(members: Manifest[]): Manifest[] {
  const rank = (kind: string) => {
    const i = APPLY_ORDER.indexOf(kind);
    return i < 0 ? APPLY_ORDER.length : i;
  };
  return [...members].sort((a, b) => rank(a.kind) - rank(b.kind));
}

/**
 * The plan in two tiers applied one after the other, each sent at once: what workloads depend on
 * (their network policies, configuration, volumes, Services), then the rest. Nothing in the
 * second tier is created before everything it may need exists.
 */
function applyTiers(members: Manifest[]): Manifest[][] {
  const sorted = sortForApply(members);
  const first = sorted.filter((m) => DEPENDED_ON.has(m.kind));
  const second = sorted.filter((m) => !DEPENDED_ON.has(m.kind));
  return [first, second].filter((tier) => tier.length > 0);
}

/**
 * Waits for every promise and returns their values in the order given; when any rejects, throws
 * the first rejection in that order (as one write after another would have stopped there).
 */
async function inOrder<T>(promises: Promise<T>[]): Promise<T[]> {
  const settled = await Promise.allSettled(promises);
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) throw failed.reason;
  return settled.map((s) => (s as PromiseFulfilledResult<T>).value);
}

/** One entry per group-kind; the current plan's version wins over one recorded earlier. */
function kindsToSearch(previous: InventoryEntry[], current: InventoryEntry[]) {
  const kinds = new Map<string, { apiVersion: string; kind: string }>();
  for (const e of [...previous, ...current]) {
    kinds.set(`${e.kind}.${groupOf(e.apiVersion)}`, { apiVersion: e.apiVersion, kind: e.kind });
  }
  return [...kinds.values()];
}

async function readInventory(send: Send, path: string, user: string | undefined): Promise<InventoryEntry[]> {
  try {
    const parent = await send<KubeObject>({ method: 'GET', path });
    return decodeInventory(parent.metadata.annotations);
  } catch (err) {
    if (isApiError(err, 404)) return [];
    throw failureOf(err, `ConfigMap/${APPLYSET_PARENT_NAME}`, user);
  }
}

/**
 * RBAC is served from a cache, so a RoleBinding applied a moment ago may not authorize anything
 * yet. Asks the API server as the identity itself (a SelfSubjectAccessReview, open to every user)
 * until it may write the inventory, instead of failing the first apply after isolation.
 */
async function awaitIdentity(
  send: Send,
  namespace: string,
  user: string,
  signal: AbortSignal | undefined,
): Promise<void> {
  const deadline = Date.now() + IDENTITY_WAIT_MS;
  for (let delay = 50; ; delay = Math.min(delay * 2, 1000)) {
    const review = await send<{ status?: { allowed?: boolean } }>({
      method: 'POST',
      path: '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews',
      body: {
        apiVersion: 'authorization.k8s.io/v1',
        kind: 'SelfSubjectAccessReview',
        spec: {
          resourceAttributes: {
            namespace,
            verb: 'patch',
            resource: 'configmaps',
            name: APPLYSET_PARENT_NAME,
          },
        },
      },
    }).catch((err: unknown) => {
      throw failureOf(err, `SelfSubjectAccessReview for ${user}`, user);
    });
    if (review.status?.allowed) return;
    if (Date.now() > deadline) {
      throw new ApplyError(
        'VIBE_APPLY_IDENTITY_NOT_BOUND',
        `${user} may not write in namespace ${namespace} yet; apply the isolation objects ` +
          `(Role and RoleBinding ${APPLIER_ROLE}) before the plan.`,
        `RoleBinding/${APPLIER_ROLE}`,
      );
    }
    await new Promise<void>((resolve, reject) => {
      // One listener per wait, removed when the wait ends: the signal outlives many of them.
      const onAbort = () => (clearTimeout(timer), reject(signal!.reason));
      const timer = setTimeout(() => (signal?.removeEventListener('abort', onAbort), resolve()), delay);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }
}
