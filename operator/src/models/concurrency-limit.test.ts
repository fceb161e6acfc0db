import { describe, expect, it } from 'vitest';
import { ConcurrencyLimit } from './concurrency-limit.js';

const settled = () => new Promise((resolve) => setImmediate(resolve));

describe('ConcurrencyLimit', () => {
  it('lets max holders in and the next ones in arrival order', async () => {
    const limit = new ConcurrencyLimit(2);
    const order: string[] = [];
    const take = (name: string) => limit.acquire().then((release) => (order.push(name), release));
    const [a, b] = await Promise.all([take('a'), take('b')]);
    const c = take('c');
    const d = take('d');
    await settled();
    expect(order).toEqual(['a', 'b']);
    expect(limit.waiting).toBe(2);

    a();
    a(); // A second release of the same slot is ignored.
    await settled();
    expect(order).toEqual(['a', 'b', 'c']);
    b();
    await Promise.all([c, d]);
    expect(order).toEqual(['a', 'b', 'c', 'd']);
    expect(limit.waiting).toBe(0);
  });

  it('drops a waiter whose signal aborts, and keeps the slot count right', async () => {
    const limit = new ConcurrencyLimit(1);
    const release = await limit.acquire();
    const controller = new AbortController();
    const aborted = limit.acquire(controller.signal).catch((e: unknown) => e);
    const after = limit.acquire();
    controller.abort(new Error('deleted'));
    expect(((await aborted) as Error).message).toBe('deleted');
    expect(limit.waiting).toBe(1);

    release();
    const next = await after;
    next();
    const again = await limit.acquire();
    expect(limit.waiting).toBe(0);
    again();
  });
});
