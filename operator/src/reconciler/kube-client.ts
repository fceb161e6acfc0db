import http from 'node:http';
import https from 'node:https';
import { createInterface } from 'node:readline';
import type { KubeConfig } from '@kubernetes/client-node';
import type { Counter } from 'prom-client';
import { ApiError } from './errors.js';
import { requestResource } from './request-resource.js';

export interface RequestOptions {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  /** Content type of the body; JSON unless a patch type is named. */
  contentType?: string;
  /** A user to act as (Impersonate-User, Impersonate-Extra-*); the caller needs `impersonate` on each. */
  impersonate?: string | Impersonation;
  signal?: AbortSignal;
  /** The Accept header; JSON unless asked for e.g. metadata only (METADATA_ONLY). */
  accept?: string;
}

/** Accept headers for objects as PartialObjectMetadata (names, labels, versions; no spec or status), listed or watched. */
export const METADATA_ONLY = {
  list: 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1',
  watch: 'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1',
} as const;

/** A user and the extra attributes it carries, e.g. the namespace an applier may write in. */
export interface Impersonation {
  user: string;
  /** Keys are sent percent-encoded, as the API server reads them; each key holds one value. */
  extra?: Record<string, string>;
}

export const PATCH = {
  merge: 'application/merge-patch+json',
  json: 'application/json-patch+json',
  apply: 'application/apply-patch+yaml',
} as const;

/** The counters every request is counted in: client-go's, and ours by verb and resource. */
export interface RequestCounters {
  restRequests: Counter<'code' | 'method' | 'host'>;
  restRequestsByResource?: Counter<'verb' | 'resource'>;
}

/** Someone to act as on every request (Impersonate-User and Impersonate-Group): a caller whose token was reviewed. */
export interface Identity {
  user: string;
  groups?: readonly string[];
}

interface Transport {
  base: URL;
  agent: http.Agent;
  module: typeof http | typeof https;
}

/**
 * A small HTTP client for the Kubernetes API on top of client-node's
 * kubeconfig handling (auth plugins, certificates, tokens). It keeps its own
 * keep-alive agent, streams watch responses line by line, counts every request
 * in rest_client_requests_total (and by verb and resource) and turns error statuses into ApiError.
 */
export class KubeClient {
  private transport: Transport | undefined;

  constructor(
    private readonly kubeConfig: KubeConfig,
    private readonly counters?: RequestCounters,
    private readonly identity?: Identity,
  ) {}

  async request<T = unknown>(opts: RequestOptions): Promise<T> {
    return (await this.requestWithStatus<T>(opts)).body;
  }

  /** A request and the status it was answered with, e.g. 201 when a server-side apply created the object. */
  async requestWithStatus<T = unknown>(opts: RequestOptions): Promise<{ status: number; body: T }> {
    const { res } = await this.send(opts);
    const text = await readAll(res);
    const body = parseBody(text);
    const status = res.statusCode ?? 0;
    if (status >= 300) throw new ApiError(opts.method, opts.path, status, body);
    return { status, body: body as T };
  }

  /**
   * Opens a streaming GET and calls onLine for each line until the server
   * closes the stream, the signal aborts it or the connection fails.
   * Resolves on a clean end; rejects on an error status, a broken connection
   * or an abort (with the signal's reason).
   */
  async stream(opts: Omit<RequestOptions, 'method' | 'body'>, onLine: (line: string) => void): Promise<void> {
    const { req, res } = await this.send({ ...opts, method: 'GET' });
    if ((res.statusCode ?? 0) >= 300) {
      throw new ApiError('GET', opts.path, res.statusCode ?? 0, parseBody(await readAll(res)));
    }
    const signal = opts.signal;
    await new Promise<void>((resolve, reject) => {
      const lines = createInterface({ input: res, crlfDelay: Infinity });
      const onAbort = () => {
        reject(signal?.reason ?? new Error('aborted'));
        req.destroy();
      };
      const settle = (fn: () => void) => () => {
        signal?.removeEventListener('abort', onAbort);
        fn();
      };
      const fail = (err: unknown) => settle(() => reject(err))();
      signal?.addEventListener('abort', onAbort, { once: true });
      lines.on('line', onLine);
      // readline re-emits the response's errors; unhandled, a reset connection would crash the process.
      lines.on('error', fail);
      res.on('error', fail);
      res.on('aborted', () => fail(new Error('the API server closed the watch connection mid-stream')));
      lines.on('close', settle(resolve));
      // A response destroyed after it fully arrived emits neither 'end' nor 'error', only 'close'.
      res.on('close', settle(resolve));
      if (signal?.aborted) onAbort();
    });
  }

