/**
 * The labels and annotations on VibeEnvironments and their records that the operator and its clients
 * (the `vibe` commands, the MCP server) both read or write.
 */
import { createHash } from 'node:crypto';

/** Approving a plan means writing its hash here: `kubectl annotate vibeenvironment NAME vibe.dev/approve=HASH`. */
export const ANNOTATION_APPROVE = 'vibe.dev/approve';

/** Adds this long to the TTL, e.g. `vibe.dev/extend: 2h`; writing a larger value extends again. */
export const ANNOTATION_EXTEND = 'vibe.dev/extend';

/**
 * Sleep and wake requests: the time (RFC 3339) someone asked, written by `vibe sleep` / `vibe wake`
 * and by the activator when a request arrives for a sleeping environment. The latest request wins.
 */
export const ANNOTATION_SLEEP = 'vibe.dev/sleep';
export const ANNOTATION_WAKE = 'vibe.dev/wake';

/** On each workload a sleeping environment scaled to zero: the replicas to restore when it wakes. */
export const ANNOTATION_SLEEP_REPLICAS = 'vibe.dev/sleep-replicas';

/** On an environment's attempt and plan ConfigMaps: which planner inputs they answer and which record they are. */
export const LABEL_PLAN_INPUTS = 'vibe.dev/plan-inputs';
export const LABEL_RECORD = 'vibe.dev/record';

/** The ApplySet label (KEP-3659) every object an environment's plan applied carries; watches select by it. */
export const LABEL_APPLYSET_PART_OF = 'applyset.kubernetes.io/part-of';

/** Links an environment's namespace back to its VibeEnvironment: the name and the namespace it lives in. */
export const LABEL_ENVIRONMENT = 'vibe.dev/environment';
export const LABEL_ENVIRONMENT_NAMESPACE = 'vibe.dev/environment-namespace';

/**
 * On the pods a preview route reaches (set by the operator's preview rewrite before the gates);
 * the environment's vibe-allow-preview NetworkPolicy admits the ingress controller to these only.
 */
export const LABEL_PREVIEW_EXPOSED = 'vibe.dev/preview-exposed';

/**
 * On the objects that route a sleeping environment's previews to the activator (ADR 0096): the
 * Service vibe-activator, its EndpointSlice and the copies of the plan's Ingresses. The activator
 * finds an environment by the hosts of the Ingresses carrying it.
 */
export const LABEL_ACTIVATOR_ROUTE = 'vibe.dev/activator-route';

const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/**
 * A label value for any string: itself when it is one, otherwise cut with a hash suffix so
 * two long names still get different values. Object names may be 253 characters; label values 63.
 */
export function labelValue(text: string): string {
  if (text.length <= 63 && LABEL_VALUE.test(text)) return text;
  const hash = createHash('sha256').update(text).digest('hex').slice(0, 8);
  const head = text
    .slice(0, 54)
    .replace(/[^-A-Za-z0-9_.]/g, '-')
    .replace(/^[^A-Za-z0-9]+/, '')
    .replace(/[^A-Za-z0-9]+$/, '');
  return head ? `${head}-${hash}` : hash;
}
