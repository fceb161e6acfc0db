/**
 * The policy gate: a pure function from manifests and a policy document to violations, plus the
 * manifests as they would be applied (namespace set, missing requests and limits filled in).
 * Inputs are never modified.
 */
import type { PolicyContext } from './context.js';
import type { PolicyDocument } from './document.js';
import { checkPodSpec, podSpecOf, podSpecPath } from './pod-rules.js';
import { checkRouteParents, GATEWAY_API_GROUP } from './route-rules.js';
import type { Violation } from './violation.js';

type Obj = Record<string, unknown>;

export type { PolicyContext } from './context.js';

export interface PolicyResult {
  readonly violations: Violation[];
  readonly manifests: Obj[];
  /** Fields the gate filled in, so the audit record shows what was not in the script's output. */
  readonly defaulted: string[];
}

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const NAME = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;

function identify(object: Obj, index: number): string {
  const kind = typeof object.kind === 'string' ? object.kind : 'object';
  const name =
    isObj(object.metadata) && typeof object.metadata.name === 'string' ? object.metadata.name : `#${index}`;
  return `${kind}/${name}`;
}

export function evaluatePolicy(
  input: readonly unknown[],
  policy: PolicyDocument,
  context: PolicyContext = {},
): PolicyResult {
  const violations: Violation[] = [];
  const defaulted: string[] = [];
  const manifests: Obj[] = [];
  const allowed = new Set(policy.allowedKinds);
  const seen = new Set<string>();

  if (input.length > policy.maxObjects) {
    violations.push({
      code: 'VIBE_POLICY_TOO_MANY_OBJECTS',
      object: 'environment',
      field: 'manifests',
      message: `the environment has ${input.length} objects; at most ${policy.maxObjects} are allowed.`,
      fix: 'declare fewer objects.',
    });
  }
  const bytes = Buffer.byteLength(JSON.stringify(input));
  if (bytes > policy.maxTotalBytes) {
    violations.push({
      code: 'VIBE_POLICY_TOO_LARGE',
      object: 'environment',
      field: 'manifests',
      message: `the manifests take ${bytes} bytes; at most ${policy.maxTotalBytes} are allowed.`,
      fix: 'move large content out of ConfigMaps and Secrets.',
    });
  }

  input.forEach((raw, index) => {
    if (!isObj(raw)) {
      violations.push({
        code: 'VIBE_POLICY_NOT_AN_OBJECT',
        object: `#${index}`,
        field: '',
        message: 'is not a Kubernetes object.',
        fix: 'emit only objects with apiVersion, kind and metadata.',
      });
      return;
    }
    const object = structuredClone(raw);
    const id = identify(object, index);
    const v = (code: Violation['code'], field: string, message: string, fix: string) =>
      violations.push({ code, object: id, field, message, fix });
    const typeKey = `${String(object.apiVersion)}/${String(object.kind)}`;
    if (!allowed.has(typeKey)) {
      v(
        'VIBE_POLICY_KIND_NOT_ALLOWED',
        'kind',
        `${typeKey} is not allowed in an environment.`,
        `use only ${policy.allowedKinds.join(', ')}.`,
      );
      return;
    }
    const metadata = isObj(object.metadata) ? object.metadata : (object.metadata = {});
    if (typeof metadata.name !== 'string' || !NAME.test(metadata.name)) {
      v('VIBE_POLICY_NAME', 'metadata.name', 'has no valid name.', 'give it a lowercase DNS name.');
    }
    if (seen.has(typeKey + id))
      v('VIBE_POLICY_DUPLICATE', 'metadata.name', 'is declared twice.', 'give each object a unique name.');
    seen.add(typeKey + id);
    if (metadata.namespace !== undefined && metadata.namespace !== context.namespace) {
      v(
        'VIBE_POLICY_NAMESPACE',
        'metadata.namespace',
        `targets namespace "${String(metadata.namespace)}", outside the environment.`,
        'remove metadata.namespace; every object goes into the environment namespace.',
      );
    }
    if (context.namespace) metadata.namespace = context.namespace;

    const kind = String(object.kind);
    const path = podSpecPath(kind);
    const spec = isObj(object.spec) ? object.spec : {};
    if (path) {
      const podSpec = podSpecOf(object, path);
      if (!podSpec)
        v(
          'VIBE_POLICY_POD_SPEC',
          path.join('.'),
          'has no pod spec.',
          'declare the pod template with its containers.',
        );
      else
        violations.push(
          ...checkPodSpec(podSpec, path.join('.'), id, policy, (f) => defaulted.push(`${id} ${f}`)),
        );
      if (typeof spec.replicas === 'number' && spec.replicas > policy.maxReplicas) {
        v(
          'VIBE_POLICY_REPLICAS',
          'spec.replicas',
          `asks for ${spec.replicas} replicas.`,
          `use at most ${policy.maxReplicas}.`,
        );
      }
    }
    if (kind === 'Service') {
      const type = typeof spec.type === 'string' ? spec.type : 'ClusterIP';
      if (!(policy.serviceTypes as string[]).includes(type)) {
        v(
          'VIBE_POLICY_SERVICE_TYPE',
          'spec.type',
          `Service type ${type} is not allowed.`,
          `use ${policy.serviceTypes.join(' or ')}; public traffic goes through an Ingress.`,
        );
      }
      if (Array.isArray(spec.externalIPs) && spec.externalIPs.length) {
        v(
          'VIBE_POLICY_EXTERNAL_IPS',
          'spec.externalIPs',
          'claims external IP addresses.',
          'remove spec.externalIPs.',
        );
      }
    }
    if (kind === 'HTTPRoute' && String(object.apiVersion).startsWith(`${GATEWAY_API_GROUP}/`)) {
      const routeNamespace = typeof metadata.namespace === 'string' ? metadata.namespace : undefined;
      violations.push(...checkRouteParents(spec, id, routeNamespace, context.gateway));
    }
    manifests.push(object);
  });
  return { violations, manifests, defaulted };
}
