/**
 * What the gate knows about the environment it checks for, beside the policy document: where the
 * objects land, which preview hosts are the environment's, the one ServiceAccount its pods may run
 * as, its quota and the names the operator keeps for itself. Every field is optional so a caller
 * that knows less still gets a verdict; a missing field never widens what is allowed, except where
 * its comment says the operator rewrites that field after the gate.
 */
import type { PolicyDocument } from './document.js';
import type { GatewayParent } from './route-rules.js';

/** The environment namespace's quota, as the operator writes it into its ResourceQuota. */
export interface EnvironmentQuota {
  readonly cpu?: string;
  readonly memory?: string;
  readonly storage?: string;
  readonly pods?: number;
}

/** How the environment is exposed once the operator has rewritten its routes. */
export interface PreviewContext {
  /** Every host an Ingress rule, TLS entry or HTTPRoute hostname may name; nothing else is allowed. */
  readonly hosts: readonly string[];
  /** The only ingressClassName an Ingress may carry; absent means the field must be left out. */
  readonly ingressClassName?: string;
}

export interface PolicyContext {
  /** The environment's namespace; objects get it, and any other namespace is refused. */
  readonly namespace?: string;
  /** The Gateway previews attach to; without it, HTTPRoutes may not attach to any Gateway. */
  readonly gateway?: GatewayParent;
  /**
   * The preview hosts and class. Absent: the operator retargets routes after the gate, so hosts
   * and classes are only required to be plain names.
   */
  readonly preview?: PreviewContext;
  /** The ServiceAccount pods may name; it has no rights. Default `default`. */
  readonly workloadServiceAccount?: string;
  /** A workload that could never fit in this quota is refused; absent, only the policy caps apply. */
  readonly quota?: EnvironmentQuota;
  /** The value of the `applyset.kubernetes.io/part-of` label the operator puts on every object. */
  readonly applySetId?: string;
  /** `Kind/name` of objects the operator keeps in every environment namespace. */
  readonly reservedObjects?: ReadonlySet<string>;
}

/** The policy document and the environment as one fully defaulted, read-only input to every rule. */
export interface GateInput {
  readonly policy: PolicyDocument;
  readonly namespace: string | undefined;
  readonly gateway: GatewayParent | undefined;
  readonly preview: PreviewContext | undefined;
  readonly workloadServiceAccount: string;
  readonly quota: EnvironmentQuota;
  readonly applySetId: string | undefined;
  readonly reservedObjects: ReadonlySet<string>;
  /** The policy's cap on replicas, Job parallelism and completions, and HPA maxReplicas. */
  readonly maxReplicas: number;
}

export const DEFAULT_WORKLOAD_SERVICE_ACCOUNT = 'default';

export function gateInput(policy: PolicyDocument, context: PolicyContext = {}): GateInput {
  return {
    policy,
    namespace: context.namespace,
    gateway: context.gateway,
    preview: context.preview,
    workloadServiceAccount: context.workloadServiceAccount ?? DEFAULT_WORKLOAD_SERVICE_ACCOUNT,
    quota: context.quota ?? {},
    applySetId: context.applySetId,
    reservedObjects: context.reservedObjects ?? new Set(),
    maxReplicas: policy.maxReplicas,
  };
}
