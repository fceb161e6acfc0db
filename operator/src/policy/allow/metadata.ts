/**
 * Object metadata: a name, labels and annotations, nothing the API server or a controller owns.
 * Keys under the prefixes Kubernetes and the operator reserve (`kubernetes.io/`, `k8s.io/`,
 * `vibe.dev/` and their subdomains, ApplySet's included) are the operator's and the cluster's,
 * except Kubernetes' recommended `app.kubernetes.io/` labels and the applyset and preview-exposed
 * labels the operator sets itself.
 */
import { LABEL_MANAGED_BY, MANAGED_BY } from '../../api/group.js';
import { LABEL_APPLYSET_PART_OF, LABEL_PREVIEW_EXPOSED } from '../../api/labels.js';
import {
  anyString,
  child,
  fields,
  forbid,
  isObj,
  mapOf,
  wrongType,
  type Checker,
  type Rule,
} from './rules.js';

const RESERVED_DOMAINS = ['kubernetes.io', 'k8s.io', 'vibe.dev'];
const RECOMMENDED_LABELS = new Set(
  ['name', 'instance', 'version', 'component', 'part-of', 'managed-by'].map((k) => `app.kubernetes.io/${k}`),
);

function reservedPrefix(key: string): string | undefined {
  const slash = key.indexOf('/');
  if (slash < 0) return undefined;
  const prefix = key.slice(0, slash).toLowerCase();
  return RESERVED_DOMAINS.find((d) => prefix === d || prefix.endsWith(`.${d}`));
}

function allowedReserved(key: string, value: unknown, kind: 'label' | 'annotation', c: Checker): boolean {
  if (kind === 'label' && key === LABEL_APPLYSET_PART_OF) {
    return c.input.applySetId !== undefined && value === c.input.applySetId;
  }
  // The preview rewrite marks the pods a route reaches before the gates run; only its own value.
  if (kind === 'label' && key === LABEL_PREVIEW_EXPOSED) return value === 'true';
  if (RECOMMENDED_LABELS.has(key)) return !(key === LABEL_MANAGED_BY && value === MANAGED_BY);
  return false;
}

/**
 * Prefixed and dotted annotations are how controllers, container runtimes and network plugins take
 * configuration (ingress snippets, CNI networks and addresses, gVisor and CRI-O flags such as
 * `dev.gvisor.flag.network`); only the keys the policy lists may be set. Plain words (`owner`,
 * `description`) are notes for people and free.
 */
function annotationAllowed(key: string, at: string, c: Checker): void {
  if (/[./]/.test(key) && !c.input.policy.annotations.includes(key)) {
    c.report(
      'VIBE_POLICY_ANNOTATION',
      at,
      `"${key}" is an annotation controllers, runtimes or network plugins may read as configuration.`,
      `remove it, or use a plain word as the key for a note; allowed: ${c.input.policy.annotations.join(', ') || 'none'}.`,
    );
  }
}

function keyed(kind: 'label' | 'annotation'): Rule {
  return (value, at, c) => {
    if (!isObj(value)) return wrongType(c, at, `a map of ${kind}s`, value);
    mapOf(anyString)(value, at, c);
    for (const key of Object.keys(value)) {
      const here = child(at, key);
      const domain = reservedPrefix(key);
      if (domain && !allowedReserved(key, value[key], kind, c)) {
        c.report(
          'VIBE_POLICY_RESERVED_METADATA',
          here,
          `the ${kind} prefix of "${key}" is reserved for ${domain === 'vibe.dev' ? 'the operator' : 'Kubernetes and the operator'}.`,
          `remove the ${kind} or use a key of your own domain (e.g. example.com/${key.slice(key.indexOf('/') + 1)}).`,
        );
      } else if (kind === 'annotation') annotationAllowed(key, here, c);
    }
  };
}

export const labels = keyed('label');
export const annotations = keyed('annotation');

const NAME = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;

const controlled = {
  finalizers: forbid(
    'VIBE_POLICY_FINALIZERS',
    'sets finalizers, which can keep the object (and the environment) from ever being deleted.',
    'remove metadata.finalizers.',
  ),
  ownerReferences: forbid(
    'VIBE_POLICY_OWNER_REFERENCES',
    'claims an owner, which ties its lifetime to an object the plan does not control.',
    'remove metadata.ownerReferences.',
  ),
};

const objectName: Rule = (value, at, c) => {
  if (typeof value !== 'string' || !NAME.test(value)) {
    c.report('VIBE_POLICY_NAME', at, 'has no valid name.', 'give it a lowercase DNS name.');
  }
};

/** A top-level object's metadata; the namespace is checked (and set) by the gate itself. */
export const objectMetadata: Rule = fields({
  name: objectName,
  namespace: anyString,
  labels,
  annotations,
  ...controlled,
});

/** The metadata of a pod or PVC template inside a workload. */
export const templateMetadata: Rule = fields({ labels, annotations, ...controlled });
