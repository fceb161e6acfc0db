import type { ErrorFamily } from './entry.js';

export const PREVIEW_ERRORS = {
  title: 'Previews',
  about:
    "Turning a plan's Ingresses into preview routes (ADR 0064) and the preview Gateway's start-up check; route faults go back to the model as diagnostics.",
  codes: {
    VIBE_PREVIEW_BACKEND_UNSUPPORTED: {
      message: '{object} {field}: is not a Service backend; an HTTPRoute forwards to Services only',
      action: 'Point the path at a Service and its port.',
    },
    VIBE_PREVIEW_GATEWAY_API_MISSING: {
      message: 'the API server does not serve gateway.networking.k8s.io/v1 HTTPRoutes',
      action:
        'Install the Gateway API CRDs (standard channel) or leave previewGateway unset to expose previews as Ingresses.',
    },
    VIBE_PREVIEW_NOTHING_ROUTED: {
      message: '{object} spec.rules: routes no path and has no default backend',
      action: 'Route at least one path to a Service port.',
    },
    VIBE_PREVIEW_PATH_UNSUPPORTED: {
      message:
        '{object} {field}.path: "{path}" is not an absolute path, which an HTTPRoute path match must be',
      action: 'Use a path starting with /, with pathType Prefix or Exact.',
    },
    VIBE_PREVIEW_PORT_UNRESOLVED: {
      message: '{object} {field}: names a port of Service {service} whose number is unknown',
      action: 'Declare the Service in the plan and use one of its named ports, or set port.number.',
    },
    VIBE_PREVIEW_ROUTE_NAME_TAKEN: {
      message:
        '{object} metadata.name: becomes the HTTPRoute {name}, but the plan already declares an HTTPRoute of that name',
      action: 'Rename the Ingress or the HTTPRoute.',
    },
    VIBE_PREVIEW_TOO_MANY_ROUTES: {
      message:
        '{object} spec.rules: routes {paths} paths to {ports} Service ports, more than one HTTPRoute holds',
      action: 'Split the paths over several Ingresses.',
    },
  },
} as const satisfies ErrorFamily;
