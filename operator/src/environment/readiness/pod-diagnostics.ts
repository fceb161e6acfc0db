/**
 * Runtime failures of an environment's pods, as diagnostics a model can act on: which object,
 * which field of it, what the kubelet or scheduler said, and what to change. Pure: the caller
 * fetches pods, events and log lines.
 */
import type { Diagnostic } from '../../agent/diagnostics.js';

interface ContainerState {
  waiting?: { reason?: string; message?: string };
  terminated?: { reason?: string; message?: string; exitCode?: number };
}

export interface ContainerStatus {
  name: string;
  image?: string;
  restartCount?: number;
  state?: ContainerState;
  lastState?: ContainerState;
}

export interface PodObject {
  metadata: {
    name: string;
    uid?: string;
    ownerReferences?: Array<{ uid: string; kind: string; name: string }>;
  };
  spec?: {
    containers?: Array<{ name: string; image?: string }>;
    initContainers?: Array<{ name: string; image?: string }>;
  };
  status?: {
    phase?: string;
    conditions?: Array<{ type: string; status: string; reason?: string; message?: string }>;
    containerStatuses?: ContainerStatus[];
    initContainerStatuses?: ContainerStatus[];
  };
}

export interface EventObject {
  reason?: string;
  message?: string;
  type?: string;
  involvedObject?: { kind?: string; name?: string; uid?: string; fieldPath?: string };
  firstTimestamp?: string;
  lastTimestamp?: string;
  eventTime?: string;
}

/** The applied object a pod belongs to, and where its pod template sits (`spec.template.spec` or `spec`). */
export interface PodOwner {
  object: string;
  podSpecPath: string;
}

const IMAGE_PULL = new Set(['ErrImagePull', 'ImagePullBackOff', 'InvalidImageName', 'ErrImageNeverPull']);
const CONTAINER_CONFIG = new Set(['CreateContainerConfigError', 'CreateContainerError']);
/**
 * The kubelet's own watch of a Secret or ConfigMap the pod uses has not synced yet (the node's
 * right to read it follows the pod's binding a moment later). The kubelet retries the container on
 * its next sync: no fault of the plan, and a lasting one still ends in the rollout's deadline.
 */
const KUBELET_CACHE_NOT_SYNCED = /failed to sync (secret|configmap) cache/i;

/**
 * Containers restarting after a crash, and which run's log explains it. Kubelets report the back-off
 * either as waiting/CrashLoopBackOff (the crashed run is the previous one) or, on some versions, by
 * leaving the crashed run in state terminated until the restart (the current one).
 */
export function crashingContainers(pod: PodObject): Array<{ name: string; previous: boolean }> {
  return allStatuses(pod)
    .filter(({ status }) => isCrashLooping(status))
    .map(({ status }) => ({ name: status.name, previous: !status.state?.terminated }));
}

function isCrashLooping(status: ContainerStatus): boolean {
  if (status.state?.waiting?.reason === 'CrashLoopBackOff') return true;
  const restarted = (status.restartCount ?? 0) > 0;
  return restarted && (status.state?.terminated?.exitCode ?? 0) !== 0;
}

/** Containers that ran to a non-zero exit and stay stopped (restartPolicy Never): their own log lines explain it. */
export function failedContainers(pod: PodObject): string[] {
  return allStatuses(pod)
    .filter(({ status }) => (status.state?.terminated?.exitCode ?? 0) !== 0)
    .map(({ status }) => status.name);
}

