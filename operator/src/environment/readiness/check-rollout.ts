/**
 * Where the rollout of an applied plan stands, and what went wrong at runtime in words a model
 * can act on: the debugging loop's eyes. Reads as the operator; changes nothing.
 */
import type { Diagnostic } from '../../agent/diagnostics.js';
import { isApiError } from '../../reconciler/errors.js';
import type { KubeClient } from '../../reconciler/kube-client.js';
import type { ObjectRef } from '../objects.js';
import {
  crashingContainers,
  failedContainers,
  failedCreateDiagnostic,
  lastingProbeFailures,
  podDiagnostics,
  type EventObject,
  type PodObject,
  type PodOwner,
} from './pod-diagnostics.js';
import { isTracked, rolloutState, type TrackedKind, type WorkloadObject } from './rollout-state.js';

export interface RolloutReport {
  ready: boolean;
  /** `Kind/name` of tracked objects still rolling out without a known failure. */
  pending: string[];
  /** What each pending object waits for, one line each, for status messages. */
  progress: string[];
  failures: Diagnostic[];
}

export interface CheckRolloutOptions {
  client: KubeClient;
  namespace: string;
  applied: ObjectRef[];
  /** How many of a crashing container's last log lines go into its diagnostic; 20 unless set. */
  logLines?: number;
}

const PATHS: Record<TrackedKind, string> = {
  Deployment: '/apis/apps/v1/namespaces/{ns}/deployments',
  StatefulSet: '/apis/apps/v1/namespaces/{ns}/statefulsets',
  DaemonSet: '/apis/apps/v1/namespaces/{ns}/daemonsets',
  Job: '/apis/batch/v1/namespaces/{ns}/jobs',
  Pod: '/api/v1/namespaces/{ns}/pods',
};

/** Groups each tracked kind is served in; a same-named kind of another group is not ours to judge. */
const GROUPS: Record<TrackedKind, string> = {
  Deployment: 'apps',
  StatefulSet: 'apps',
  DaemonSet: 'apps',
  Job: 'batch',
  Pod: '',
};

interface ReplicaSetObject {
  metadata: {
    name: string;
    uid?: string;
    ownerReferences?: Array<{ uid: string }>;
    annotations?: Record<string, string>;
  };
  spec?: { replicas?: number };
  status?: { replicas?: number };
}

type Controlled = WorkloadObject & { metadata: { uid?: string } };

export async function checkRollout(opts: CheckRolloutOptions): Promise<RolloutReport> {
  const { client, namespace } = opts;
  const reader: LogReader = { client, namespace, tailLines: opts.logLines ?? 20 };
  const path = (kind: TrackedKind) => PATHS[kind].replace('{ns}', encodeURIComponent(namespace));
  const tracked = opts.applied.filter(
    (r): r is ObjectRef & { kind: TrackedKind } =>
      isTracked(r.kind) && (r.apiVersion.includes('/') ? r.apiVersion.split('/')[0] : '') === GROUPS[r.kind],
  );
  const report: RolloutReport = { ready: true, pending: [], progress: [], failures: [] };
  if (tracked.length === 0) return report;

  const list = async <T>(url: string) =>
    (await client.request<{ items: T[] }>({ method: 'GET', path: url })).items;
  const read = (ref: ObjectRef & { kind: TrackedKind }) =>
    client
      .request<Controlled>({ method: 'GET', path: `${path(ref.kind)}/${encodeURIComponent(ref.name)}` })
      .catch((err: unknown) => {
        if (isApiError(err, 404)) return undefined;
        throw err;
      });
  // Every read at once: none depends on another, and Ready is seen one round trip sooner.
  const [pods, events, replicaSets, objects] = await Promise.all([
    list<PodObject>(path('Pod')),
    list<EventObject>(`/api/v1/namespaces/${encodeURIComponent(namespace)}/events`),
    tracked.some((r) => r.kind === 'Deployment')
      ? list<ReplicaSetObject>(`/apis/apps/v1/namespaces/${encodeURIComponent(namespace)}/replicasets`)
      : Promise.resolve([]),
    Promise.all(tracked.map(read)),
  ]);

  for (const [i, ref] of tracked.entries()) {
    const id = `${ref.kind}/${ref.name}`;
    const obj = objects[i];
    if (!obj) {
      report.pending.push(id);
      report.progress.push(`${id}: not found; it was deleted or not applied yet`);
      continue;
    }
    const state = rolloutState(ref.kind, obj);
    if (state.state === 'ready') continue;
    const controllers = controllersOf(ref.kind, obj, replicaSets);
    const owned =
      ref.kind === 'Pod'
        ? pods.filter((p) => p.metadata.uid === obj.metadata.uid)
        : podsOwnedBy(pods, controllers);
    const owner: PodOwner = { object: id, podSpecPath: ref.kind === 'Pod' ? 'spec' : 'spec.template.spec' };
    const found = await runtimeFailures(reader, owner, owned, controllers, events);
    if (state.state === 'failed') found.push(await withLogLines(reader, state.failure, owned));
    if (found.length > 0) {
      report.failures.push(...unique(found));
    } else if (state.state === 'pending') {
      report.pending.push(id);
      report.progress.push(`${id}: ${state.why}`);
    }
  }
  report.ready = report.pending.length === 0 && report.failures.length === 0;
  return report;
}

