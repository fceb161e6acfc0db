/**
 * The start-up check of the preview Gateway. The operator does not own the Gateway, so it can
 * only say early what would otherwise surface as previews that never answer: the Gateway API
 * is not installed (start-up stops), or the Gateway is missing or will not admit routes from
 * environment namespaces (a warning each; the Gateway may be fixed while the operator runs).
 */
import { isApiError } from '../reconciler/errors.js';
import type { KubeClient } from '../reconciler/kube-client.js';
import type { GatewayRef } from './http-routes.js';

export class PreviewGatewayError extends Error {
  readonly code = 'VIBE_PREVIEW_GATEWAY_API_MISSING';
  constructor(message: string) {
    super(message);
    this.name = 'PreviewGatewayError';
  }
}

interface Listener {
  name: string;
  allowedRoutes?: { namespaces?: { from?: string } };
}

export interface GatewayObject {
  spec?: { listeners?: Listener[] };
}

/** Checks the Gateway API is served and reads the Gateway; returns the warnings to log. */
export async function checkPreviewGateway(client: KubeClient, gateway: GatewayRef): Promise<string[]> {
  const served = await client
    .request<{ resources: { name: string }[] }>({ method: 'GET', path: '/apis/gateway.networking.k8s.io/v1' })
    .then(
      (list) => list.resources.some((r) => r.name === 'httproutes'),
      (err: unknown) => {
        if (isApiError(err, 404)) return false;
        throw err;
      },
    );
  if (!served) {
    throw new PreviewGatewayError(
      'the API server does not serve gateway.networking.k8s.io/v1 HTTPRoutes. Install the Gateway API ' +
        'CRDs (standard channel) or leave previewGateway unset to expose previews as Ingresses.',
    );
  }
  const path = `/apis/gateway.networking.k8s.io/v1/namespaces/${gateway.namespace}/gateways/${gateway.name}`;
  try {
    return gatewayWarnings(await client.request<GatewayObject>({ method: 'GET', path }), gateway);
  } catch (err) {
    const what = `Gateway ${gateway.namespace}/${gateway.name}`;
    if (isApiError(err, 404))
      return [`${what} does not exist; preview HTTPRoutes attach to it but answer only once it is created.`];
    if (isApiError(err, 403))
      return [`the operator may not read ${what}; grant it get on gateways.gateway.networking.k8s.io.`];
    throw err;
  }
}

/**
 * What keeps routes from environment namespaces off the Gateway's listeners. Environments
 * live in namespaces of their own, never the Gateway's, so listeners that admit routes from
 * their own namespace only (the Gateway API default) never serve a preview.
 */
export function gatewayWarnings(object: GatewayObject, gateway: GatewayRef): string[] {
  const what = `Gateway ${gateway.namespace}/${gateway.name}`;
  const listeners = (object.spec?.listeners ?? []).filter(
    (l) => gateway.sectionName === undefined || l.name === gateway.sectionName,
  );
  if (listeners.length === 0) {
    return [
      gateway.sectionName
        ? `${what} has no listener named ${gateway.sectionName}; set previewGatewaySection to one of its listeners.`
        : `${what} has no listeners.`,
    ];
  }
  const sameOnly = listeners.every((l) => (l.allowedRoutes?.namespaces?.from ?? 'Same') === 'Same');
  if (!sameOnly) return [];
  return [
    `${what} admits routes from its own namespace only (allowedRoutes.namespaces.from: Same), so HTTPRoutes ` +
      'in environment namespaces will not attach. Set allowedRoutes.namespaces.from to All, or to Selector ' +
      'with a selector matching app.kubernetes.io/managed-by=vibe-operator.',
  ];
}
