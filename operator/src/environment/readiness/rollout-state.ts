/**
 * Where one workload's rollout stands, read from its status the way `kubectl rollout status`
 * judges it: the controller has seen the latest spec, every replica runs the new template and is
 * available; a Job has completed; a bare Pod is ready or has succeeded.
 */
import type { Diagnostic } from '../../agent/diagnostics.js';

export type RolloutState =
  { state: 'ready' } | { state: 'pending'; why: string } | { state: 'failed'; failure: Diagnostic };

interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}

export interface WorkloadObject {
  kind?: string;
  metadata: { name: string; generation?: number; uid?: string };
  spec?: {
    replicas?: number;
    updateStrategy?: { type?: string; rollingUpdate?: { partition?: number } };
    suspend?: boolean;
  };
  status?: {
    observedGeneration?: number;
    replicas?: number;
    updatedReplicas?: number;
    availableReplicas?: number;
    readyReplicas?: number;
    currentRevision?: string;
    updateRevision?: string;
    desiredNumberScheduled?: number;
    updatedNumberScheduled?: number;
    numberAvailable?: number;
    phase?: string;
    conditions?: Condition[];
  };
}

/** The kinds whose rollout is tracked; everything else is ready once the API server stored it. */
export const TRACKED_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'Pod'] as const;
export type TrackedKind = (typeof TRACKED_KINDS)[number];

export function isTracked(kind: string): kind is TrackedKind {
  return (TRACKED_KINDS as readonly string[]).includes(kind);
}

const pending = (why: string): RolloutState => ({ state: 'pending', why });
const READY: RolloutState = { state: 'ready' };

function condition(obj: WorkloadObject, type: string): Condition | undefined {
  return obj.status?.conditions?.find((c) => c.type === type);
}

function unobserved(obj: WorkloadObject): boolean {
  const observed = obj.status?.observedGeneration;
  return observed === undefined || (obj.metadata.generation ?? 0) > observed;
}

export function rolloutState(kind: TrackedKind, obj: WorkloadObject): RolloutState {
  switch (kind) {
    case 'Deployment':
      return deploymentState(obj);
    case 'StatefulSet':
      return statefulSetState(obj);
    case 'DaemonSet':
      return daemonSetState(obj);
    case 'Job':
      return jobState(obj);
    case 'Pod':
      return podState(obj);
  }
}

function deploymentState(obj: WorkloadObject): RolloutState {
  if (unobserved(obj)) return pending('the controller has not yet seen the latest spec');
  const progressing = condition(obj, 'Progressing');
  if (progressing?.reason === 'ProgressDeadlineExceeded') {
    return {
      state: 'failed',
      failure: {
        gate: 'rollout',
        code: 'VIBE_ROLLOUT_DEADLINE_EXCEEDED',
        object: `Deployment/${obj.metadata.name}`,
        field: 'spec.template',
        message: `the rollout made no progress within its deadline: ${progressing.message ?? 'no detail given'}`,
        fix: 'look at the pods it creates: their image, command and probes must let a container start and become ready.',
      },
    };
  }
  const want = obj.spec?.replicas ?? 1;
  const { updatedReplicas = 0, replicas = 0, availableReplicas = 0 } = obj.status ?? {};
  if (updatedReplicas < want) return pending(`${updatedReplicas} of ${want} replicas run the new template`);
  if (replicas > updatedReplicas)
    return pending(`${replicas - updatedReplicas} old replicas are still terminating`);
  if (availableReplicas < updatedReplicas)
    return pending(`${availableReplicas} of ${updatedReplicas} updated replicas are available`);
  return READY;
}

function statefulSetState(obj: WorkloadObject): RolloutState {
  if (unobserved(obj)) return pending('the controller has not yet seen the latest spec');
  const want = obj.spec?.replicas ?? 1;
  const { readyReplicas = 0, updatedReplicas = 0, currentRevision, updateRevision } = obj.status ?? {};
  if (readyReplicas < want) return pending(`${readyReplicas} of ${want} replicas are ready`);
  const strategy = obj.spec?.updateStrategy;
  if (strategy?.type === 'OnDelete') return READY;
  const partition = strategy?.rollingUpdate?.partition ?? 0;
  if (partition > 0) {
    return updatedReplicas < want - partition
      ? pending(`${updatedReplicas} of ${want - partition} replicas above the partition are updated`)
      : READY;
  }
  if (updateRevision !== currentRevision)
    return pending(`replicas are moving to revision ${updateRevision ?? '(unknown)'}`);
  return READY;
}

function daemonSetState(obj: WorkloadObject): RolloutState {
  if (unobserved(obj)) return pending('the controller has not yet seen the latest spec');
  const { desiredNumberScheduled = 0, updatedNumberScheduled = 0, numberAvailable = 0 } = obj.status ?? {};
  if (updatedNumberScheduled < desiredNumberScheduled) {
    return pending(`${updatedNumberScheduled} of ${desiredNumberScheduled} nodes run the new template`);
  }
  if (numberAvailable < desiredNumberScheduled)
    return pending(`${numberAvailable} of ${desiredNumberScheduled} pods are available`);
  return READY;
}

function jobState(obj: WorkloadObject): RolloutState {
  if (condition(obj, 'Complete')?.status === 'True') return READY;
  const failed = condition(obj, 'Failed');
  if (failed?.status === 'True') {
    return {
      state: 'failed',
      failure: {
        gate: 'rollout',
        code: 'VIBE_ROLLOUT_JOB_FAILED',
        object: `Job/${obj.metadata.name}`,
        field: 'spec.template.spec.containers',
        message: `the job failed (${failed.reason ?? 'no reason given'}): ${failed.message ?? 'no detail given'}`,
        fix: 'make the command exit 0: fix what its log lines report, or its arguments and configuration.',
      },
    };
  }
  if (obj.spec?.suspend) return pending('the job is suspended');
  return pending('the job has not completed yet');
}

function podState(obj: WorkloadObject): RolloutState {
  const phase = obj.status?.phase;
  if (phase === 'Succeeded' || condition(obj, 'Ready')?.status === 'True') return READY;
  if (phase === 'Failed') {
    return {
      state: 'failed',
      failure: {
        gate: 'rollout',
        code: 'VIBE_ROLLOUT_POD_FAILED',
        object: `Pod/${obj.metadata.name}`,
        field: 'spec.containers',
        message: 'the pod stopped with a failed container and will not be restarted.',
        fix: 'make the command run without error: fix what its log lines report.',
      },
    };
  }
  return pending(`the pod is ${phase ?? 'not yet scheduled'} and not ready`);
}
