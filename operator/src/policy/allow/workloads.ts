/**
 * The workload kinds around a pod template: how many pods they may run (the policy's replica cap,
 * the environment's quota) and the few controller fields that could reach beyond their own pods.
 */
import { parseQuantity } from '../quantity.js';
import { podResource, podSpec } from './pod.js';
import { labelSelector } from './selectors.js';
import { annotations, labels, templateMetadata } from './metadata.js';
import { persistentVolumeClaimSpec } from './storage.js';
import {
  anyString,
  bool,
  fields,
  int,
  intOrString,
  isObj,
  list,
  oneOf,
  wrongType,
  type Checker,
  type Rule,
  MAX_INT32,
} from './rules.js';

/** A count of pods bounded by the policy's replica cap. */
const bounded =
  (what: string): Rule =>
  (value, at, c) => {
    if (typeof value !== 'number' || !Number.isInteger(value)) return wrongType(c, at, 'an integer', value);
    if (value < 0 || value > c.input.maxReplicas) {
      c.report(
        'VIBE_POLICY_REPLICAS',
        at,
        `asks for ${value} ${what}.`,
        `use at most ${c.input.maxReplicas}${value < 0 ? ' and no negative count' : ''}.`,
      );
    }
  };

/** Extra pods during a rollout count too: at most the replica cap, or 100%. */
const maxSurge: Rule = (value, at, c) => {
  if (typeof value === 'string') {
    const percent = /^(\d{1,3})%$/.exec(value);
    if (!percent || Number(percent[1]) > 100) {
      c.report(
        'VIBE_POLICY_REPLICAS',
        at,
        `surges by ${value}.`,
        'surge by at most 100% (or leave maxSurge out).',
      );
    }
    return;
  }
  bounded('extra pods during a rollout')(value, at, c);
};

const podTemplate = fields({ metadata: templateMetadata, spec: podSpec });

export const deploymentSpec = fields({
  replicas: bounded('replicas'),
  selector: labelSelector,
  template: podTemplate,
  strategy: fields({
    type: oneOf(['RollingUpdate', 'Recreate']),
    rollingUpdate: fields({ maxSurge, maxUnavailable: intOrString }),
  }),
  minReadySeconds: int(0, MAX_INT32),
  revisionHistoryLimit: int(0, 100),
  progressDeadlineSeconds: int(1, MAX_INT32),
  paused: bool,
});

export const statefulSetSpec = fields({
  replicas: bounded('replicas'),
  selector: labelSelector,
  template: podTemplate,
  serviceName: anyString,
  podManagementPolicy: oneOf(['OrderedReady', 'Parallel']),
  updateStrategy: fields({
    type: oneOf(['RollingUpdate', 'OnDelete']),
    rollingUpdate: fields({ partition: int(0, MAX_INT32), maxUnavailable: intOrString }),
  }),
  revisionHistoryLimit: int(0, 100),
  minReadySeconds: int(0, MAX_INT32),
  persistentVolumeClaimRetentionPolicy: fields({
    whenDeleted: oneOf(['Retain', 'Delete']),
    whenScaled: oneOf(['Retain', 'Delete']),
  }),
  ordinals: fields({ start: int(0, MAX_INT32) }),
  volumeClaimTemplates: list(
    fields({
      apiVersion: oneOf(['v1']),
      kind: oneOf(['PersistentVolumeClaim']),
      metadata: fields({ name: anyString, labels, annotations }),
      spec: persistentVolumeClaimSpec,
    }),
    8,
  ),
});

export const jobSpec = fields({
  parallelism: bounded('pods in parallel'),
  completions: bounded('completions'),
  activeDeadlineSeconds: int(1, MAX_INT32),
  backoffLimit: int(0, 100),
  backoffLimitPerIndex: int(0, 100),
  maxFailedIndexes: int(0, MAX_INT32),
  completionMode: oneOf(['NonIndexed', 'Indexed']),
  ttlSecondsAfterFinished: int(0, MAX_INT32),
  suspend: bool,
  podFailurePolicy: fields({
    rules: list(
      fields({
        action: oneOf(['FailJob', 'FailIndex', 'Ignore', 'Count']),
        onExitCodes: fields({
          containerName: anyString,
          operator: oneOf(['In', 'NotIn']),
          values: list(int(-MAX_INT32, MAX_INT32), 255),
        }),
        onPodConditions: list(fields({ type: anyString, status: anyString }), 8),
      }),
      20,
    ),
  }),
  successPolicy: fields({
    rules: list(fields({ succeededIndexes: anyString, succeededCount: int(1, MAX_INT32) }), 20),
  }),
  podReplacementPolicy: oneOf(['TerminatingOrFailed', 'Failed']),
  selector: labelSelector,
  manualSelector: oneOf(
    [false],
    'VIBE_POLICY_MANUAL_SELECTOR',
    'remove manualSelector: a Job with a selector of its own can adopt pods it did not create.',
  ),
  template: podTemplate,
});

