import http from 'node:http';

export interface HttpAnswer {
  status: number;
  body: string;
}

/**
 * GET a URL, optionally with another Host header: how a test asks a preview router for a preview
 * host, as a browser at the preview URL would. fetch() cannot (the Fetch standard forbids setting
 * Host); http.get keeps it. A request that gets no answer fails after timeoutMs.
 */
export function httpGet(url: string, host?: string, timeoutMs = 5_000): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers: host ? { host } : {}, timeout: timeoutMs }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
        );
      })
      .on('timeout', function (this: http.ClientRequest) {
        this.destroy(new Error(`GET ${url} timed out after ${timeoutMs} ms`));
      })
      .on('error', reject);
  });
}