  private async send(opts: RequestOptions): Promise<{ req: http.ClientRequest; res: http.IncomingMessage }> {
    const transport = await this.getTransport();
    const headerOpts: https.RequestOptions = {};
    await this.kubeConfig.applyToHTTPSOptions(headerOpts);
    const url = new URL(opts.path, transport.base);
    for (const [k, v] of Object.entries(opts.query ?? {}))
      if (v !== undefined) url.searchParams.set(k, String(v));
    const payload = opts.body === undefined ? undefined : JSON.stringify(opts.body);
    const headers: Record<string, string | string[]> = {
      ...(headerOpts.headers as Record<string, string> | undefined),
      accept: opts.accept ?? 'application/json',
      'user-agent': 'vibe-operator',
    };
    // A client made for a reviewed caller acts as them on every request (it makes no per-request ones).
    if (this.identity) headers['Impersonate-User'] = this.identity.user;
    if (this.identity?.groups?.length) headers['Impersonate-Group'] = [...this.identity.groups];

    // Same spelling as client-node's kubeconfig `as:` header, so a per-request user replaces it rather than doubling it.
    const as = typeof opts.impersonate === 'string' ? { user: opts.impersonate } : opts.impersonate;
    if (as) headers['Impersonate-User'] = as.user;
    for (const [key, value] of Object.entries(as?.extra ?? {})) {
      headers[`Impersonate-Extra-${encodeURIComponent(key)}`] = value;
    }
    if (headerOpts.auth) headers.authorization = `Basic ${Buffer.from(headerOpts.auth).toString('base64')}`;
    if (payload !== undefined) {
      headers['content-type'] = opts.contentType ?? 'application/json';
      headers['content-length'] = String(Buffer.byteLength(payload));
    }
    return new Promise((resolve, reject) => {
      // Aborts are handled here rather than through the request's `signal` option, which destroys
      // the socket with an error nobody listens to once the response has arrived.
      const onAbort = () => {
        // No error argument: destroying with one re-emits it on a socket that may have no listener left.
        req.destroy();
        reject(asError(opts.signal?.reason));
      };
      const req = transport.module.request(
        url,
        { method: opts.method, headers, agent: transport.agent },
        (res) => {
          this.count(String(res.statusCode ?? 0), opts, url.host);
          res.on('close', () => opts.signal?.removeEventListener('abort', onAbort));
          resolve({ req, res });
        },
      );
      req.on('error', (err) => {
        opts.signal?.removeEventListener('abort', onAbort);
        this.count('<error>', opts, url.host);
        reject(err);
      });
      if (opts.signal?.aborted) return onAbort();
      opts.signal?.addEventListener('abort', onAbort, { once: true });
      req.end(payload);
    });
  }

  private count(code: string, opts: RequestOptions, host: string): void {
    if (!this.counters) return;
    this.counters.restRequests.inc({ code, method: opts.method, host });
    this.counters.restRequestsByResource?.inc({ ...requestResource(opts.method, opts.path, opts.query) });
  }

  private async getTransport(): Promise<Transport> {
    if (this.transport) return this.transport;
    const cluster = this.kubeConfig.getCurrentCluster();
    if (!cluster) throw new Error('the kubeconfig has no current cluster; set a current-context.');
    const tls: https.RequestOptions = {};
    await this.kubeConfig.applyToHTTPSOptions(tls);
    const base = new URL(cluster.server.endsWith('/') ? cluster.server : `${cluster.server}/`);
    const isHttps = base.protocol === 'https:';
    const agent = isHttps
      ? new https.Agent({
          keepAlive: true,
          ca: tls.ca,
          cert: tls.cert,
          key: tls.key,
          pfx: tls.pfx,
          passphrase: tls.passphrase,
          servername: tls.servername,
          ...(tls.rejectUnauthorized === undefined ? {} : { rejectUnauthorized: tls.rejectUnauthorized }),
        })
      : new http.Agent({ keepAlive: true });
    this.transport = { base, agent, module: isHttps ? https : http };
    return this.transport;
  }

  /** Closes idle keep-alive connections so the process can exit. */
  close(): void {
    this.transport?.agent.destroy();
  }
}

function readAll(res: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    res.on('error', reject);
    res.on('close', () => {
      if (!res.complete) reject(new Error('the connection closed before the whole response arrived'));
    });
  });
}

function asError(reason: unknown): Error {
  return reason instanceof Error ? reason : new Error('the request was aborted');
}

function parseBody(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
