import type { VibeEnvironment } from '../api/vibe-environment.js';
import type { Manifest } from './planner.js';

export interface PreviewSettings {
  ingressClassName: string;
  /** With {name}, {namespace} and {previewDomain} placeholders, e.g. `{name}-{namespace}.{previewDomain}`. */
  hostTemplate: string;
  previewDomain: string;
  /** A TLS Secret in the environment namespace; the URL is https when set. */
  tlsSecretName?: string;
  /** Appended to the URL when previews are served on a port of their own (the local preview router). */
  urlPort?: number;
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
  const scheme = settings.tlsSecretName ? 'https' : 'http';
  const port = settings.urlPort ? `:${settings.urlPort}` : '';
  return `${scheme}://${host}${port}/`;
}

/**
 * Points the plan's Ingresses at the preview: the operator's class and host
 * (the first Ingress by name gets the environment's host, others a subdomain
 * of it), TLS when configured. With previews disabled the Ingresses are dropped.
 */
export function exposePreview(
  manifests: Manifest[],
  env: VibeEnvironment,
  settings: PreviewSettings,
): Exposed {
  const isIngress = (m: Manifest) => m.kind === 'Ingress' && m.apiVersion.startsWith('networking.k8s.io/');
  if (!env.spec.preview.enabled) return { manifests: manifests.filter((m) => !isIngress(m)) };
  const host = previewHost(env, settings);
  const ingresses = manifests
    .filter(isIngress)
    .sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
  const hostOf = new Map(ingresses.map((m, i) => [m, i === 0 ? host : `${m.metadata.name}.${host}`]));
  const out = manifests.map((m) => {
    const ingressHost = hostOf.get(m);
    return ingressHost ? retarget(m, ingressHost, env, settings) : m;
  });
  return ingresses.length === 0 ? { manifests: out } : { manifests: out, host };
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
