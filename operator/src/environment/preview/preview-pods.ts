/**
 * Which pods a preview exposes: those behind a Service that one of the plan's
 * routes (Ingress or HTTPRoute) sends traffic to. They carry a label that the
 * environment's vibe-allow-preview NetworkPolicy selects, so the ingress
 * controller reaches them and no other pod of the environment.
 */
import { LABEL_PREVIEW_EXPOSED } from '../../api/labels.js';
import type { Manifest } from '../objects.js';

/** Kinds whose spec.template is the pod template of the pods they run. */
const TEMPLATED = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job']);

interface ServiceBackend {
  service?: { name?: string };
}

interface RouteSpec {
  defaultBackend?: ServiceBackend;
  rules?: {
    http?: { paths?: { backend?: ServiceBackend }[] };
    backendRefs?: { name?: string; kind?: string; group?: string }[];
  }[];
}

type Labels = Record<string, string>;

/** The names of the Services a route sends traffic to. */
function routedServices(route: Manifest): string[] {
  const spec = (route.spec ?? {}) as RouteSpec;
  if (route.kind === 'Ingress') {
    const backends = [
      spec.defaultBackend,
      ...(spec.rules ?? []).flatMap((r) => (r.http?.paths ?? []).map((p) => p.backend)),
    ];
    return backends.flatMap((b) => (b?.service?.name ? [b.service.name] : []));
  }
  return (spec.rules ?? [])
    .flatMap((r) => r.backendRefs ?? [])
    .filter((ref) => (ref.kind ?? 'Service') === 'Service' && !ref.group)
    .flatMap((ref) => (ref.name ? [ref.name] : []));
}

function podLabels(m: Manifest): Labels | undefined {
  if (m.kind === 'Pod' && m.apiVersion === 'v1') return m.metadata.labels ?? {};
  if (!TEMPLATED.has(m.kind)) return undefined;
  const spec = m.spec as { template?: { metadata?: { labels?: Labels } } } | undefined;
  return spec?.template?.metadata?.labels ?? {};
}

function withExposedLabel(m: Manifest): Manifest {
  const label = { [LABEL_PREVIEW_EXPOSED]: 'true' };
  if (m.kind === 'Pod')
    return { ...m, metadata: { ...m.metadata, labels: { ...m.metadata.labels, ...label } } };
  const spec = structuredClone(m.spec) as { template: { metadata?: { labels?: Labels } } };
  const metadata = spec.template.metadata ?? {};
  spec.template.metadata = { ...metadata, labels: { ...metadata.labels, ...label } };
  return { ...m, spec };
}

/**
 * Labels the pods (and pod templates) that the routes reach through the plan's
 * Services with LABEL_PREVIEW_EXPOSED; everything else is returned as it is.
 * A Service without a selector exposes no pod of the plan.
 */
export function markExposedPods(manifests: Manifest[], routes: Manifest[]): Manifest[] {
  const routed = new Set(routes.flatMap(routedServices));
  const selectors = manifests
    .filter((m) => m.kind === 'Service' && m.apiVersion === 'v1' && routed.has(m.metadata.name))
    .map((m) => (m.spec as { selector?: Labels } | undefined)?.selector ?? {})
    .filter((selector) => Object.keys(selector).length > 0);
  return manifests.map((m) => {
    const labels = podLabels(m);
    if (!labels) return m;
    const selected = selectors.some((s) => Object.entries(s).every(([k, v]) => labels[k] === v));
    return selected ? withExposedLabel(m) : m;
  });
}
