/**
 * Ingresses and HTTPRoutes: the environment's preview host, plain Prefix/Exact paths, and
 * backends that are Services the plan itself declares. Anything a controller could read as
 * configuration (annotations, regex paths, resource backends, filters that reach elsewhere) is
 * refused.
 */
import {
  anyString,
  fields,
  forbid,
  int,
  isObj,
  list,
  oneOf,
  str,
  wrongType,
  type Checker,
  type Rule,
} from './rules.js';

const DNS_NAME = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?(\.[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)*$/;
const PLAIN_PATH = /^\/[A-Za-z0-9._~/-]*$/;

const host: Rule = (value, at, c) => {
  if (typeof value !== 'string') return wrongType(c, at, 'a host name', value);
  const preview = c.input.preview;
  if (preview ? !preview.hosts.includes(value) : !DNS_NAME.test(value)) {
    c.report(
      'VIBE_POLICY_INGRESS_HOST',
      at,
      `"${value.slice(0, 80)}" is not ${preview ? "this environment's preview host" : 'a plain host name'}.`,
      preview
        ? `use ${preview.hosts.join(' or ')}, or leave the host out for the operator to set.`
        : 'use a lowercase host name without wildcards.',
    );
  }
};

const path: Rule = (value, at, c) => {
  if (typeof value !== 'string') return wrongType(c, at, 'a path', value);
  if (!PLAIN_PATH.test(value) || value.includes('//') || /(^|\/)\.\.?(\/|$)/.test(value)) {
    c.report(
      'VIBE_POLICY_INGRESS_PATH',
      at,
      `"${value.slice(0, 80)}" is not a plain path.`,
      'use a path of letters, digits and - . _ ~ / starting with /, without // or dot segments.',
    );
  }
};

/** A Service named by a route must be one the plan declares, in its own namespace. */
const service =
  (kind: string): Rule =>
  (value, at, c: Checker) => {
    if (typeof value !== 'string') return wrongType(c, at, 'a Service name', value);
    if (!c.declared.has(`Service/${value}`)) {
      c.report(
        'VIBE_POLICY_INGRESS_BACKEND',
        at,
        `sends traffic to Service "${value}", which the plan does not declare.`,
        `point the ${kind} at one of the plan's Services.`,
      );
    }
  };

const ingressClassName: Rule = (value, at, c) => {
  const preview = c.input.preview;
  const fine = preview
    ? value === preview.ingressClassName
    : typeof value === 'string' && DNS_NAME.test(value);
  if (!fine) {
    c.report(
      'VIBE_POLICY_INGRESS_CLASS',
      at,
      `names ingress class ${JSON.stringify(value)}.`,
      preview?.ingressClassName
        ? `use "${preview.ingressClassName}" or leave it out.`
        : 'leave ingressClassName out; the operator sets it.',
    );
  }
};

const ingressPath: Rule = (value, at, c) => {
  fields({
    path,
    pathType: oneOf(['Prefix', 'Exact'], 'VIBE_POLICY_INGRESS_PATH', 'use pathType Prefix or Exact.'),
    backend: fields({
      service: fields({ name: service('Ingress'), port: fields({ number: int(1, 65535), name: anyString }) }),
      resource: forbid(
        'VIBE_POLICY_INGRESS_BACKEND',
        'sends traffic to an object that is not a Service.',
        'use backend.service.',
      ),
    }),
  })(value, at, c);
  if (!isObj(value)) return;
  if (value.pathType === undefined) {
    c.report(
      'VIBE_POLICY_INGRESS_PATH',
      `${at}.pathType`,
      'has no pathType.',
      'set pathType to Prefix or Exact.',
    );
  }
  if (!isObj(value.backend) || !isObj(value.backend.service)) {
    c.report(
      'VIBE_POLICY_INGRESS_BACKEND',
      `${at}.backend`,
      'routes to no Service.',
      "set backend.service to one of the plan's Services.",
    );
  }
};

/** With the preview known, a rule without a host would answer for every host of the controller. */
const hostRequired =
  (field: string, inner: Rule): Rule =>
  (value, at, c) => {
    inner(value, at, c);
    if (c.input.preview && isObj(value) && value[field] === undefined) {
      c.report(
        'VIBE_POLICY_INGRESS_HOST',
        `${at}.${field}`,
        'answers for every host of the controller.',
        `set ${field} to ${c.input.preview.hosts.join(' or ')}.`,
      );
    }
  };

export const ingressSpec = fields({
  ingressClassName,
  defaultBackend: forbid(
    'VIBE_POLICY_INGRESS_DEFAULT_BACKEND',
    'catches traffic for every host and path of the controller.',
    'remove defaultBackend and route paths under the preview host.',
  ),
  rules: list(hostRequired('host', fields({ host, http: fields({ paths: list(ingressPath, 64) }) })), 16),
  tls: list(
    fields({ hosts: list(host, 8), secretName: str(DNS_NAME, 'the name of a Secret of the environment') }),
    8,
  ),
});

const headerModifier = fields({
  set: list(fields({ name: anyString, value: anyString }), 16),
  add: list(fields({ name: anyString, value: anyString }), 16),
  remove: list(anyString, 16),
});

const notHere = (what: string) =>
  forbid('VIBE_POLICY_ROUTE_FILTER', `${what}, outside what a preview route may do.`, 'remove the filter.');

const filter = fields({
  type: oneOf(
    ['RequestHeaderModifier', 'ResponseHeaderModifier', 'URLRewrite'],
    'VIBE_POLICY_ROUTE_FILTER',
    'use RequestHeaderModifier, ResponseHeaderModifier or URLRewrite filters.',
  ),
  requestHeaderModifier: headerModifier,
  responseHeaderModifier: headerModifier,
  urlRewrite: fields({
    path: fields({
      type: oneOf(['ReplaceFullPath', 'ReplacePrefixMatch']),
      replaceFullPath: path,
      replacePrefixMatch: path,
    }),
    hostname: notHere('rewrites the host'),
  }),
  requestRedirect: notHere('redirects to another host or scheme'),
  requestMirror: notHere('copies traffic to another backend'),
  extensionRef: notHere('hands the request to an implementation-specific extension'),
  cors: notHere('sets a CORS policy'),
  externalAuth: notHere('sends requests to an external authorizer'),
});

const exactMatch = fields({
  type: oneOf(['Exact'], 'VIBE_POLICY_ROUTE_MATCH', 'use type Exact; regular expressions are not allowed.'),
  name: anyString,
  value: anyString,
});

const sameNamespace: Rule = (value, at, c) => {
  if (value !== c.input.namespace) {
    c.report(
      'VIBE_POLICY_INGRESS_BACKEND',
      at,
      `sends traffic into namespace "${String(value)}".`,
      'remove namespace; backends are Services of the environment.',
    );
  }
};

export const httpRouteSpec = fields({
  parentRefs: list(
    fields({
      group: anyString,
      kind: anyString,
      namespace: anyString,
      name: anyString,
      sectionName: anyString,
      port: int(1, 65535),
    }),
    32,
  ),
  hostnames: list(host, 8),
  rules: list(
    fields({
      name: anyString,
      matches: list(
        fields({
          path: fields({
            type: oneOf(
              ['PathPrefix', 'Exact'],
              'VIBE_POLICY_INGRESS_PATH',
              'use path type PathPrefix or Exact.',
            ),
            value: path,
          }),
          headers: list(exactMatch, 16),
          queryParams: list(exactMatch, 16),
          method: oneOf(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', 'PATCH']),
        }),
        64,
      ),
      filters: list(filter, 16),
      backendRefs: list(
        fields({
          group: oneOf([''], 'VIBE_POLICY_INGRESS_BACKEND', 'leave group out: backends are core Services.'),
          kind: oneOf(['Service'], 'VIBE_POLICY_INGRESS_BACKEND', 'leave kind out: backends are Services.'),
          name: service('HTTPRoute'),
          namespace: sameNamespace,
          port: int(1, 65535),
          weight: int(0, 1_000_000),
          filters: list(filter, 16),
        }),
        16,
      ),
      timeouts: fields({ request: anyString, backendRequest: anyString }),
    }),
    16,
  ),
});

/** An HTTPRoute without hostnames answers for every host its Gateway listener serves. */
export const httpRouteHostnames: Rule = (value, at, c) => {
  if (c.input.preview && isObj(value) && value.hostnames === undefined) {
    c.report(
      'VIBE_POLICY_INGRESS_HOST',
      `${at}.hostnames`,
      'answers for every host of the Gateway.',
      `set hostnames to ${c.input.preview.hosts.join(' or ')}.`,
    );
  }
};
