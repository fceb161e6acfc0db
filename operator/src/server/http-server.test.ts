import { pino } from 'pino';
import { Counter, Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { startHealthServer, type RunningServer } from './http-server.js';

describe('health server', () => {
  let server: RunningServer | undefined;
  afterEach(async () => server?.close());

  it('serves /healthz, /readyz that follows readiness, and /metrics in Prometheus text', async () => {
    const registry = new Registry();
    new Counter({
      name: 'workqueue_adds_total',
      help: 'adds',
      labelNames: ['name'],
      registers: [registry],
    }).inc({
      name: 'q',
    });
    let ready = false;
    server = await startHealthServer(
      { registry, ready: () => ready, logger: pino({ level: 'silent' }) },
      0,
      '127.0.0.1',
    );
    const get = async (p: string) => {
      const res = await fetch(`http://127.0.0.1:${server!.port}${p}`);
      return [res.status, await res.text()] as const;
    };
    expect(await get('/healthz')).toEqual([200, 'ok']);
    expect(await get('/readyz')).toEqual([503, 'not ready']);
    ready = true;
    expect(await get('/readyz')).toEqual([200, 'ok']);
    const [status, text] = await get('/metrics');
    expect(status).toBe(200);
    expect(text).toContain('workqueue_adds_total{name="q"} 1');
    expect((await get('/nope'))[0]).toBe(404);
  });
});
