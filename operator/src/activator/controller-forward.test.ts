import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { forwardToController, HOP_HEADER, LOOPED_HEADER } from './controller-forward.js';

const servers: http.Server[] = [];

async function listen(handler: http.RequestListener): Promise<number> {
  const server = http.createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

/** Serves one request to `forward` and returns what the client got, plus forward's result. */
async function through(
  forward: (res: http.ServerResponse) => Promise<boolean>,
): Promise<{ forwarded: boolean; status: number; body: string }> {
  let forwarded = false;
  const port = await listen((_req, res) => {
    void forward(res).then((ok) => {
      forwarded = ok;
      if (!ok) {
        res.writeHead(599);
        res.end('not forwarded');
      }
    });
  });
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path: '/' }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ forwarded, status: res.statusCode ?? 0, body }));
      })
      .on('error', reject);
  });
}

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

const held = {
  method: 'POST',
  url: '/submit?x=1',
  headers: {
    host: 'web-team.vibe.localhost',
    accept: 'text/plain',
    connection: 'keep-alive',
    'transfer-encoding': 'chunked',
    'x-request-id': 'abc',
  },
  body: Buffer.from('payload'),
};

describe('forwardToController', () => {
  it('sends the request with its host, headers and body, marked as a hop, and pipes the answer', async () => {
    const seen: { method?: string; url?: string; headers?: http.IncomingHttpHeaders; body?: string } = {};
    const controller = await listen((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        Object.assign(seen, { method: req.method, url: req.url, headers: req.headers, body });
        res.writeHead(201, { 'x-app': 'yes' });
        res.end('from the app');
      });
    });
    const answer = await through((res) =>
      forwardToController({ host: '127.0.0.1', port: controller }, held, res),
    );
    expect(answer).toEqual({ forwarded: true, status: 201, body: 'from the app' });
    expect(seen.method).toBe('POST');
    expect(seen.url).toBe('/submit?x=1');
    expect(seen.body).toBe('payload');
    expect(seen.headers?.host).toBe('web-team.vibe.localhost');
    expect(seen.headers?.[HOP_HEADER]).toBe('1');
    expect(seen.headers?.['x-request-id']).toBe('abc');
    expect(seen.headers?.['content-length']).toBe('7');
    expect(seen.headers?.['transfer-encoding']).toBeUndefined();
  });

  it('answers nothing when the request came back to the activator, so the caller tries again', async () => {
    const controller = await listen((_req, res) => {
      res.writeHead(503, { [LOOPED_HEADER]: '1' });
      res.end('looped');
    });
    const answer = await through((res) =>
      forwardToController({ host: '127.0.0.1', port: controller }, held, res),
    );
    expect(answer).toEqual({ forwarded: false, status: 599, body: 'not forwarded' });
  });

  it('answers nothing when the controller cannot be reached', async () => {
    const closed = await listen(() => undefined);
    await new Promise((resolve) => servers.pop()!.close(resolve));
    const answer = await through((res) =>
      forwardToController({ host: '127.0.0.1', port: closed }, held, res),
    );
    expect(answer).toEqual({ forwarded: false, status: 599, body: 'not forwarded' });
  });
});
