/**
 * What a plan exposes as its preview: hosts and URLs, the pods a preview may reach, Ingress ->
 * HTTPRoute translation and host claims. (The local router that serves previews is preview-router/.)
 */
export { exposedHost, exposePreview, previewHost, type PreviewSettings, previewUrl } from './exposure.js';
export { type EnvironmentLister, previewHostHolder } from './host-claim.js';
export { PreviewRouteError } from './ingress-route.js';
