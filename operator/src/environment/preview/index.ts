export { exposedHost, exposePreview, previewHost, type PreviewSettings, previewUrl } from './exposure.js';
export { previewHostHolder } from './host-claim.js';
export { PreviewRouteError } from './ingress-route.js';
