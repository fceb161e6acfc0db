/**
 * The allow-list, one entry per kind: the top-level fields each kind may have beside apiVersion,
 * kind and metadata. A kind the policy document allows but that has no entry here is refused:
 * the gate cannot vouch for fields it has never seen.
 */
import { checkRouteParents, GATEWAY_API_GROUP } from '../route-rules.js';
import { horizontalPodAutoscalerSpec, podDisruptionBudgetSpec } from './autoscaling.js';
import { objectMetadata } from './metadata.js';
import { networkPolicySpec } from './network.js';
import { podSpec } from './pod.js';
import { httpRouteHostnames, httpRouteSpec, ingressSpec } from './routes.js';
import { anyString, fields, isObj, type Checker, type Obj, type Rule } from './rules.js';
import { serviceSpec } from './service.js';
import { configMapFields, persistentVolumeClaimSpec, secretFields } from './storage.js';
import { checkWorkload, cronJobSpec, deploymentSpec, jobSpec, statefulSetSpec } from './workloads.js';

interface KindRules {
  readonly fields: Readonly<Record<string, Rule>>;
  /** Checks across fields, run after the field rules. */
  readonly after?: (object: Obj, c: Checker) => void;
}

const workload = (kind: string) => (object: Obj, c: Checker) => checkWorkload(kind, object, c);

const KINDS: Readonly<Record<string, KindRules>> = {
  'v1/ConfigMap': { fields: configMapFields },
  'v1/Secret': { fields: secretFields },
  'v1/Service': { fields: { spec: serviceSpec } },
  'v1/PersistentVolumeClaim': { fields: { spec: persistentVolumeClaimSpec } },
  'v1/Pod': { fields: { spec: podSpec }, after: workload('Pod') },
  'apps/v1/Deployment': { fields: { spec: deploymentSpec }, after: workload('Deployment') },
  'apps/v1/StatefulSet': { fields: { spec: statefulSetSpec }, after: workload('StatefulSet') },
  'batch/v1/Job': { fields: { spec: jobSpec }, after: workload('Job') },
  'batch/v1/CronJob': { fields: { spec: cronJobSpec }, after: workload('CronJob') },
  'networking.k8s.io/v1/NetworkPolicy': { fields: { spec: networkPolicySpec } },
  'networking.k8s.io/v1/Ingress': { fields: { spec: ingressSpec } },
  [`${GATEWAY_API_GROUP}/v1/HTTPRoute`]: {
    fields: { spec: httpRouteSpec },
    after: (object, c) => {
      const spec = isObj(object.spec) ? object.spec : {};
      httpRouteHostnames(spec, 'spec', c);
      const namespace = isObj(object.metadata) ? object.metadata.namespace : undefined;
      for (const v of checkRouteParents(
        spec,
        '',
        typeof namespace === 'string' ? namespace : undefined,
        c.input.gateway,
      )) {
        c.report(v.code, v.field, v.message, v.fix);
      }
    },
  },
  'policy/v1/PodDisruptionBudget': { fields: { spec: podDisruptionBudgetSpec } },
  'autoscaling/v2/HorizontalPodAutoscaler': { fields: { spec: horizontalPodAutoscalerSpec } },
};

export const KNOWN_KINDS: readonly string[] = Object.keys(KINDS);

/** Checks one object of a kind the policy allows; false when the gate has no allow-list for it. */
export function checkObject(typeKey: string, object: Obj, c: Checker): boolean {
  const rules = Object.hasOwn(KINDS, typeKey) ? KINDS[typeKey] : undefined;
  if (!rules) return false;
  fields({
    apiVersion: anyString,
    kind: anyString,
    metadata: objectMetadata,
    ...rules.fields,
  })(object, '', c);
  rules.after?.(object, c);
  return true;
}
