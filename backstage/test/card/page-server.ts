/**
 * Serves the card's page and bundle, and passes /api/vibe/ on to the test backend with a user's
 * token, as a Backstage app's fetchApi would.
 */
import { mockCredentials } from '@backstage/backend-test-utils';
import { build } from 'esbuild';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const harness = path.join(path.dirname(fileURLToPath(import.meta.url)), 'harness.tsx');

export async function servePage(backendPort: number): Promise<{ url: string; close(): Promise<void> }> {
  const bundle = await build({
    entryPoints: [harness],
    bundle: true,
    write: false,
    format: 'esm',
    jsx: 'automatic',
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'silent',
  });
  const script = bundle.outputFiles[0]?.text ?? '';
  const page =
    '<!doctype html><html><head><title>vibe card</title></head><body><div id="root"></div><script type="module" src="/card.js"></script></body></html>';
  const server: Server = createServer((req, res) => {
    const url = req.url ?? '/';
    if (url.startsWith('/api/vibe/')) {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        fetch(`http://127.0.0.1:${backendPort}${url}`, {
          method: req.method,
          headers: { authorization: mockCredentials.user.header(), 'content-type': 'application/json' },
          body: chunks.length ? Buffer.concat(chunks) : undefined,
        }).then(
          async (answer) => {
            res.writeHead(answer.status, { 'content-type': 'application/json' });
            res.end(await answer.text());
          },
          (error: unknown) => {
            res.writeHead(502);
            res.end(String(error));
          },
        );
      });
      return;
    }
    if (url === '/card.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' });
      res.end(script);
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(page);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
