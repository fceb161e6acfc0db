import type { VibeEnvironment } from '../../api/vibe-environment.js';
import { GATEWAY_API_GROUP, type GatewayParent } from '../../policy/index.js';
import { httpRouteFromIngress, parentRef, PreviewRouteError } from './ingress-route.js';
import type { Manifest } from '../objects.js';
import { markExposedPods } from './preview-pods.js';

export interface PreviewSettings {
  ingressClassName: string;
  /** With {name}, {namespace} and {previewDomain} placeholders, e.g. `{name}-{namespace}.{previewDomain}`. */
  hostTemplate: string;
  previewDomain: string;
  /** A TLS Secret in the environment namespace; the URL is https when set. */
  tlsSecretName?: string;
  /** Appended to the URL when previews are served on a port of their own (the local preview router). */
  urlPort?: number;
  /** Previews are HTTPRoutes attached to this Gateway instead of Ingresses. */
  gateway?: PreviewGateway;
}

export interface PreviewGateway extends GatewayParent {
  /** The Gateway terminates TLS for preview hosts, so URLs are https. */
  tls: boolean;
}

/** The preview host of an environment: spec.preview.host, else the configured template. */
export function previewHost(env: VibeEnvironment, settings: PreviewSettings): string {
  if (env.spec.preview.host) return env.spec.preview.host;
  return settings.hostTemplate
    .replaceAll('{name}', env.metadata.name)
    .replaceAll('{namespace}', env.metadata.namespace ?? 'default')
    .replaceAll('{previewDomain}', settings.previewDomain);
}

export interface Exposed {
  manifests: Manifest[];
  /** The host of the first public service; undefined when nothing is public or previews are off. */
  host?: string;
}

/** The URL users open for a preview host. */
export function previewUrl(host: string, settings: PreviewSettings): string {
  const tls = settings.gateway ? settings.gateway.tls : settings.tlsSecretName !== undefined;
  const port = settings.urlPort ? `:${settings.urlPort}` : '';
  return `${tls ? 'https' : 'http'}://${host}${port}/`;
}

const isIngress = (m: Manifest) => m.kind === 'Ingress' && m.apiVersion.startsWith('networking.k8s.io/');
const isHttpRoute = (m: Manifest) =>
  m.kind === 'HTTPRoute' && m.apiVersion.startsWith(`${GATEWAY_API_GROUP}/`);

/** The preview host of a plan whose exposure already ran: set when a public route is left in it. */
export function exposedHost(
  manifests: Manifest[],
  env: VibeEnvironment,
  settings: PreviewSettings,
): string | undefined {
  if (!env.spec.preview.enabled) return undefined;
  const routed = manifests.some((m) => isIngress(m) || (settings.gateway !== undefined && isHttpRoute(m)));
  return routed ? previewHost(env, settings) : undefined;
}

/**
 * Points the plan's public routes at the preview: the first by name gets the
 * environment's host, others a subdomain of it. Ingresses get the operator's
 * class and TLS when configured; with a preview Gateway they become HTTPRoutes
 * attached to it, and the plan's own HTTPRoutes are pinned to their host and
 * that Gateway, so no plan answers for another environment's host. The pods
 * behind the routes' Services are labelled as exposed (preview-pods.ts). With
 * previews disabled the routes are dropped. Throws PreviewRouteError for an
 * Ingress that has no HTTPRoute equivalent.
 */
export function exposePreview(
  manifests: Manifest[],
  env: VibeEnvironment,
  settings: PreviewSettings,
): Exposed {
  const { gateway } = settings;
  const isPublic = (m: Manifest) => isIngress(m) || (gateway !== undefined && isHttpRoute(m));
  if (!env.spec.preview.enabled) {
    return { manifests: manifests.filter((m) => !isIngress(m) && !isHttpRoute(m)) };
  }
  const host = previewHost(env, settings);
  const routes = manifests.filter(isPublic).sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
  if (gateway) refuseSharedNames(routes);
  const hostOf = new Map(routes.map((m, i) => [m, i === 0 ? host : `${m.metadata.name}.${host}`]));
  const services = new Map(
    manifests.filter((m) => m.kind === 'Service' && m.apiVersion === 'v1').map((m) => [m.metadata.name, m]),
  );
  const out = manifests.map((m) => {
    const routeHost = hostOf.get(m);
    if (!routeHost) return m;
    if (!gateway) return retarget(m, routeHost, env, settings);
    return isIngress(m)
      ? httpRouteFromIngress(m, { host: routeHost, parent: gateway, services })
      : pinRoute(m, routeHost, gateway);
  });
  if (routes.length === 0) return { manifests: out };
  const exposedRoutes = out.filter((_, i) => hostOf.has(manifests[i]!));
  return { manifests: markExposedPods(out, exposedRoutes), host };
}

/** An Ingress becomes an HTTPRoute of its name, which must not be a name the plan already gave an HTTPRoute. */
function refuseSharedNames(routes: Manifest[]): void {
  const routeNames = new Set(routes.filter(isHttpRoute).map((m) => m.metadata.name));
  const taken = routes.find((m) => isIngress(m) && routeNames.has(m.metadata.name));
  if (taken) {
    throw new PreviewRouteError(
      'VIBE_PREVIEW_ROUTE_NAME_TAKEN',
      `Ingress/${taken.metadata.name}`,
      'metadata.name',
      `becomes the HTTPRoute ${taken.metadata.name}, but the plan already declares an HTTPRoute of that name. ` +
        'Rename the Ingress or the HTTPRoute.',
    );
  }
}

function pinRoute(route: Manifest, host: string, gateway: GatewayParent): Manifest {
  const spec = structuredClone((route.spec ?? {}) as Record<string, unknown>);
  return { ...route, spec: { ...spec, parentRefs: [parentRef(gateway)], hostnames: [host] } };
}

interface IngressRule {
  host?: string;
  [field: string]: unknown;
}

function retarget(
  ingress: Manifest,
  host: string,
  env: VibeEnvironment,
  settings: PreviewSettings,
): Manifest {
  const spec = structuredClone((ingress.spec ?? {}) as { rules?: IngressRule[]; [field: string]: unknown });
  const rules = (spec.rules ?? []).map((rule) => ({ ...rule, host }));
  return {
    ...ingress,
    spec: {
      ...spec,
      ingressClassName: env.spec.preview.ingressClassName ?? settings.ingressClassName,
      rules,
      ...(settings.tlsSecretName ? { tls: [{ hosts: [host], secretName: settings.tlsSecretName }] } : {}),
    },
  };
}
