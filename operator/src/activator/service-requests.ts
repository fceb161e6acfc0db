import type { Sample } from './prometheus-text.js';

/** The Service that routes a sleeping environment's previews to the activator (environment/sleep). */
const ACTIVATOR_SERVICE = 'vibe-activator';

/** Traefik's counter of requests each of its services forwarded, labelled `service`. */
export const SERVICE_REQUESTS_METRIC = 'traefik_service_requests_total';

/** The requests each service forwarded so far: the counter's samples summed over code, method and protocol. */
export function requestTotals(samples: readonly Sample[]): Map<string, number> {
  const totals = new Map<string, number>();
  for (const { labels, value } of samples) {
    const service = labels.service;
    if (!service || !Number.isFinite(value)) continue;
    totals.set(service, (totals.get(service) ?? 0) + value);
  }
  return totals;
}

/**
 * The services that forwarded a request since the previous read. A service new since then counts
 * when its total is above zero, and so does one whose total went down (the controller restarted and
 * counted afresh): both can only be requests. The first read (no previous) is a baseline only.
 */
export function servicesWithRequests(
  previous: ReadonlyMap<string, number> | undefined,
  current: ReadonlyMap<string, number>,
): string[] {
  if (!previous) return [];
  const increased: string[] = [];
  for (const [service, total] of current) {
    const before = previous.get(service);
    if (before === undefined ? total > 0 : total > before || (total < before && total > 0))
      increased.push(service);
  }
  return increased;
}

/**
 * The Kubernetes namespace a Traefik service name belongs to, among `namespaces`. Traefik names the
 * services of Ingresses `<namespace>-<service>-<port>@kubernetes` and those of HTTPRoutes
 * `httproute-<namespace>-<route>-…@kubernetesgateway` (Normalize keeps letters and digits and joins
 * the rest with dashes; namespace names have nothing else). The longest namespace that prefixes the
 * name wins, so vibe-a-web-api is not taken for vibe-a-web.
 */
export function namespaceOfService(service: string, namespaces: Iterable<string>): string | undefined {
  const at = service.lastIndexOf('@');
  const provider = at >= 0 ? service.slice(at + 1) : '';
  let name = at >= 0 ? service.slice(0, at) : service;
  if (provider === 'kubernetesgateway') name = name.replace(/^httproute-/, '');
  else if (provider !== 'kubernetes') return undefined;
  let best: string | undefined;
  for (const namespace of namespaces) {
    if (name.startsWith(`${namespace}-`) && namespace.length > (best?.length ?? 0)) best = namespace;
  }
  return best;
}

/**
 * Whether a Traefik service of `namespace` is the activator's route: its requests are counted by the
 * activator itself, and those it hands back to the controller, or probes marked as hops, are no use.
 */
export function isActivatorService(service: string, namespace: string): boolean {
  return service.startsWith(`${namespace}-${ACTIVATOR_SERVICE}-`);
}