export function podDiagnostics(
  pod: PodObject,
  owner: PodOwner,
  events: readonly EventObject[],
  logs: ReadonlyMap<string, string[]>,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  const at = (field: string) => ({ gate: 'rollout' as const, object: owner.object, field });

  const scheduled = pod.status?.conditions?.find((c) => c.type === 'PodScheduled');
  if (scheduled?.status === 'False' && scheduled.reason === 'Unschedulable') {
    out.push({
      ...at(`${owner.podSpecPath}.containers[*].resources.requests`),
      code: 'VIBE_ROLLOUT_UNSCHEDULABLE',
      message: `no node can run the pod: ${scheduled.message ?? 'the scheduler gave no reason'}`,
      fix: 'request less CPU or memory per container, run fewer replicas, or drop node selectors and affinities no node matches.',
    });
  }

  for (const { status, path } of allStatuses(pod, owner.podSpecPath)) {
    const waiting = status.state?.waiting;
    const image = status.image ?? imageOf(pod, status.name) ?? '(unknown)';
    if (waiting?.reason && IMAGE_PULL.has(waiting.reason)) {
      out.push({
        ...at(`${path}.image`),
        code: 'VIBE_ROLLOUT_IMAGE_PULL',
        message: `container ${status.name} cannot pull image ${image} (${waiting.reason}): ${waiting.message ?? 'the kubelet gave no detail'}`,
        fix: 'use an image that exists, with the right name and tag, in a registry the cluster can reach.',
      });
    } else if (isCrashLooping(status)) {
      out.push(crashLoop(status, path, owner, logs.get(status.name) ?? []));
    } else if (
      waiting?.reason &&
      CONTAINER_CONFIG.has(waiting.reason) &&
      !KUBELET_CACHE_NOT_SYNCED.test(waiting.message ?? '')
    ) {
      out.push({
        ...at(path),
        code: 'VIBE_ROLLOUT_CONTAINER_CONFIG',
        message: `container ${status.name} cannot be created: ${waiting.message ?? waiting.reason}`,
        fix: 'create the ConfigMap or Secret the container refers to, or correct the name and key it uses.',
      });
    }
  }

  for (const probe of lastingProbeFailures(pod, events)) {
    const path = containerPath(pod, owner.podSpecPath, probe.container);
    const lines = logs.get(probe.container) ?? [];
    out.push({
      ...at(`${path}.${probe.kind}`),
      code: 'VIBE_ROLLOUT_PROBE_FAILED',
      message:
        `the ${probe.kind} of container ${probe.container} fails: ${probe.message}` +
        (lines.length ? `; its last log lines:\n${lines.join('\n')}` : ''),
      fix:
        'point the probe at a port and path the container really serves, or give it time with initialDelaySeconds ' +
        'and failureThreshold; when the probe checks a dependency, fix the address the log lines name.',
    });
  }
  return out;
}

/**
 * How long a probe must keep failing before it is a rollout failure. A probe that checks the
 * app's dependencies fails while they start next to it (a database initialising its data
 * directory); only one that is still failing after this is a broken wiring or a wrong probe.
 */
export const PROBE_FAILURE_GRACE_MS = 20_000;

/**
 * Probes of this pod that have kept failing for PROBE_FAILURE_GRACE_MS, judged by the first and
 * last time of their Unhealthy events; a readiness probe no longer counts once the pod is ready.
 */
export function lastingProbeFailures(pod: PodObject, events: readonly EventObject[]): ProbeFailure[] {
  const ready = pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');
  return probeFailures(pod, events).filter(
    (p) => p.lastMs - p.firstMs >= PROBE_FAILURE_GRACE_MS && !(p.kind === 'readinessProbe' && ready),
  );
}

/** A controller could not create pods: over quota, or refused by admission such as PodSecurity. */
export function failedCreateDiagnostic(event: EventObject, owner: PodOwner): Diagnostic | undefined {
  if (event.reason !== 'FailedCreate' || !event.message) return undefined;
  if (/exceeded quota/i.test(event.message)) {
    return {
      gate: 'rollout',
      code: 'VIBE_ROLLOUT_QUOTA_EXCEEDED',
      object: owner.object,
      field: `${owner.podSpecPath}.containers[*].resources`,
      message: `pods cannot be created because the namespace quota is exhausted: ${event.message}`,
      fix: 'request less CPU and memory per container or run fewer replicas; the environment owner can raise spec.resources.',
    };
  }
  return {
    gate: 'rollout',
    code: 'VIBE_ROLLOUT_POD_REJECTED',
    object: owner.object,
    field: owner.podSpecPath,
    message: `pods cannot be created: ${event.message}`,
    fix: 'change the pod template so the API server admits it; the message names the field at fault.',
  };
}