interface LogReader {
  client: KubeClient;
  namespace: string;
  tailLines: number;
}

/** What the pods and their controllers say went wrong: kubelet and scheduler states, probe and FailedCreate events. */
async function runtimeFailures(
  reader: LogReader,
  owner: PodOwner,
  owned: PodObject[],
  controllers: Array<Controlled | ReplicaSetObject>,
  events: EventObject[],
): Promise<Diagnostic[]> {
  const found: Diagnostic[] = [];
  for (const pod of owned) {
    const logs = new Map<string, string[]>();
    for (const { name, previous } of crashingContainers(pod)) {
      logs.set(name, await readLogLines(reader, pod.metadata.name, name, previous));
    }
    // A probe that checks dependencies fails with a bare status code; the app's log says which one.
    for (const { container } of lastingProbeFailures(pod, events)) {
      if (!logs.has(container))
        logs.set(container, await readLogLines(reader, pod.metadata.name, container, false));
    }
    found.push(...podDiagnostics(pod, owner, events, logs));
  }
  for (const controller of controllers.filter(stillCreating)) {
    const event = latestFailedCreate(events, controller.metadata.uid);
    const diagnostic = event && failedCreateDiagnostic(event, owner);
    if (diagnostic) found.push(diagnostic);
  }
  return found;
}

/** A failed Job or Pod, with the last log lines of its containers that exited non-zero. */
async function withLogLines(reader: LogReader, failure: Diagnostic, owned: PodObject[]): Promise<Diagnostic> {
  const lines: string[] = [];
  for (const pod of owned) {
    for (const container of failedContainers(pod)) {
      lines.push(...(await readLogLines(reader, pod.metadata.name, container, false)));
    }
  }
  if (lines.length === 0) return failure;
  return {
    ...failure,
    message: `${failure.message}; the last log lines:\n${lines.slice(-reader.tailLines).join('\n')}`,
  };
}

/** The objects that create the workload's pods: its ReplicaSets for a Deployment, itself otherwise. */
function controllersOf(
  kind: TrackedKind,
  obj: Controlled,
  replicaSets: ReplicaSetObject[],
): Array<Controlled | ReplicaSetObject> {
  if (kind === 'Pod') return [];
  if (kind !== 'Deployment') return [obj];
  const owned = replicaSets.filter((rs) =>
    rs.metadata.ownerReferences?.some((o) => o.uid === obj.metadata.uid),
  );
  // Only the newest ReplicaSet's pods and events matter; older ones are being scaled away.
  const revision = (rs: ReplicaSetObject) =>
    Number(rs.metadata.annotations?.['deployment.kubernetes.io/revision'] ?? 0);
  const newest = owned.reduce<ReplicaSetObject | undefined>(
    (a, b) => (!a || revision(b) > revision(a) ? b : a),
    undefined,
  );
  return newest ? [newest] : [];
}

function podsOwnedBy(pods: PodObject[], controllers: Array<{ metadata: { uid?: string } }>): PodObject[] {
  const uids = new Set(controllers.map((c) => c.metadata.uid).filter(Boolean));
  return pods.filter((p) => p.metadata.ownerReferences?.some((o) => uids.has(o.uid)));
}

/** A FailedCreate event matters only while the controller still has pods left to create. */
function stillCreating(controller: { spec?: { replicas?: number }; status?: { replicas?: number } }) {
  const want = controller.spec?.replicas;
  return want === undefined || (controller.status?.replicas ?? 0) < want;
}

function latestFailedCreate(events: EventObject[], uid: string | undefined): EventObject | undefined {
  if (!uid) return undefined;
  const when = (e: EventObject) => Date.parse(e.lastTimestamp ?? e.eventTime ?? e.firstTimestamp ?? '') || 0;
  return events
    .filter((e) => e.reason === 'FailedCreate' && e.involvedObject?.uid === uid)
    .sort((a, b) => when(a) - when(b))
    .at(-1);
}

/** One diagnostic per code, object and field: ten crashing replicas are one problem. */
function unique(diagnostics: Diagnostic[]): Diagnostic[] {
  const seen = new Map<string, Diagnostic>();
  for (const d of diagnostics) {
    const key = `${d.code}|${d.object ?? ''}|${d.field ?? ''}`;
    if (!seen.has(key)) seen.set(key, d);
  }
  return [...seen.values()];
}

/** The kubelet's answer, as log content, when a run's log file is already gone. */
const LOGS_GONE = /^unable to retrieve container logs for /;

/** The tail of a container's log, from the run asked for or, when that one left none, the other. */
async function readLogLines(
  reader: LogReader,
  pod: string,
  container: string,
  previous: boolean,
): Promise<string[]> {
  const { client, namespace, tailLines } = reader;
  const read = async (previousRun: boolean) => {
    const lines: string[] = [];
    try {
      await client.stream(
        {
          path: `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(pod)}/log`,
          query: { container, tailLines, previous: previousRun },
        },
        (line) => lines.push(line),
      );
    } catch (err) {
      // A run that has no log yet (or any more) reads as none; the diagnostic says so.
      if (isApiError(err, 400) || isApiError(err, 404)) return [];
      throw err;
    }
    return lines.length === 1 && LOGS_GONE.test(lines[0] ?? '') ? [] : lines;
  };
  const lines = await read(previous);
  return lines.length ? lines : read(!previous);
}
