/**
 * checkRollout on the full local cluster: workloads applied through applyPlan into an isolated
 * namespace either roll out or fail in the ways plans really fail, and each failure comes back as a
 * rollout diagnostic naming the object, the field and what the kubelet, scheduler or quota said.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../operator/src/agent/diagnostics.js';
import { parseVibeEnvironmentSpec, type VibeEnvironment } from '../../operator/src/api/vibe-environment.js';
import {
  applyPlan,
  type ObjectRef,
  type Manifest,
  applySetIdFor,
  applierUser,
  isolationObjects,
  type IsolationSettings,
  checkRollout,
  type RolloutReport,
} from '../../operator/src/environment/index.js';
import { applyObject } from '../../operator/src/reconciler/apply.js';
import { isApiError } from '../../operator/src/reconciler/errors.js';
import { RestMapper } from '../../operator/src/reconciler/rest-mapper.js';
import { testClient, waitFor } from '../support/kube.js';

const client = testClient();
const mapper = new RestMapper(client);
const FIELD_MANAGER = 'vibe-operator-e2e';
const namespace = `vibe-e2e-rollout-${Date.now().toString(36)}-${Math.floor(Math.random() * 1e4)}`;

const settings: IsolationSettings = {
  namespacePrefix: 'vibe-',
  defaults: { cpu: '2', memory: '2Gi', pods: 20, storage: '1Gi' },
  containerDefaults: { cpuRequest: '10m', memoryRequest: '16Mi', cpuLimit: '100m', memoryLimit: '32Mi' },
  podSecurity: 'restricted',
};

const environment: VibeEnvironment = {
  apiVersion: 'vibe.dev/v1alpha1',
  kind: 'VibeEnvironment',
  metadata: { name: 'rollout', namespace: 'e2e' },
  spec: parseVibeEnvironmentSpec({ intent: 'workloads that fail in every way' }),
};

type Container = Record<string, unknown>;

function podSpec(container: Container, extra: Record<string, unknown> = {}) {
  return {
    automountServiceAccountToken: false,
    terminationGracePeriodSeconds: 1,
    securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
    containers: [
      {
        name: 'main',
        image: 'localhost/vibe/busybox:test',
        imagePullPolicy: 'IfNotPresent',
        securityContext: {
          allowPrivilegeEscalation: false,
          readOnlyRootFilesystem: true,
          capabilities: { drop: ['ALL'] },
        },
        ...container,
      },
    ],
    ...extra,
  };
}

function deployment(name: string, container: Container, extra: Record<string, unknown> = {}): Manifest {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name },
    spec: {
      replicas: 1,
      progressDeadlineSeconds: 600,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: podSpec(container, extra) },
    },
  };
}

function job(name: string, command: string[]): Manifest {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name },
    spec: { backoffLimit: 0, template: { spec: podSpec({ command }, { restartPolicy: 'Never' }) } },
  };
}

const SERVE = ['httpd', '-f', '-p', '8080', '-h', '/www'];

const plan: Manifest[] = [
  deployment('web', {
    command: SERVE,
    readinessProbe: { httpGet: { path: '/', port: 8080 }, periodSeconds: 1 },
  }),
  deployment('missing-image', { image: 'localhost/vibe/does-not-exist:1', command: SERVE }),
  deployment('crasher', {
    command: ['sh', '-c', 'echo starting up; echo "fatal: DATABASE_URL is not set" >&2; exit 3'],
  }),
  deployment('wrong-probe', {
    command: SERVE,
    readinessProbe: { httpGet: { path: '/', port: 9999 }, periodSeconds: 1, failureThreshold: 1 },
  }),
  deployment('greedy', {
    command: SERVE,
    resources: { requests: { cpu: '3', memory: '16Mi' }, limits: { cpu: '3', memory: '32Mi' } },
  }),
  deployment('nowhere', { command: SERVE }, { nodeSelector: { 'vibe.dev/no-such-node': 'true' } }),
  {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'store' },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'store' } },
      template: { metadata: { labels: { app: 'store' } }, spec: podSpec({ command: SERVE }) },
    },
  },
  job('migrate', ['sh', '-c', 'echo migrated']),
  job('seed', ['sh', '-c', 'echo "seed: table users is missing"; exit 2']),
];

let applied: ObjectRef[];
const refTo = (name: string, kind = 'Deployment') => {
  const ref = applied.find((r) => r.kind === kind && r.name === name);
  if (!ref) throw new Error(`${kind}/${name} was not applied`);
  return ref;
};

/** Polls checkRollout for one object until the predicate holds; returns that report. */
function rolloutOf(
  name: string,
  until: (report: RolloutReport) => boolean,
  kind = 'Deployment',
): Promise<RolloutReport> {
  return waitFor(
    `${kind}/${name} to reach the expected rollout state`,
    async () => {
      const report = await checkRollout({ client, namespace, applied: [refTo(name, kind)], logLines: 5 });
      return until(report) ? report : undefined;
    },
    180_000,
    1000,
  );
}

const withCode = (code: string) => (report: RolloutReport) => report.failures.some((f) => f.code === code);
const only = (report: RolloutReport): Diagnostic => {
  expect(report.failures).toHaveLength(1);
  return report.failures[0] as Diagnostic;
};

