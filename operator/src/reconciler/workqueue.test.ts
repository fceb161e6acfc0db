import { describe, expect, it } from 'vitest';
import { ExponentialRateLimiter } from './rate-limiter.js';
import { WorkQueue } from './workqueue.js';

const limiterless = () => new WorkQueue({ name: 't', rateLimiter: new ExponentialRateLimiter(1, 10) });

describe('WorkQueue', () => {
  it('stores a waiting key once however often it is added', async () => {
    const q = limiterless();
    q.add('a');
    q.add('a');
    q.add('b');
    q.add('a');
    expect(q.length).toBe(2);
    expect(await q.get()).toBe('a');
    expect(await q.get()).toBe('b');
    expect(q.length).toBe(0);
  });

  it('never hands out a key being processed; an add meanwhile is replayed after done', async () => {
    const q = limiterless();
    q.add('a');
    const first = await q.get();
    q.add('a');
    expect(q.length).toBe(0);
    let second: string | undefined;
    void q.get().then((k) => (second = k));
    await new Promise((r) => setTimeout(r, 5));
    expect(second).toBeUndefined();
    q.done(first as string);
    await new Promise((r) => setTimeout(r, 0));
    expect(second).toBe('a');
  });

  it('serves normal keys before low-priority ones and promotes a re-added low key', async () => {
    const q = limiterless();
    q.add('initial-1', { lowPriority: true });
    q.add('initial-2', { lowPriority: true });
    q.add('user-change');
    q.add('initial-2');
    expect([await q.get(), await q.get(), await q.get()]).toEqual(['user-change', 'initial-2', 'initial-1']);
  });

  it('keeps the earliest of several delayed adds', async () => {
    const q = limiterless();
    q.addAfter('a', 10_000);
    q.addAfter('a', 5);
    await new Promise((r) => setTimeout(r, 30));
    expect(q.length).toBe(1);
    expect(await q.get()).toBe('a');
  });

  it('backs a failing key off exponentially and forgets it after success', () => {
    const limiter = new ExponentialRateLimiter(5, 1_000_000);
    expect([limiter.when('k'), limiter.when('k'), limiter.when('k'), limiter.when('k')]).toEqual([
      5, 10, 20, 40,
    ]);
    expect(limiter.retries('k')).toBe(4);
    limiter.forget('k');
    expect(limiter.when('k')).toBe(5);
  });

  it('resolves waiting gets with undefined on shutdown and waits for in-flight keys', async () => {
    const q = limiterless();
    q.add('a');
    const key = (await q.get()) as string;
    const waiting = q.get();
    let drained = false;
    const shutdown = q.shutDown().then(() => (drained = true));
    expect(await waiting).toBeUndefined();
    await new Promise((r) => setTimeout(r, 5));
    expect(drained).toBe(false);
    q.done(key);
    await shutdown;
    expect(drained).toBe(true);
    q.add('b');
    expect(q.length).toBe(0);
  });
});