function crashLoop(status: ContainerStatus, path: string, owner: PodOwner, lines: string[]): Diagnostic {
  const last = status.state?.terminated ?? status.lastState?.terminated;
  const exit = last
    ? `exit code ${last.exitCode ?? '?'}${last.reason && last.reason !== 'Error' ? `, ${last.reason}` : ''}`
    : 'no exit status recorded';
  const restarts = status.restartCount ?? 0;
  const tail = lines.length
    ? `; its last log lines:\n${lines.join('\n')}`
    : '; it wrote no log lines before exiting.';
  if (last?.reason === 'OOMKilled') {
    return {
      gate: 'rollout',
      code: 'VIBE_ROLLOUT_OUT_OF_MEMORY',
      object: owner.object,
      field: `${path}.resources.limits.memory`,
      message: `container ${status.name} was killed for using more memory than its limit (${exit}, ${restarts} restarts)${tail}`,
      fix: 'raise the memory limit of the container or make it use less memory.',
    };
  }
  return {
    gate: 'rollout',
    code: 'VIBE_ROLLOUT_CRASH_LOOP',
    object: owner.object,
    field: `${path}.command`,
    message: `container ${status.name} keeps exiting (${exit}, ${restarts} restarts)${tail}`,
    fix: 'keep the main process running in the foreground and fix what the log lines report (missing configuration, wrong arguments, a port in use).',
  };
}

function allStatuses(pod: PodObject, podSpecPath = 'spec') {
  const init = (pod.status?.initContainerStatuses ?? []).map((status) => ({
    status,
    path: containerPath(pod, podSpecPath, status.name, 'initContainers'),
  }));
  const main = (pod.status?.containerStatuses ?? []).map((status) => ({
    status,
    path: containerPath(pod, podSpecPath, status.name),
  }));
  return [...init, ...main];
}

function containerPath(
  pod: PodObject,
  podSpecPath: string,
  name: string,
  list: 'containers' | 'initContainers' = 'containers',
): string {
  const index = (pod.spec?.[list] ?? []).findIndex((c) => c.name === name);
  return `${podSpecPath}.${list}[${index < 0 ? '*' : index}]`;
}

function imageOf(pod: PodObject, container: string): string | undefined {
  return [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])].find(
    (c) => c.name === container,
  )?.image;
}

const PROBE_KIND = {
  Readiness: 'readinessProbe',
  Liveness: 'livenessProbe',
  Startup: 'startupProbe',
} as const;

interface ProbeFailure {
  kind: (typeof PROBE_KIND)[keyof typeof PROBE_KIND];
  container: string;
  message: string;
  firstMs: number;
  lastMs: number;
}

const eventTime = (e: EventObject, which: 'first' | 'last') =>
  Date.parse((which === 'first' ? e.firstTimestamp : e.lastTimestamp) ?? e.eventTime ?? '') || 0;

function probeFailures(pod: PodObject, events: readonly EventObject[]): ProbeFailure[] {
  const found = new Map<string, ProbeFailure>();
  for (const e of events) {
    if (e.reason !== 'Unhealthy' || !e.message || e.involvedObject?.uid !== pod.metadata.uid) continue;
    const match = /^(Readiness|Liveness|Startup) probe failed: ?([\s\S]*)$/.exec(e.message);
    if (!match) continue;
    const kind = PROBE_KIND[match[1] as keyof typeof PROBE_KIND];
    // The kubelet names the container in fieldPath as spec.containers{name}.
    const container = /\{(.+)\}/.exec(e.involvedObject?.fieldPath ?? '')?.[1] ?? '*';
    const key = `${kind}/${container}`;
    const seen = found.get(key);
    found.set(key, {
      kind,
      container,
      message: (match[2] ?? '').trim() || 'no detail given',
      firstMs: Math.min(seen?.firstMs ?? Infinity, eventTime(e, 'first')),
      lastMs: Math.max(seen?.lastMs ?? 0, eventTime(e, 'last')),
    });
  }
  return [...found.values()];
}
