import type http from 'node:http';
import type { Logger } from 'pino';
import type { KubeClient } from '../reconciler/kube-client.js';
import { EnvironmentOfNamespace, type EnvironmentRef } from './environment-of-namespace.js';
import { RequestActivity } from './request-activity.js';
import { wakingPage, wantsHtml } from './waking-page.js';
import { Waker } from './waker.js';

export interface ActivatorOptions {
  client: KubeClient;
  logger: Logger;
  activity?: RequestActivity;
  /** An HTML request waiting longer than this gets the waking page instead of waiting on. */
  htmlAfterMs?: number;
  /** How long a wake may take before waiting requests are answered 503. */
  wakeTimeoutMs?: number;
  /** After the environment is Ready, how long to wait for its ready pods to reach the route table. */
  routeWaitMs?: number;
}

const REFRESH_SECONDS = 2;

/**
 * The operator's activator (ADR 0096), in the spirit of Knative's: a request for a preview whose
 * pods are all gone is held while the environment wakes, then forwarded. It counts every request
 * it sees for the idle timer (ADR 0097). Requests during a wake share one wake; a failed wake is a
 * 503 with the reason; a browser that waits longer than htmlAfterMs gets a page that reloads.
 */
export class Activator {
  readonly activity: RequestActivity;
  private readonly waker: Waker;
  private readonly owners: EnvironmentOfNamespace;

  constructor(private readonly opts: ActivatorOptions) {
    this.activity = opts.activity ?? new RequestActivity();
    this.waker = new Waker({ client: opts.client, timeoutMs: opts.wakeTimeoutMs });
    this.owners = new EnvironmentOfNamespace(opts.client);
  }

  /** Counts a request to a preview served from the environment namespace `namespace`. */
  async seen(namespace: string): Promise<EnvironmentRef | undefined> {
    const owner = await this.owners.lookup(namespace);
    if (owner) this.activity.record(`${owner.namespace}/${owner.name}`);
    return owner;
  }

  /**
   * Holds a request whose backend has no ready pod, if its environment sleeps or is waking: wakes
   * it, waits until it is Ready and `forward` succeeds (it proxies and returns true once the route
   * has a ready pod, or once the controller sent it there). Returns false, having answered nothing,
   * when the namespace belongs to no sleeping or waking environment: the caller answers as it would have.
   */
  async hold(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    namespace: string,
    forward: () => boolean | Promise<boolean>,
  ): Promise<boolean> {
    const owner = await this.owners.lookup(namespace);
    if (!owner) return false;
    const phase = await this.waker.phase(owner.namespace, owner.name).catch(() => undefined);
    if (phase !== 'Sleeping' && phase !== 'Progressing') return false;
    const started = Date.now();
    const wake = this.waker.wake(owner.namespace, owner.name);
    if (wantsHtml(req.headers.accept)) {
      const timer = new Promise<'page'>((resolve) =>
        setTimeout(() => resolve('page'), this.opts.htmlAfterMs ?? 1500).unref(),
      );
      if ((await Promise.race([wake, timer])) === 'page') {
        res.writeHead(503, {
          'content-type': 'text/html; charset=utf-8',
          'retry-after': String(REFRESH_SECONDS),
        });
        res.end(wakingPage(owner.name, REFRESH_SECONDS));
        return true;
      }
    }
    const outcome = await wake;
    if (!outcome.ok) {
      this.opts.logger.warn(
        { environment: `${owner.namespace}/${owner.name}`, reason: outcome.message },
        'wake failed',
      );
      answer(res, 503, outcome.message);
      return true;
    }
    const deadline = Date.now() + (this.opts.routeWaitMs ?? 15_000);
    while (!(await forward())) {
      if (Date.now() > deadline) {
        answer(
          res,
          503,
          `VIBE_WAKE_TIMEOUT: the environment ${owner.name} is Ready but no ready pod reached its preview route yet; retry the request.`,
        );
        return true;
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    this.opts.logger.info(
      { environment: `${owner.namespace}/${owner.name}`, heldMs: Date.now() - started },
      'request held through a wake',
    );
    return true;
  }
}

function answer(res: http.ServerResponse, status: number, message: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'retry-after': '5' });
  res.end(`${message}\n`);
}
