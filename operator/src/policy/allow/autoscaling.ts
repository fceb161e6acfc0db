/** HorizontalPodAutoscalers and PodDisruptionBudgets: bounded by the replica cap, about the plan's own workloads. */
import {
  anyString,
  fields,
  forbid,
  int,
  intOrString,
  isObj,
  list,
  oneOf,
  scalar,
  wrongType,
  type Rule,
  MAX_INT32,
} from './rules.js';
import { labelSelector } from './selectors.js';

const replicas: Rule = (value, at, c) => {
  if (typeof value !== 'number' || !Number.isInteger(value)) return wrongType(c, at, 'an integer', value);
  if (value < 1 || value > c.input.maxReplicas) {
    c.report('VIBE_POLICY_REPLICAS', at, `scales to ${value} replicas.`, `use 1 to ${c.input.maxReplicas}.`);
  }
};

const target = fields({
  type: oneOf(['Utilization', 'AverageValue', 'Value']),
  averageUtilization: int(1, 1000),
  averageValue: scalar,
  value: scalar,
});

const otherMetric = forbid(
  'VIBE_POLICY_HPA_METRIC',
  'scales on metrics of objects or systems outside the workload.',
  "scale on the workload's own cpu or memory (type Resource).",
);

const scalingRules = fields({
  stabilizationWindowSeconds: int(0, 3600),
  selectPolicy: oneOf(['Max', 'Min', 'Disabled']),
  policies: list(
    fields({ type: oneOf(['Pods', 'Percent']), value: int(1, MAX_INT32), periodSeconds: int(1, 1800) }),
    8,
  ),
  tolerance: scalar,
});

const scaleTargetRef: Rule = (value, at, c) => {
  fields({
    apiVersion: oneOf(['apps/v1'], 'VIBE_POLICY_HPA_TARGET', 'scale an apps/v1 Deployment or StatefulSet.'),
    kind: oneOf(
      ['Deployment', 'StatefulSet'],
      'VIBE_POLICY_HPA_TARGET',
      'scale a Deployment or StatefulSet.',
    ),
    name: anyString,
  })(value, at, c);
  if (isObj(value) && !c.declared.has(`${String(value.kind)}/${String(value.name)}`)) {
    c.report(
      'VIBE_POLICY_HPA_TARGET',
      at,
      `scales ${String(value.kind)}/${String(value.name)}, which the plan does not declare.`,
      "scale one of the plan's own Deployments or StatefulSets.",
    );
  }
};

export const horizontalPodAutoscalerSpec = fields({
  scaleTargetRef,
  minReplicas: replicas,
  maxReplicas: replicas,
  metrics: list(
    fields({
      type: oneOf(
        ['Resource', 'ContainerResource'],
        'VIBE_POLICY_HPA_METRIC',
        'use type Resource or ContainerResource.',
      ),
      resource: fields({ name: oneOf(['cpu', 'memory']), target }),
      containerResource: fields({ name: oneOf(['cpu', 'memory']), container: anyString, target }),
      pods: otherMetric,
      object: otherMetric,
      external: otherMetric,
    }),
    8,
  ),
  behavior: fields({ scaleUp: scalingRules, scaleDown: scalingRules }),
});

const maxUnavailable: Rule = (value, at, c) => {
  intOrString(value, at, c);
  if (value === 0 || value === '0%' || (typeof value === 'string' && !/^[1-9]\d?%$|^100%$/.test(value))) {
    c.report(
      'VIBE_POLICY_PDB',
      at,
      `allows ${JSON.stringify(value)} unavailable pods, which can block node drains for good.`,
      'allow at least one pod (or a percentage above 0%) to be unavailable.',
    );
  }
};

export const podDisruptionBudgetSpec = fields({
  selector: labelSelector,
  maxUnavailable,
  minAvailable: forbid(
    'VIBE_POLICY_PDB',
    'sets minAvailable, which can block node drains for good.',
    'use maxUnavailable of at least 1 instead.',
  ),
  unhealthyPodEvictionPolicy: oneOf(['IfHealthyBudget', 'AlwaysAllow']),
});
