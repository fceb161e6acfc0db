import http from 'node:http';

/** Sent on every request the activator hands back to the ingress controller. */
export const HOP_HEADER = 'vibe-activator-hop';
/** On the answer to a request that came back to the activator: the controller still routes here. */
export const LOOPED_HEADER = 'vibe-activator-looped';

/** Headers of one connection, not of the request (RFC 9110 section 7.6.1), and the length recomputed here. */
const CONNECTION_HEADERS = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'content-length',
]);

export interface HeldRequest {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

export interface ControllerAddress {
  host: string;
  port: number;
}

/**
 * Sends a held request to the ingress controller once, marked with HOP_HEADER, and pipes the answer
 * to `res`. Resolves true once an answer is on its way; false, having answered nothing, when the
 * controller sent the request back to the activator (it still routes the host here: the environment's
 * own route has no ready pod in its view yet) or could not be reached. The caller tries again.
 */
export function forwardToController(
  controller: ControllerAddress,
  held: HeldRequest,
  res: http.ServerResponse,
  timeoutMs = 30_000,
): Promise<boolean> {
  const headers: http.OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(held.headers)) {
    if (value !== undefined && !CONNECTION_HEADERS.has(name)) headers[name] = value;
  }
  headers[HOP_HEADER] = '1';
  headers['content-length'] = String(held.body.length);
  return new Promise((resolve) => {
    const upstream = http.request(
      {
        host: controller.host,
        port: controller.port,
        method: held.method,
        path: held.url,
        headers,
        timeout: timeoutMs,
      },
      (answer) => {
        if (answer.headers[LOOPED_HEADER] !== undefined) {
          answer.resume();
          resolve(false);
          return;
        }
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
        answer.on('error', () => res.destroy());
        resolve(true);
      },
    );
    upstream.on('timeout', () =>
      upstream.destroy(new Error('the ingress controller did not answer in time')),
    );
    upstream.on('error', () => {
      // After the answer began, the client sees a cut connection; before it, the caller tries again.
      if (res.headersSent) res.destroy();
      resolve(false);
    });
    upstream.end(held.body);
  });
}