beforeAll(async () => {
  for (const object of isolationObjects(environment, namespace, settings)) {
    await applyObject(client, mapper, object, FIELD_MANAGER);
  }
  const outcome = await applyPlan({
    client,
    mapper,
    fieldManager: FIELD_MANAGER,
    namespace,
    applySetId: applySetIdFor(namespace),
    manifests: plan,
    impersonate: applierUser(namespace),
  });
  applied = outcome.applied;
});

afterAll(async () => {
  try {
    await client.request({ method: 'DELETE', path: `/api/v1/namespaces/${namespace}` });
  } catch (err) {
    if (!isApiError(err, 404)) throw err;
  }
});

describe('checkRollout', () => {
  it('reports a Deployment ready once its replica is available, and non-workloads need no waiting', async () => {
    const report = await rolloutOf('web', (r) => r.ready);
    expect(report).toEqual({ ready: true, pending: [], progress: [], failures: [] });
    const untracked = await checkRollout({
      client,
      namespace,
      applied: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'anything', namespace }],
    });
    expect(untracked.ready).toBe(true);
  });

  it('turns a missing image into an image-pull diagnostic with the image and the kubelet message', async () => {
    const d = only(await rolloutOf('missing-image', withCode('VIBE_ROLLOUT_IMAGE_PULL')));
    expect(d).toMatchObject({
      gate: 'rollout',
      object: 'Deployment/missing-image',
      field: 'spec.template.spec.containers[0].image',
    });
    expect(d.message).toContain('localhost/vibe/does-not-exist:1');
    expect(d.message).toMatch(/\((ErrImagePull|ImagePullBackOff)\): \S+/);
    expect(d.fix).toBeTruthy();
  });

  it('turns a crash loop into a diagnostic carrying the exit code and the last log lines', async () => {
    const report = await rolloutOf('crasher', withCode('VIBE_ROLLOUT_CRASH_LOOP'));
    expect(report.ready).toBe(false);
    expect(report.pending).toEqual([]);
    const d = only(report);
    expect(d).toMatchObject({
      object: 'Deployment/crasher',
      field: 'spec.template.spec.containers[0].command',
    });
    expect(d.message).toContain('exit code 3');
    const [, tail = ''] = d.message.split('its last log lines:\n');
    // stdout and stderr reach the log through separate pipes, so their relative order is not fixed.
    expect(tail.split('\n').sort()).toEqual(['fatal: DATABASE_URL is not set', 'starting up']);
  });

  it('names the probe that keeps a container from becoming ready', async () => {
    const d = only(await rolloutOf('wrong-probe', withCode('VIBE_ROLLOUT_PROBE_FAILED')));
    expect(d.field).toBe('spec.template.spec.containers[0].readinessProbe');
    expect(d.message).toContain('the readinessProbe of container main fails');
    expect(d.message).toContain('9999');
  });

  it('reports pods the namespace quota refuses', async () => {
    const d = only(await rolloutOf('greedy', withCode('VIBE_ROLLOUT_QUOTA_EXCEEDED')));
    expect(d.object).toBe('Deployment/greedy');
    expect(d.message).toContain('exceeded quota: vibe-quota');
    expect(d.fix).toContain('spec.resources');
  });

  it('reports a pod no node can run', async () => {
    const d = only(await rolloutOf('nowhere', withCode('VIBE_ROLLOUT_UNSCHEDULABLE')));
    expect(d.object).toBe('Deployment/nowhere');
    expect(d.message).toMatch(/no node can run the pod: 0\/\d+ nodes are available/);
  });

  it('reports a StatefulSet ready once every replica is ready on the current revision', async () => {
    const report = await rolloutOf('store', (r) => r.ready, 'StatefulSet');
    expect(report.failures).toEqual([]);
    const pods = await client.request<{ items: Array<{ metadata: { name: string } }> }>({
      method: 'GET',
      path: `/api/v1/namespaces/${namespace}/pods`,
      query: { labelSelector: 'app=store' },
    });
    expect(pods.items.map((p) => p.metadata.name).sort()).toEqual(['store-0', 'store-1']);
  });

  it('reports a completed Job ready and a failed one with its reason', async () => {
    expect((await rolloutOf('migrate', (r) => r.ready, 'Job')).failures).toEqual([]);
    const failed = await rolloutOf('seed', withCode('VIBE_ROLLOUT_JOB_FAILED'), 'Job');
    expect(failed.ready).toBe(false);
    const d = failed.failures.find((f) => f.code === 'VIBE_ROLLOUT_JOB_FAILED');
    expect(d?.object).toBe('Job/seed');
    expect(d?.message).toContain('BackoffLimitExceeded');
    expect(d?.message).toContain('seed: table users is missing');
  });

  it('reports every failing object in one pass and nothing about the healthy ones', async () => {
    const report = await waitFor(
      'every broken object to be diagnosed at once',
      async () => {
        const r = await checkRollout({ client, namespace, applied, logLines: 5 });
        return r.failures.length === 6 ? r : undefined;
      },
      60_000,
      1000,
    );
    expect(report.ready).toBe(false);
    expect(report.failures.map((f) => f.object).sort()).toEqual([
      'Deployment/crasher',
      'Deployment/greedy',
      'Deployment/missing-image',
      'Deployment/nowhere',
      'Deployment/wrong-probe',
      'Job/seed',
    ]);
    expect(report.pending).toEqual([]);
  });
});
