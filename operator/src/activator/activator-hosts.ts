import { LABEL_ACTIVATOR_ROUTE } from '../api/labels.js';
import type { KubeClient } from '../reconciler/kube-client.js';

interface IngressList {
  items: { metadata: { namespace?: string }; spec?: { rules?: { host?: string }[] } }[];
}

/** How long a listing of the activator's Ingresses answers lookups: a burst of requests lists once. */
const FRESH_MS = 2000;

/**
 * Which environment namespace a preview host belongs to, by the Ingresses the operator created to
 * route sleeping environments to the activator (label vibe.dev/activator-route). Only those count:
 * a host no sleeping environment routes here is not the activator's to wake.
 */
export class ActivatorHosts {
  private listed: { at: number; hosts: Promise<Map<string, string>> } | undefined;

  constructor(
    private readonly client: KubeClient,
    private readonly now: () => number = Date.now,
  ) {}

  /** The namespace whose activator route serves `hostHeader` (a port in it is ignored), or undefined. */
  async namespaceOf(hostHeader: string): Promise<string | undefined> {
    const host = hostHeader.replace(/:\d+$/, '').toLowerCase();
    if (!this.listed || this.now() - this.listed.at > FRESH_MS) {
      const hosts = this.list();
      this.listed = { at: this.now(), hosts };
      hosts.catch(() => (this.listed = undefined));
    }
    return (await this.listed.hosts).get(host);
  }

  private async list(): Promise<Map<string, string>> {
    const ingresses = await this.client.request<IngressList>({
      method: 'GET',
      path: '/apis/networking.k8s.io/v1/ingresses',
      query: { labelSelector: `${LABEL_ACTIVATOR_ROUTE}=true` },
    });
    const hosts = new Map<string, string>();
    for (const ingress of ingresses.items) {
      const namespace = ingress.metadata.namespace;
      if (!namespace) continue;
      for (const rule of ingress.spec?.rules ?? []) {
        if (rule.host) hosts.set(rule.host.toLowerCase(), namespace);
      }
    }
    return hosts;
  }
}
