import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { Activator } from './activator.js';
import type { ActivatorHosts } from './activator-hosts.js';
import {
  forwardToController,
  HOP_HEADER,
  LOOPED_HEADER,
  type ControllerAddress,
  type HeldRequest,
} from './controller-forward.js';

/** A held request's body is buffered to be sent again; previews asleep rarely get large uploads. */
const BODY_LIMIT_BYTES = 1024 * 1024;

export interface ControllerActivatorOptions {
  activator: Activator;
  hosts: ActivatorHosts;
  controller: ControllerAddress;
  logger: Logger;
  host: string;
  port: number;
  /** How long a request for an environment that is already awake may keep coming back before a 503. */
  settleMs?: number;
}

/**
 * The activator's listener for an in-cluster ingress controller (ADR 0096). The controller routes a
 * sleeping environment's preview hosts here (the operator's activator routes); a request is held
 * while the environment wakes, then handed back to the controller, which by then routes the host to
 * the environment's own pods. A request the controller sends back here again carries HOP_HEADER and
 * is answered at once with LOOPED_HEADER: the activator waits and tries again instead of looping.
 */
export class ControllerActivator {
  private readonly server: http.Server;

  constructor(private readonly opts: ControllerActivatorOptions) {
    this.server = http.createServer((req, res) => {
      this.handle(req, res).catch((err: Error) => {
        opts.logger.warn({ host: req.headers.host, err: err.message }, 'activator failed');
        if (!res.headersSent)
          answer(res, 503, `VIBE_WAKE_FAILED: the preview could not be woken: ${err.message}.`);
      });
    });
  }

  async start(): Promise<{ port: number }> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.opts.port, this.opts.host, () => resolve());
    });
    const { port } = this.server.address() as AddressInfo;
    const { controller } = this.opts;
    this.opts.logger.info(
      { host: this.opts.host, port, controller: `${controller.host}:${controller.port}` },
      'activator listening for the ingress controller',
    );
    return { port };
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    if (req.headers[HOP_HEADER] !== undefined) {
      req.resume();
      res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8', [LOOPED_HEADER]: '1' });
      res.end('The ingress controller still routes this host to the activator.\n');
      return;
    }
    const host = req.headers.host ?? '';
    const namespace = await this.opts.hosts.namespaceOf(host);
    if (!namespace) {
      req.resume();
      return answer(
        res,
        404,
        `No sleeping preview is served at ${host}: no activator route names this host.`,
      );
    }
    void this.opts.activator.seen(namespace).catch(() => undefined);
    const body = await readBody(req);
    if (!body)
      return answer(
        res,
        413,
        `A request to a sleeping preview may carry at most ${BODY_LIMIT_BYTES} bytes; send it again once ${host} is awake.`,
      );
    const held: HeldRequest = {
      method: req.method ?? 'GET',
      url: req.url ?? '/',
      headers: req.headers,
      body,
    };
    const forward = () => forwardToController(this.opts.controller, held, res);
    if (await this.opts.activator.hold(req, res, namespace, forward)) return;
    // Not asleep: just woken, and the controller has not seen a ready pod yet (it soon will), or
    // failed after a wake, and no pod will be ready.
    const deadline = Date.now() + (this.opts.settleMs ?? 15_000);
    while (!(await forward())) {
      if (Date.now() > deadline) {
        return answer(
          res,
          503,
          `The preview ${host} is not asleep, but the ingress controller still routes it to the activator (none of its pods is ready); retry the request, or read the environment's status with vibe get.`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

/** The whole body, or undefined when it is larger than BODY_LIMIT_BYTES. */
async function readBody(req: http.IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > BODY_LIMIT_BYTES) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

function answer(res: http.ServerResponse, status: number, message: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'retry-after': '5' });
  res.end(`${message}\n`);
}
