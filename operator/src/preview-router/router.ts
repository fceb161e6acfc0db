/**
 * The local preview router: an Ingress controller for one IngressClass, and a
 * stand-in for the preview Gateway when previews are HTTPRoutes, that serves
 * the preview URLs of environments on a cluster with no ingress or Gateway
 * controller of its own (the local cluster, a laptop). It watches Ingresses,
 * HTTPRoutes, Services and EndpointSlices and proxies each request by Host and
 * path to a ready pod. Clusters with a real controller do not need it.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { Informer } from '../reconciler/informer.js';
import type { KubeClient } from '../reconciler/kube-client.js';
import type { Resource } from '../reconciler/resource.js';
import type { Activator } from '../activator/index.js';
import { httpRouteEntries, type GatewayRef, type HttpRouteObject } from './http-routes.js';
import {
  buildRoutes,
  ingressEntries,
  matchRoute,
  type EndpointSliceObject,
  type IngressObject,
  type RouteTable,
  type ServiceObject,
} from './routes.js';

const INGRESS: Resource = {
  group: 'networking.k8s.io',
  version: 'v1',
  plural: 'ingresses',
  kind: 'Ingress',
  namespaced: true,
};
const HTTP_ROUTE: Resource = {
  group: 'gateway.networking.k8s.io',
  version: 'v1',
  plural: 'httproutes',
  kind: 'HTTPRoute',
  namespaced: true,
};
const SERVICE: Resource = { group: '', version: 'v1', plural: 'services', kind: 'Service', namespaced: true };
const ENDPOINT_SLICE: Resource = {
  group: 'discovery.k8s.io',
  version: 'v1',
  plural: 'endpointslices',
  kind: 'EndpointSlice',
  namespaced: true,
};

export interface PreviewRouterOptions {
  client: KubeClient;
  logger: Logger;
  ingressClassName: string;
  /** Also serve the HTTPRoutes attached to this Gateway (previews as HTTPRoutes). */
  gateway?: GatewayRef;
  host: string;
  port: number;
  /** How long a proxied request may take before the router answers 504. */
  upstreamTimeoutMs?: number;
  /** Counts requests for the idle timer and holds those for sleeping environments while they wake. */
  activator?: Activator;
}

export class PreviewRouter {
  private readonly ingresses: Informer<IngressObject>;
  private readonly httpRoutes: Informer<HttpRouteObject> | undefined;
  private readonly services: Informer<ServiceObject>;
  private readonly slices: Informer<EndpointSliceObject>;
  private table: RouteTable = new Map();
  private tableStale = true;
  private readonly server: http.Server;
  /** Spreads requests over a backend's endpoints. */
  private turn = 0;

  constructor(private readonly opts: PreviewRouterOptions) {
    const informer = <T extends IngressObject | HttpRouteObject | ServiceObject | EndpointSliceObject>(
      resource: Resource,
    ) => {
      const i = new Informer<T>({ client: opts.client, resource, logger: opts.logger });
      const stale = () => void (this.tableStale = true);
      i.addHandler({ onAdd: stale, onUpdate: stale, onDelete: stale });
      return i;
    };
    this.ingresses = informer<IngressObject>(INGRESS);
    this.httpRoutes = opts.gateway ? informer<HttpRouteObject>(HTTP_ROUTE) : undefined;
    this.services = informer<ServiceObject>(SERVICE);
    this.slices = informer<EndpointSliceObject>(ENDPOINT_SLICE);
    this.server = http.createServer((req, res) => this.handle(req, res));
  }

