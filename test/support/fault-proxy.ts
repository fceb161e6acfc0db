import { rm } from 'node:fs/promises';
import { writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { kubeconfigPath } from './kube.js';

/**
 * An HTTP proxy in front of the real API server that can misbehave on
 * demand: fail requests with a 5xx, answer a watch with 410 Gone, write a
 * malformed line into open watches or cut them. The operator under test talks
 * to the proxy through the kubeconfig it writes; the proxy authenticates
 * upstream with the test kubeconfig's credentials.
 */
export class FaultProxy {
  /** Fail this many coming requests (lists, gets and writes alike) with HTTP 500. */
  failRequests = 0;
  /** Answer this many coming watch requests with an ERROR event carrying 410 Gone. */
  goneWatches = 0;
  /** While true every request fails with 503, as during an outage. */
  outage = false;
  readonly seen = { watches: 0, requests: 0, injected500: 0, injectedGone: 0, refusedWatches: 0 };
  private readonly openWatches = new Set<http.ServerResponse>();
  private readonly sockets = new Set<Socket>();

  private constructor(
    private readonly server: http.Server,
    readonly kubeconfig: string,
    private readonly targets: ((url: URL) => boolean) | undefined,
  ) {}

  /**
   * Starts the proxy. With `targets`, the watch faults (and the watch counts)
   * concern only the watches it accepts, so an operator running several
   * informers can be hurt in one of them.
   */
  static async start(targets?: (url: URL) => boolean): Promise<FaultProxy> {
    const kc = new KubeConfig();
    kc.loadFromFile(kubeconfigPath());
    const upstream = new URL(kc.getCurrentCluster()!.server);
    const tls: https.RequestOptions = {};
    await kc.applyToHTTPSOptions(tls);
    const agent = new https.Agent({ keepAlive: true, ca: tls.ca, cert: tls.cert, key: tls.key });
    const auth = (tls.headers ?? {}) as Record<string, string>;

    // eslint-disable-next-line prefer-const
    let proxy: FaultProxy;
    const server = http.createServer((req, res) => proxy.handle(req, res, upstream, agent, auth));
    server.on('connection', (s) => {
      proxy.sockets.add(s);
      s.on('close', () => proxy.sockets.delete(s));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    const file = path.join(tmpdir(), `vibe-fault-proxy-${process.pid}-${port}.kubeconfig`);
    writeFileSync(
      file,
      [
        'apiVersion: v1',
        'kind: Config',
        'clusters: [{name: proxy, cluster: {server: "http://127.0.0.1:' +
          port +
          '", insecure-skip-tls-verify: true}}]',
        'users: [{name: proxy, user: {}}]',
        'contexts: [{name: proxy, context: {cluster: proxy, user: proxy}}]',
        'current-context: proxy',
        '',
      ].join('\n'),
    );
    proxy = new FaultProxy(server, file, targets);
    return proxy;
  }

  /** Writes a line into every open watch stream. */
  injectIntoWatches(line: string): number {
    for (const res of this.openWatches) res.write(`${line}\n`);
    return this.openWatches.size;
  }

  /** Cuts every open watch connection without a clean end, as a network failure would. */
  dropWatches(): number {
    const n = this.openWatches.size;
    for (const res of this.openWatches) res.socket?.destroy();
    this.openWatches.clear();
    return n;
  }

  get watching(): number {
    return this.openWatches.size;
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    await rm(this.kubeconfig, { force: true });
  }

  private handle(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    upstream: URL,
    agent: https.Agent,
    auth: Record<string, string>,
  ): void {
    const url = new URL(req.url ?? '/', 'http://proxy');
    const isWatch =
      (url.searchParams.get('watch') === '1' || url.searchParams.get('watch') === 'true') &&
      (this.targets === undefined || this.targets(url));
    this.seen.requests++;
    if (isWatch) this.seen.watches++;
    if (this.outage) {
      if (isWatch) this.seen.refusedWatches++;
      return status(res, 503, 'ServiceUnavailable', 'injected outage');
    }
    if (isWatch && this.goneWatches > 0) {
      this.goneWatches--;
      this.seen.injectedGone++;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          type: 'ERROR',
          object: {
            kind: 'Status',
            apiVersion: 'v1',
            status: 'Failure',
            reason: 'Expired',
            code: 410,
            message: 'too old resource version (injected)',
          },
        }) + '\n',
      );
      return;
    }
    if (!isWatch && this.failRequests > 0) {
      this.failRequests--;
      this.seen.injected500++;
      return status(res, 500, 'InternalError', 'injected failure');
    }
    const headers = { ...req.headers, ...auth };
    delete headers.host;
    const out = https.request(
      {
        protocol: upstream.protocol,
        hostname: upstream.hostname,
        port: upstream.port,
        path: req.url,
        method: req.method,
        headers,
        agent,
      },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        if (isWatch) {
          this.openWatches.add(res);
          res.on('close', () => this.openWatches.delete(res));
        }
        up.pipe(res);
        up.on('error', () => res.destroy());
      },
    );
    out.on('error', () =>
      res.headersSent ? res.destroy() : status(res, 502, 'BadGateway', 'upstream failed'),
    );
    res.on('close', () => out.destroy());
    req.pipe(out);
  }
}

function status(res: http.ServerResponse, code: number, reason: string, message: string): void {
  res.writeHead(code, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', reason, code, message }));
}
