import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';

export interface HealthServerOptions {
  registry: Registry;
  /** True once the operator can do its work (caches synced). */
  ready: () => boolean;
  /** False when the operator is wedged and should be restarted. */
  live?: () => boolean;
  logger: Logger;
  /** More routes on the same server, e.g. the MCP endpoint. */
  routes?: express.Router;
}

export interface RunningServer {
  port: number;
  close(): Promise<void>;
}

/** The probe and metrics endpoints: /healthz, /readyz and /metrics (Prometheus text). */
export function createHealthApp(opts: HealthServerOptions) {
  const app = express();
  app.disable('x-powered-by');
  app.get('/healthz', (_req, res) => {
    const ok = opts.live?.() ?? true;
    res
      .status(ok ? 200 : 503)
      .type('text/plain')
      .send(ok ? 'ok' : 'not live');
  });
  app.get('/readyz', (_req, res) => {
    const ok = opts.ready();
    res
      .status(ok ? 200 : 503)
      .type('text/plain')
      .send(ok ? 'ok' : 'not ready');
  });
  app.get('/metrics', async (_req, res) => {
    res.type(opts.registry.contentType).send(await opts.registry.metrics());
  });
  if (opts.routes) app.use(opts.routes);
  return app;
}

export function startHealthServer(
  opts: HealthServerOptions,
  port: number,
  host: string,
): Promise<RunningServer> {
  const app = createHealthApp(opts);
  return new Promise((resolve, reject) => {
    const server: Server = app.listen(port, host, (err?: Error) => {
      if (err) return reject(err);
      const actual = (server.address() as AddressInfo).port;
      opts.logger.info({ port: actual, host }, 'serving /healthz, /readyz and /metrics');
      resolve({
        port: actual,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
    server.on('error', reject);
  });
}