  /** Starts watching and listening; resolves once the caches are filled and the port is open. */
  async start(): Promise<{ url: string }> {
    for (const i of this.informers()) i.start();
    await Promise.all(this.informers().map((i) => i.synced));
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.opts.port, this.opts.host, () => resolve());
    });
    const { port } = this.server.address() as AddressInfo;
    const { gateway } = this.opts;
    this.opts.logger.info(
      {
        host: this.opts.host,
        port,
        ingressClass: this.opts.ingressClassName,
        ...(gateway ? { gateway: `${gateway.namespace}/${gateway.name}` } : {}),
      },
      'preview router listening',
    );
    return { url: `http://${this.opts.host}:${port}` };
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    await Promise.all(this.informers().map((i) => i.stop()));
  }

  private informers(): Informer<IngressObject | HttpRouteObject | ServiceObject | EndpointSliceObject>[] {
    return [this.ingresses, ...(this.httpRoutes ? [this.httpRoutes] : []), this.services, this.slices];
  }

  private routes(): RouteTable {
    if (this.tableStale) {
      const services = new Map(
        this.services.list().map((s) => [`${s.metadata.namespace}/${s.metadata.name}`, s]),
      );
      const slicesByService = new Map<string, EndpointSliceObject[]>();
      for (const slice of this.slices.list()) {
        const owner = slice.metadata.labels?.['kubernetes.io/service-name'];
        if (!owner) continue;
        const key = `${slice.metadata.namespace}/${owner}`;
        slicesByService.set(key, [...(slicesByService.get(key) ?? []), slice]);
      }
      const entries = ingressEntries(this.opts.ingressClassName, this.ingresses.list());
      if (this.opts.gateway && this.httpRoutes)
        entries.push(...httpRouteEntries(this.opts.gateway, this.httpRoutes.list()));
      this.table = buildRoutes(entries, services, slicesByService);
      this.tableStale = false;
    }
    return this.table;
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const host = req.headers.host ?? '';
    const path = new URL(req.url ?? '/', 'http://preview').pathname;
    const route = matchRoute(this.routes(), host, path);
    if (!route)
      return plain(
        res,
        404,
        `No preview is served at ${host}${path}: ${noRouteMessage(this.opts.ingressClassName, this.opts.gateway)}`,
      );
    const { namespace, service } = route.backend;
    const activator = this.opts.activator;
    if (activator) void activator.seen(namespace).catch(() => undefined);
    if (this.proxy(req, res, host, path)) return;
    const noPod = () =>
      plain(
        res,
        503,
        `The preview ${host} has no ready pod behind Service ${namespace}/${service} yet; try again when the environment is Ready.`,
      );
    if (!activator) return noPod();
    activator
      .hold(req, res, namespace, () => this.proxy(req, res, host, path))
      .then(
        (held) => {
          if (!held) noPod();
        },
        (err: Error) => {
          this.opts.logger.warn({ host, err: err.message }, 'activator failed');
          if (!res.headersSent) plain(res, 503, `The preview ${host} could not be woken: ${err.message}.`);
        },
      );
  }

  /** Proxies to a ready pod of the route's backend; false when it has none (nothing was answered). */
  private proxy(req: http.IncomingMessage, res: http.ServerResponse, host: string, path: string): boolean {
    const route = matchRoute(this.routes(), host, path);
    const addresses = route?.backend.addresses ?? [];
    if (addresses.length === 0) return false;
    const target = addresses[this.turn++ % addresses.length]!;
    const [hostname, port] = [
      target.slice(0, target.lastIndexOf(':')),
      Number(target.slice(target.lastIndexOf(':') + 1)),
    ];
    const upstream = http.request(
      {
        hostname,
        port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, 'x-forwarded-host': host, 'x-forwarded-proto': 'http' },
        timeout: this.opts.upstreamTimeoutMs ?? 30_000,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('timeout', () => upstream.destroy(new Error('upstream timeout')));
    upstream.on('error', (err) => {
      this.opts.logger.warn({ host, target, err: err.message }, 'preview upstream failed');
      if (!res.headersSent)
        plain(res, 502, `The pod behind ${host} (${target}) did not answer: ${err.message}.`);
      else res.destroy();
    });
    req.pipe(upstream);
    return true;
  }
}

function noRouteMessage(ingressClassName: string, gateway: GatewayRef | undefined): string {
  const routes = gateway ? ` or HTTPRoute of Gateway ${gateway.namespace}/${gateway.name}` : '';
  return `no Ingress of class ${ingressClassName}${routes} has this host.`;
}

function plain(res: http.ServerResponse, status: number, message: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
  res.end(`${message}\n`);
}
