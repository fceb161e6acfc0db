import { parseDuration } from '../api/duration.js';
import type { Config } from '../config.js';
import type { IsolationSettings } from './cluster/index.js';
import type { PlanSettings } from './planning/index.js';
import { activatorEndpoint, type ActivatorEndpoint } from './sleep/index.js';
import { DEFAULT_POLICY, type GatewayParent, type PolicyDocument } from '../policy/index.js';

/** The fallback recheck of a rollout in progress; Ready itself follows watches (rollout-watch.ts). */
const ROLLOUT_POLL_MS = 5000;

/** The operator's configuration as the environment lifecycle reads it; built once at start-up from the config (environmentSettings below). */
export interface EnvironmentSettings extends PlanSettings {
  maxTtlMs: number;
  namespacePrefix: string;
  fieldManager: string;
  /** How long before expiresAt the Warning event is recorded. */
  expiryWarningMs: number;
  /**
   * How often a rollout in progress is checked again without a change of its workloads: their
   * watch wakes it for everything their status shows; this catches what only pods and events
   * show (a container crash-looping, a probe failing for longer than its grace).
   */
  rolloutPollMs: number;
  /** A namespace in Terminating longer than this is reported as stuck. */
  namespaceStuckAfterMs: number;
  /** Where the ingress controller reaches the activator: set, sleeping previews route there (ADR 0096). */
  activator?: ActivatorEndpoint;
}

/**
 * The environment lifecycle's settings from the operator config. The preview
 * router's own port goes into preview URLs unless previewUrlPort says otherwise.
 * The policy document is the one source of what the gate and the namespace agree
 * on: the kinds the applier Role may write, and the container defaults the gate
 * fills in and the namespace's LimitRange applies.
 */
export function environmentSettings(
  config: Config,
  routerUrl: string | undefined,
  policy: PolicyDocument = DEFAULT_POLICY,
): EnvironmentSettings {
  const routerPort = routerUrl ? Number(new URL(routerUrl).port) : undefined;
  const urlPort = config.previewUrlPort ?? routerPort;
  const gateway = previewGatewayParent(config);
  return Object.freeze({
    maxTtlMs: parseDuration(config.maxTtl),
    namespacePrefix: config.namespacePrefix,
    fieldManager: config.fieldManager,
    expiryWarningMs: parseDuration(config.expiryWarning),
    rolloutPollMs: ROLLOUT_POLL_MS,
    namespaceStuckAfterMs: parseDuration(config.namespaceStuckAfter),
    ...(config.activatorEndpoint ? { activator: activatorEndpoint(config.activatorEndpoint) } : {}),
    preview: {
      ingressClassName: config.previewIngressClass,
      hostTemplate: config.previewHostTemplate,
      previewDomain: config.previewDomain,
      ...(config.previewTlsSecret ? { tlsSecretName: config.previewTlsSecret } : {}),
      ...(urlPort ? { urlPort } : {}),
      ...(gateway ? { gateway: { ...gateway, tls: config.previewGatewayTls } } : {}),
    },
    isolation: {
      namespacePrefix: config.namespacePrefix,
      defaults: { cpu: '2', memory: '4Gi', storage: '10Gi', pods: 20 },
      containerDefaults: {
        cpuRequest: policy.defaultResources.requests.cpu,
        memoryRequest: policy.defaultResources.requests.memory,
        cpuLimit: policy.defaultResources.limits.cpu,
        memoryLimit: policy.defaultResources.limits.memory,
      },
      podSecurity: config.podSecurity,
      ...previewIngress(config),
      allowedKinds: policy.allowedKinds,
    },
    nodeImagePrefixes: config.nodeImagePrefixes,
    imageMirrors: config.imageMirrors,
  });
}

/** Where preview traffic comes from: the local router on the node, or an in-cluster controller's pods. */
function previewIngress(config: Config): Pick<IsolationSettings, 'previewIngress'> {
  if (config.previewRouter) return { previewIngress: 'host-network' };
  if (!config.previewControllerNamespace) return {};
  return {
    previewIngress: {
      namespaceSelector: { 'kubernetes.io/metadata.name': config.previewControllerNamespace },
      ...(config.previewControllerLabels ? { podSelector: config.previewControllerLabels } : {}),
    },
  };
}

/** The Gateway previews attach to, when previews are HTTPRoutes (config previewGateway). */
export function previewGatewayParent(config: Config): GatewayParent | undefined {
  if (!config.previewGateway) return undefined;
  return {
    ...config.previewGateway,
    ...(config.previewGatewaySection ? { sectionName: config.previewGatewaySection } : {}),
  };
}
