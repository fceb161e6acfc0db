import { describe, expect, it } from 'vitest';
import { isTracked, rolloutState, type WorkloadObject } from './rollout-state.js';

const meta = (generation = 2) => ({ name: 'web', generation });

describe('rolloutState', () => {
  it('waits for a Deployment controller to observe the latest generation', () => {
    const d: WorkloadObject = {
      metadata: meta(3),
      spec: { replicas: 1 },
      status: { observedGeneration: 2, updatedReplicas: 1, replicas: 1, availableReplicas: 1 },
    };
    expect(rolloutState('Deployment', d)).toEqual({
      state: 'pending',
      why: 'the controller has not yet seen the latest spec',
    });
  });

  it('follows a Deployment through updated, old-terminating and available replicas', () => {
    const at = (status: WorkloadObject['status']) =>
      rolloutState('Deployment', {
        metadata: meta(),
        spec: { replicas: 2 },
        status: { observedGeneration: 2, ...status },
      });
    expect(at({ updatedReplicas: 1, replicas: 2, availableReplicas: 1 })).toEqual({
      state: 'pending',
      why: '1 of 2 replicas run the new template',
    });
    expect(at({ updatedReplicas: 2, replicas: 3, availableReplicas: 2 })).toEqual({
      state: 'pending',
      why: '1 old replicas are still terminating',
    });
    expect(at({ updatedReplicas: 2, replicas: 2, availableReplicas: 1 })).toEqual({
      state: 'pending',
      why: '1 of 2 updated replicas are available',
    });
    expect(at({ updatedReplicas: 2, replicas: 2, availableReplicas: 2 })).toEqual({ state: 'ready' });
  });

  it('defaults a Deployment to one replica and fails it past its progress deadline', () => {
    expect(
      rolloutState('Deployment', {
        metadata: meta(),
        status: { observedGeneration: 2, updatedReplicas: 1, replicas: 1, availableReplicas: 1 },
      }),
    ).toEqual({ state: 'ready' });
    const stuck = rolloutState('Deployment', {
      metadata: meta(),
      status: {
        observedGeneration: 2,
        conditions: [
          {
            type: 'Progressing',
            status: 'False',
            reason: 'ProgressDeadlineExceeded',
            message: 'ReplicaSet "web-1" has timed out progressing.',
          },
        ],
      },
    });
    expect(stuck.state === 'failed' && stuck.failure).toMatchObject({
      gate: 'rollout',
      code: 'VIBE_ROLLOUT_DEADLINE_EXCEEDED',
      object: 'Deployment/web',
    });
  });

  it('judges a StatefulSet by ready replicas, then revisions or the partition', () => {
    const sts = (spec: WorkloadObject['spec'], status: WorkloadObject['status']) =>
      rolloutState('StatefulSet', {
        metadata: meta(),
        spec: { replicas: 3, ...spec },
        status: { observedGeneration: 2, ...status },
      });
    expect(sts({}, { readyReplicas: 2 })).toEqual({ state: 'pending', why: '2 of 3 replicas are ready' });
    expect(sts({}, { readyReplicas: 3, currentRevision: 'a', updateRevision: 'b' })).toEqual({
      state: 'pending',
      why: 'replicas are moving to revision b',
    });
    expect(sts({}, { readyReplicas: 3, currentRevision: 'b', updateRevision: 'b' })).toEqual({
      state: 'ready',
    });
    const partitioned = { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 2 } } };
    expect(sts(partitioned, { readyReplicas: 3, updatedReplicas: 0 }).state).toBe('pending');
    expect(sts(partitioned, { readyReplicas: 3, updatedReplicas: 1 })).toEqual({ state: 'ready' });
    expect(
      sts(
        { updateStrategy: { type: 'OnDelete' } },
        { readyReplicas: 3, currentRevision: 'a', updateRevision: 'b' },
      ),
    ).toEqual({
      state: 'ready',
    });
  });

  it('judges a DaemonSet by scheduled, updated and available pods', () => {
    const ds = (status: WorkloadObject['status']) =>
      rolloutState('DaemonSet', { metadata: meta(), status: { observedGeneration: 2, ...status } });
    expect(ds({ desiredNumberScheduled: 2, updatedNumberScheduled: 1, numberAvailable: 1 }).state).toBe(
      'pending',
    );
    expect(ds({ desiredNumberScheduled: 2, updatedNumberScheduled: 2, numberAvailable: 1 }).state).toBe(
      'pending',
    );
    expect(ds({ desiredNumberScheduled: 2, updatedNumberScheduled: 2, numberAvailable: 2 })).toEqual({
      state: 'ready',
    });
  });

  it('reads a Job from its Complete and Failed conditions', () => {
    const job = (
      conditions: Array<{ type: string; status: string; reason?: string; message?: string }>,
      suspend = false,
    ) => rolloutState('Job', { metadata: { name: 'seed' }, spec: { suspend }, status: { conditions } });
    expect(job([{ type: 'Complete', status: 'True' }])).toEqual({ state: 'ready' });
    expect(job([])).toEqual({ state: 'pending', why: 'the job has not completed yet' });
    expect(job([], true)).toEqual({ state: 'pending', why: 'the job is suspended' });
    const failed = job([
      {
        type: 'Failed',
        status: 'True',
        reason: 'BackoffLimitExceeded',
        message: 'Job has reached the specified backoff limit',
      },
    ]);
    expect(failed.state === 'failed' && failed.failure.message).toBe(
      'the job failed (BackoffLimitExceeded): Job has reached the specified backoff limit',
    );
  });

  it('reads a bare Pod from its Ready condition and phase', () => {
    const pod = (status: WorkloadObject['status']) =>
      rolloutState('Pod', { metadata: { name: 'p' }, status });
    expect(pod({ phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] })).toEqual({
      state: 'ready',
    });
    expect(pod({ phase: 'Succeeded' })).toEqual({ state: 'ready' });
    expect(pod({ phase: 'Pending' })).toEqual({ state: 'pending', why: 'the pod is Pending and not ready' });
    expect(pod({ phase: 'Failed' }).state).toBe('failed');
  });

  it('tracks workloads only', () => {
    expect(['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'Pod'].every(isTracked)).toBe(true);
    expect(['ConfigMap', 'Service', 'CronJob', 'Ingress'].some(isTracked)).toBe(false);
  });
});
