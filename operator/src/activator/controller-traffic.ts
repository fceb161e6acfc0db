import type { Logger } from 'pino';
import { LABEL_ENVIRONMENT, LABEL_ENVIRONMENT_NAMESPACE } from '../api/labels.js';
import type { KubeClient } from '../reconciler/kube-client.js';
import { samplesOf } from './prometheus-text.js';
import type { RequestActivity } from './request-activity.js';
import {
  isActivatorService,
  namespaceOfService,
  requestTotals,
  SERVICE_REQUESTS_METRIC,
  servicesWithRequests,
} from './service-requests.js';

export interface ControllerTrafficOptions {
  /** The controller's Prometheus metrics URL. */
  url: string;
  client: KubeClient;
  activity: RequestActivity;
  logger: Logger;
  intervalMs?: number;
  timeoutMs?: number;
}

interface NamespaceList {
  items: { metadata: { name: string; labels?: Record<string, string> } }[];
}

/**
 * Requests through the in-cluster ingress controller, for spec.sleep.afterIdle (ADR 0097): reads
 * Traefik's per-service request counter every 30 s; a service of an environment's namespace that
 * forwarded requests since the last read is a request to that environment at this read. Idle is
 * thus measured to the read interval, in the safe direction: an environment may sleep up to one
 * interval later than afterIdle, never earlier. While the counters cannot be read, every
 * environment counts as used at each read: nothing sleeps on idle that was not measured idle.
 */
export class ControllerTraffic {
  private previous: Map<string, number> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private failing = false;

  readonly activity: RequestActivity;

  constructor(private readonly opts: ControllerTrafficOptions) {
    this.activity = opts.activity;
  }

  start(): void {
    const tick = async () => {
      await this.read().catch((err: Error) =>
        this.opts.logger.warn(
          { err: err.message },
          'cannot list environment namespaces; the requests count at the next read',
        ),
      );
      if (this.timer) this.timer = setTimeout(() => void tick(), this.opts.intervalMs ?? 30_000).unref();
    };
    this.timer = setTimeout(() => void tick(), 0).unref();
    this.opts.logger.info({ url: this.opts.url }, "reading the ingress controller's request counters");
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** One read: records a request for each environment whose services forwarded any; returns their keys. */
  async read(): Promise<string[]> {
    let text: string;
    try {
      const res = await fetch(this.opts.url, { signal: AbortSignal.timeout(this.opts.timeoutMs ?? 5000) });
      if (!res.ok) throw new Error(`it answered ${res.status}`);
      text = await res.text();
    } catch (err) {
      if (!this.failing)
        this.opts.logger.warn(
          { url: this.opts.url, err: (err as Error).message },
          "cannot read the ingress controller's metrics; environments stay awake until it can",
        );
      this.failing = true;
      // Unmeasured is not idle: every environment counts as used until the counters can be read.
      const everyone = [...new Set((await this.environmentNamespaces()).values())];
      for (const key of everyone) this.opts.activity.record(key);
      return everyone;
    }
    this.failing = false;
    const totals = requestTotals(samplesOf(text, SERVICE_REQUESTS_METRIC));
    const services = servicesWithRequests(this.previous, totals);
    if (services.length === 0) {
      this.previous = totals;
      return [];
    }
    // Read before the counts are kept: a failed listing leaves them to the next read.
    const owners = await this.environmentNamespaces();
    this.previous = totals;
    const environments = new Set<string>();
    for (const service of services) {
      const namespace = namespaceOfService(service, owners.keys());
      if (!namespace || isActivatorService(service, namespace)) continue;
      const owner = owners.get(namespace);
      if (owner) environments.add(owner);
    }
    for (const key of environments) this.opts.activity.record(key);
    return [...environments];
  }

  /** Environment namespaces and the key (namespace/name) of the environment each belongs to. */
  private async environmentNamespaces(): Promise<Map<string, string>> {
    const list = await this.opts.client.request<NamespaceList>({
      method: 'GET',
      path: '/api/v1/namespaces',
      query: { labelSelector: LABEL_ENVIRONMENT },
    });
    const owners = new Map<string, string>();
    for (const { metadata } of list.items) {
      const name = metadata.labels?.[LABEL_ENVIRONMENT];
      const home = metadata.labels?.[LABEL_ENVIRONMENT_NAMESPACE];
      if (name && home) owners.set(metadata.name, `${home}/${name}`);
    }
    return owners;
  }
}
