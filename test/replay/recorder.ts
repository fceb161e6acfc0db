import type { Request } from 'express';
import type { RawStep, ReplayApi } from './scenario.js';

/** Where recorded requests go: the base URL each SDK would be given. */
export type Upstreams = Partial<Record<ReplayApi, string>>;

const UPSTREAM_PATHS: Record<ReplayApi, string> = {
  anthropic: '/v1/messages',
  openai: '/chat/completions',
};

// Hop-by-hop and body-framing headers belong to each connection, not to the request.
const NOT_FORWARDED = new Set(['host', 'connection', 'content-length', 'accept-encoding', 'keep-alive']);
// Only the headers that change a client's behaviour are kept in a fixture.
const RECORDED_HEADERS = ['retry-after', 'retry-after-ms', 'x-should-retry'];

/**
 * Sends one request to the real API and returns its answer as a raw scenario
 * step. Request headers (and so the key) are forwarded but never recorded.
 */
export async function forward(api: ReplayApi, upstream: string, req: Request): Promise<RawStep> {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined && !NOT_FORWARDED.has(name)) headers.set(name, String(value));
  }
  const response = await fetch(`${upstream.replace(/\/$/, '')}${UPSTREAM_PATHS[api]}`, {
    method: 'POST',
    headers,
    body: JSON.stringify(req.body),
  });
  const text = await response.text();
  let raw: RawStep['raw'];
  try {
    raw = JSON.parse(text) as RawStep['raw'];
  } catch {
    raw = text;
  }
  const kept = RECORDED_HEADERS.flatMap((name) => {
    const value = response.headers.get(name);
    return value === null ? [] : [[name, value] as const];
  });
  return { raw, status: response.status, ...(kept.length && { headers: Object.fromEntries(kept) }) };
}
