import { describe, expect, it } from 'vitest';
import {
  crashingContainers,
  failedContainers,
  failedCreateDiagnostic,
  lastingProbeFailures,
  podDiagnostics,
  type ContainerStatus,
  type EventObject,
  type PodObject,
} from './pod-diagnostics.js';

const owner = { object: 'Deployment/web', podSpecPath: 'spec.template.spec' };

function pod(statuses: ContainerStatus[], extra: Partial<NonNullable<PodObject['status']>> = {}): PodObject {
  return {
    metadata: { name: 'web-1', uid: 'pod-uid' },
    spec: {
      initContainers: [{ name: 'setup', image: 'busybox:1' }],
      containers: [
        { name: 'sidecar', image: 'busybox:1' },
        { name: 'app', image: 'registry.example/app:2' },
      ],
    },
    status: { phase: 'Pending', containerStatuses: statuses, ...extra },
  };
}

describe('podDiagnostics', () => {
  it('reports an image pull failure with the image, the reason and the kubelet message, at the image field', () => {
    const p = pod([
      {
        name: 'app',
        image: 'registry.example/app:2',
        state: {
          waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image "registry.example/app:2"' },
        },
      },
    ]);
    expect(podDiagnostics(p, owner, [], new Map())).toEqual([
      {
        gate: 'rollout',
        code: 'VIBE_ROLLOUT_IMAGE_PULL',
        object: 'Deployment/web',
        field: 'spec.template.spec.containers[1].image',
        message:
          'container app cannot pull image registry.example/app:2 (ImagePullBackOff): Back-off pulling image "registry.example/app:2"',
        fix: 'use an image that exists, with the right name and tag, in a registry the cluster can reach.',
      },
    ]);
  });

  it('puts the crashed run exit code and its log lines into a crash-loop diagnostic', () => {
    const p = pod([
      {
        name: 'app',
        restartCount: 4,
        state: { waiting: { reason: 'CrashLoopBackOff' } },
        lastState: { terminated: { exitCode: 1, reason: 'Error' } },
      },
    ]);
    const [d] = podDiagnostics(p, owner, [], new Map([['app', ['listening', 'panic: no config']]]));
    expect(d).toMatchObject({
      code: 'VIBE_ROLLOUT_CRASH_LOOP',
      field: 'spec.template.spec.containers[1].command',
    });
    expect(d?.message).toBe(
      'container app keeps exiting (exit code 1, 4 restarts); its last log lines:\nlistening\npanic: no config',
    );
  });

  it('recognises a crash loop the kubelet reports as a terminated run after restarts, and reads that run', () => {
    const status: ContainerStatus = {
      name: 'app',
      restartCount: 2,
      state: { terminated: { exitCode: 3, reason: 'Error' } },
    };
    expect(crashingContainers(pod([status]))).toEqual([{ name: 'app', previous: false }]);
    expect(
      crashingContainers(pod([{ ...status, state: { waiting: { reason: 'CrashLoopBackOff' } } }])),
    ).toEqual([{ name: 'app', previous: true }]);
    expect(crashingContainers(pod([{ ...status, restartCount: 0 }]))).toEqual([]);
    const [d] = podDiagnostics(pod([status]), owner, [], new Map());
    expect(d?.message).toBe(
      'container app keeps exiting (exit code 3, 2 restarts); it wrote no log lines before exiting.',
    );
  });

  it('calls an out-of-memory kill by its name and points at the memory limit', () => {
    const p = pod([
      {
        name: 'app',
        restartCount: 1,
        state: { waiting: { reason: 'CrashLoopBackOff' } },
        lastState: { terminated: { exitCode: 137, reason: 'OOMKilled' } },
      },
    ]);
    expect(podDiagnostics(p, owner, [], new Map())[0]).toMatchObject({
      code: 'VIBE_ROLLOUT_OUT_OF_MEMORY',
      field: 'spec.template.spec.containers[1].resources.limits.memory',
    });
  });

  it('reports a missing ConfigMap or Secret as a container config error', () => {
    const p = pod([
      {
        name: 'app',
        state: {
          waiting: { reason: 'CreateContainerConfigError', message: 'configmap "settings" not found' },
        },
      },
    ]);
    expect(podDiagnostics(p, owner, [], new Map())[0]).toMatchObject({
      code: 'VIBE_ROLLOUT_CONTAINER_CONFIG',
      field: 'spec.template.spec.containers[1]',
      message: 'container app cannot be created: configmap "settings" not found',
    });
  });

  it('waits while the kubelet has not synced the Secret or ConfigMap the container uses', () => {
    for (const kind of ['secret', 'configmap']) {
      const p = pod([
        {
          name: 'app',
          state: {
            waiting: {
              reason: 'CreateContainerConfigError',
              message: `failed to sync ${kind} cache: timed out waiting for the condition`,
            },
          },
        },
      ]);
      expect(podDiagnostics(p, owner, [], new Map())).toEqual([]);
    }
  });

  it('locates init containers in initContainers', () => {
    const p = pod([], {
      initContainerStatuses: [
        { name: 'setup', state: { waiting: { reason: 'ErrImagePull', message: 'not found' } } },
      ],
    });
    expect(podDiagnostics(p, owner, [], new Map())[0]?.field).toBe(
      'spec.template.spec.initContainers[0].image',
    );
  });

  it('reports an unschedulable pod with the scheduler message', () => {
    const p = pod([], {
      conditions: [
        {
          type: 'PodScheduled',
          status: 'False',
          reason: 'Unschedulable',
          message: '0/1 nodes are available: 1 Insufficient cpu.',
        },
      ],
    });
    expect(podDiagnostics(p, owner, [], new Map())).toEqual([
      expect.objectContaining({
        code: 'VIBE_ROLLOUT_UNSCHEDULABLE',
        message: 'no node can run the pod: 0/1 nodes are available: 1 Insufficient cpu.',
      }),
    ]);
  });

  const unhealthy = (message: string, uid = 'pod-uid', seconds: [number, number] = [0, 30]): EventObject => ({
    reason: 'Unhealthy',
    message,
    involvedObject: { kind: 'Pod', uid, fieldPath: 'spec.containers{app}' },
    firstTimestamp: new Date(Date.UTC(2026, 0, 1, 0, 0, seconds[0])).toISOString(),
    lastTimestamp: new Date(Date.UTC(2026, 0, 1, 0, 0, seconds[1])).toISOString(),
  });

  it('reports probes that keep failing, from this pod events only, one per probe and container', () => {
    const events = [
      unhealthy(
        'Readiness probe failed: Get "http://10.0.0.5:9999/": dial tcp 10.0.0.5:9999: connect: connection refused',
        'pod-uid',
        [0, 10],
      ),
      unhealthy(
        'Readiness probe failed: Get "http://10.0.0.5:9999/": dial tcp 10.0.0.5:9999: connect: connection refused',
        'pod-uid',
        [12, 24],
      ),
      unhealthy('Liveness probe failed: HTTP probe failed with statuscode: 500'),
      unhealthy('Readiness probe failed: timeout', 'another-pod'),
      { reason: 'Pulled', message: 'ok', involvedObject: { uid: 'pod-uid' } },
    ];
    const found = podDiagnostics(pod([{ name: 'app', state: {} }]), owner, events, new Map());
    expect(found.map((d) => [d.code, d.field])).toEqual([
      ['VIBE_ROLLOUT_PROBE_FAILED', 'spec.template.spec.containers[1].readinessProbe'],
      ['VIBE_ROLLOUT_PROBE_FAILED', 'spec.template.spec.containers[1].livenessProbe'],
    ]);
    expect(found[0]?.message).toBe(
      'the readinessProbe of container app fails: Get "http://10.0.0.5:9999/": dial tcp 10.0.0.5:9999: connect: connection refused',
    );
  });

  it('waits out probes failing for less than the grace period, as while a dependency starts', () => {
    const events = [
      unhealthy('Readiness probe failed: HTTP probe failed with statuscode: 503', 'pod-uid', [0, 18]),
      unhealthy('Liveness probe failed: HTTP probe failed with statuscode: 503', 'pod-uid', [10, 10]),
    ];
    const p = pod([{ name: 'app', state: {} }]);
    expect(podDiagnostics(p, owner, events, new Map())).toEqual([]);
    expect(lastingProbeFailures(p, events)).toEqual([]);
    const later = [
      unhealthy('Readiness probe failed: HTTP probe failed with statuscode: 503', 'pod-uid', [0, 20]),
    ];
    expect(lastingProbeFailures(p, later).map((f) => f.container)).toEqual(['app']);
  });

  it('adds the container log lines to a failing probe, which name the dependency it checks', () => {
    const events = [unhealthy('Readiness probe failed: HTTP probe failed with statuscode: 503')];
    const logs = new Map([['app', ['demo-app: database unreachable at postgres:5433: connection refused']]]);
    const [found] = podDiagnostics(pod([{ name: 'app', state: {} }]), owner, events, logs);
    expect(found?.message).toBe(
      'the readinessProbe of container app fails: HTTP probe failed with statuscode: 503; its last log lines:\n' +
        'demo-app: database unreachable at postgres:5433: connection refused',
    );
  });

  it('ignores readiness probe events once the pod is ready', () => {
    const ready = pod([{ name: 'app', state: {} }], { conditions: [{ type: 'Ready', status: 'True' }] });
    const events = [unhealthy('Readiness probe failed: timeout')];
    expect(podDiagnostics(ready, owner, events, new Map())).toEqual([]);
  });

  it('lists stopped containers that failed, for their log lines', () => {
    const p = pod([
      { name: 'sidecar', state: { terminated: { exitCode: 0 } } },
      { name: 'app', state: { terminated: { exitCode: 2 } } },
    ]);
    expect(failedContainers(p)).toEqual(['app']);
  });
});

describe('failedCreateDiagnostic', () => {
  it('tells quota exhaustion apart from other admission refusals', () => {
    const quota = failedCreateDiagnostic(
      {
        reason: 'FailedCreate',
        message:
          'Error creating: pods "web-1" is forbidden: exceeded quota: vibe-quota, requested: requests.cpu=3',
      },
      owner,
    );
    expect(quota).toMatchObject({
      code: 'VIBE_ROLLOUT_QUOTA_EXCEEDED',
      field: 'spec.template.spec.containers[*].resources',
    });
    const psa = failedCreateDiagnostic(
      {
        reason: 'FailedCreate',
        message: 'Error creating: pods "web-1" is forbidden: violates PodSecurity "restricted:latest"',
      },
      owner,
    );
    expect(psa).toMatchObject({ code: 'VIBE_ROLLOUT_POD_REJECTED', field: 'spec.template.spec' });
    expect(
      failedCreateDiagnostic({ reason: 'SuccessfulCreate', message: 'Created pod' }, owner),
    ).toBeUndefined();
  });
});