export const cronJobSpec = fields({
  schedule: anyString,
  timeZone: anyString,
  concurrencyPolicy: oneOf(['Allow', 'Forbid', 'Replace']),
  suspend: bool,
  startingDeadlineSeconds: int(0, MAX_INT32),
  successfulJobsHistoryLimit: int(0, 100),
  failedJobsHistoryLimit: int(0, 100),
  jobTemplate: fields({ metadata: templateMetadata, spec: jobSpec }),
});

/** Where each workload kind keeps its pod spec. */
export function podSpecPath(kind: string): string[] | undefined {
  switch (kind) {
    case 'Pod':
      return ['spec'];
    case 'Deployment':
    case 'StatefulSet':
    case 'Job':
      return ['spec', 'template', 'spec'];
    case 'CronJob':
      return ['spec', 'jobTemplate', 'spec', 'template', 'spec'];
    default:
      return undefined;
  }
}

function at(object: unknown, path: readonly string[]): unknown {
  let node = object;
  for (const key of path) node = isObj(node) && Object.hasOwn(node, key) ? node[key] : undefined;
  return node;
}

/** How many pods a workload may run at once, as far as its own spec says. */
function podsOf(kind: string, object: unknown): number {
  const count = (value: unknown) => (typeof value === 'number' && Number.isInteger(value) ? value : 1);
  switch (kind) {
    case 'Deployment':
    case 'StatefulSet':
      return count(at(object, ['spec', 'replicas']));
    case 'Job':
      return count(at(object, ['spec', 'parallelism']));
    case 'CronJob':
      return count(at(object, ['spec', 'jobTemplate', 'spec', 'parallelism']));
    default:
      return 1;
  }
}

const QUOTA_RESOURCES = [
  { resource: 'cpu', quota: 'cpu' },
  { resource: 'memory', quota: 'memory' },
] as const;

/**
 * A workload must have a pod spec, and one that could never fit in the environment's quota,
 * even alone, is refused.
 */
export function checkWorkload(kind: string, object: unknown, c: Checker): void {
  const path = podSpecPath(kind);
  if (!path) return;
  const spec = at(object, path);
  if (!isObj(spec)) {
    c.report(
      'VIBE_POLICY_POD_SPEC',
      path.join('.'),
      'has no pod spec.',
      'declare the pod template with its containers.',
    );
    return;
  }
  const pods = podsOf(kind, object);
  const quota = c.input.quota;
  if (quota.pods !== undefined && pods > quota.pods) {
    c.report(
      'VIBE_POLICY_QUOTA',
      { Job: 'spec.parallelism', CronJob: 'spec.jobTemplate.spec.parallelism', Pod: 'spec' }[kind] ??
        'spec.replicas',
      `runs ${pods} pods; the environment's quota allows ${quota.pods}.`,
      `run at most ${quota.pods} pods.`,
    );
  }
  for (const { resource, quota: key } of QUOTA_RESOURCES) {
    const limit = parseQuantity(quota[key]);
    if (limit === undefined) continue;
    for (const side of ['requests', 'limits'] as const) {
      const total = podResource(spec, side, resource) * pods;
      if (total > limit) {
        c.report(
          'VIBE_POLICY_QUOTA',
          `${path.join('.')}.containers`,
          `${pods} pods ask for ${side} of ${round(total)} ${resource === 'cpu' ? 'CPUs' : 'bytes'} in all; the environment's quota is ${quota[key]}.`,
          `lower the containers' ${resource} ${side} or the number of pods.`,
        );
      }
    }
  }
}

const round = (n: number) => Math.round(n * 1000) / 1000;
