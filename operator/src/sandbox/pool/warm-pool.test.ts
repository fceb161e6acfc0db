import { describe, expect, it } from 'vitest';
import { doublingBackoff } from './delay.js';
import { WarmPool, type PooledRunner } from './warm-pool.js';

class FakeRunner implements PooledRunner {
  destroyed = 0;
  private dead = false;
  private end!: () => void;
  readonly ended = new Promise<void>((resolve) => (this.end = resolve));
  constructor(readonly id: number) {}
  alive() {
    return !this.dead && this.destroyed === 0;
  }
  die() {
    this.dead = true;
    this.end();
  }
  /** Dead without having ended yet: what take() sees when the exit has not been noticed. */
  silentlyDie() {
    this.dead = true;
  }
  destroy() {
    this.destroyed++;
    return Promise.resolve();
  }
}

function harness(size: number, failures = 0, refillDelayMs = 0) {
  const booted: FakeRunner[] = [];
  const counts = { hit: 0, miss: 0, discarded: 0, bootFailed: 0, ready: -1 };
  let toFail = failures;
  const pool = new WarmPool<FakeRunner>({
    size,
    boot: () => {
      if (toFail > 0) {
        toFail--;
        return Promise.reject(new Error('runsc create failed'));
      }
      const runner = new FakeRunner(booted.length);
      booted.push(runner);
      return Promise.resolve(runner);
    },
    backoff: { next: () => 1, reset: () => undefined },
    refillDelayMs,
    observer: {
      hit: () => counts.hit++,
      miss: () => counts.miss++,
      discarded: () => counts.discarded++,
      bootFailed: () => counts.bootFailed++,
      ready: (n) => (counts.ready = n),
    },
  });
  return { pool, booted, counts };
}

/** Lets the pool's background refill run to completion. */
async function settle(pool: WarmPool<FakeRunner>, size: number): Promise<void> {
  for (let i = 0; i < 200 && pool.ready < size; i++) await new Promise((r) => setTimeout(r, 1));
}

describe('WarmPool', () => {
  it('fills to its size and hands every runner out exactly once', async () => {
    const { pool, booted, counts } = harness(2);
    pool.fill();
    await settle(pool, 2);
    expect(pool.ready).toBe(2);
    expect(counts.ready).toBe(2);
    const taken: FakeRunner[] = [];
    for (let i = 0; i < 5; i++) {
      const runner = pool.take();
      expect(runner).toBeDefined();
      taken.push(runner!);
      await settle(pool, 2);
    }
    expect(new Set(taken.map((r) => r.id)).size).toBe(5);
    expect(counts).toMatchObject({ hit: 5, miss: 0 });
    // Five handed out, two waiting again: every boot accounted for, none handed out twice.
    expect(booted).toHaveLength(7);
    expect(pool.ready).toBe(2);
    await pool.drain();
  });

  it('refills later while a runner still waits, at once when none does, and never once drained', async () => {
    const { pool, booted } = harness(2, 0, 50);
    pool.fill();
    await settle(pool, 2);
    expect(booted).toHaveLength(2);
    pool.take();
    await new Promise((r) => setTimeout(r, 10));
    expect(booted).toHaveLength(2);
    await new Promise((r) => setTimeout(r, 60));
    expect(booted).toHaveLength(3);
    expect(pool.ready).toBe(2);

    pool.take();
    pool.take();
    await new Promise((r) => setTimeout(r, 10));
    expect(booted.length).toBeGreaterThanOrEqual(4);
    await settle(pool, 2);
    expect(pool.ready).toBe(2);

    pool.take();
    await pool.drain();
    const after = booted.length;
    await new Promise((r) => setTimeout(r, 70));
    expect(booted).toHaveLength(after);
  });

  it('misses when empty, and a size of 0 never boots anything', async () => {
    const { pool, booted, counts } = harness(0);
    expect(pool.take()).toBeUndefined();
    pool.fill();
    await new Promise((r) => setTimeout(r, 5));
    expect(booted).toHaveLength(0);
    expect(counts).toMatchObject({ hit: 0, miss: 1 });
  });

  it('refuses a size that is not a whole number of at least 0', () => {
    expect(() => harness(-1)).toThrow(RangeError);
    expect(() => harness(1.5)).toThrow(/whole number/);
  });

  it('discards a runner that died while waiting and boots a replacement', async () => {
    const { pool, booted, counts } = harness(1);
    pool.fill();
    await settle(pool, 1);
    booted[0]!.die();
    await new Promise((r) => setTimeout(r, 1));
    await settle(pool, 1);
    expect(counts.discarded).toBe(1);
    expect(booted[0]!.destroyed).toBe(1);
    const runner = pool.take();
    expect(runner?.id).toBe(1);
    await pool.drain();
  });

  it('never hands out a runner found dead at take time', async () => {
    const { pool, booted, counts } = harness(2);
    pool.fill();
    await settle(pool, 2);
    booted[0]!.silentlyDie();
    const runner = pool.take();
    expect(runner?.id).toBe(1);
    expect(counts).toMatchObject({ hit: 1, discarded: 1 });
    booted[1]!.silentlyDie();
    await pool.drain();
  });

  it('retries failed boots with backoff instead of throwing', async () => {
    const { pool, counts } = harness(1, 3);
    pool.fill();
    await settle(pool, 1);
    expect(counts.bootFailed).toBe(3);
    expect(pool.ready).toBe(1);
    await pool.drain();
  });

  it('drains to zero: destroys what waits and what was booting, and boots nothing more', async () => {
    const { pool, booted } = harness(3);
    pool.fill();
    await new Promise((r) => setTimeout(r, 0));
    await pool.drain();
    expect(pool.ready).toBe(0);
    expect(booted.length).toBeGreaterThan(0);
    expect(booted.every((r) => r.destroyed === 1)).toBe(true);
    const before = booted.length;
    expect(pool.take()).toBeUndefined();
    await new Promise((r) => setTimeout(r, 5));
    expect(booted).toHaveLength(before);
  });
});

describe('doublingBackoff', () => {
  it('doubles up to its ceiling and starts over on reset', () => {
    const backoff = doublingBackoff(1_000, 4_000, () => 1);
    expect([backoff.next(), backoff.next(), backoff.next(), backoff.next()]).toEqual([
      1_000, 2_000, 4_000, 4_000,
    ]);
    backoff.reset();
    expect(backoff.next()).toBe(1_000);
    expect(doublingBackoff(1_000, 4_000, () => 0).next()).toBe(500);
  });
});

describe('WarmPool drain', () => {
  it('aborts a boot in flight instead of waiting it out', async () => {
    let aborted = false;
    const pool = new WarmPool<FakeRunner>({
      size: 1,
      boot: (signal) =>
        new Promise<FakeRunner>((_resolve, reject) =>
          signal.addEventListener('abort', () => {
            aborted = true;
            reject(new Error('given up'));
          }),
        ),
      backoff: { next: () => 1, reset: () => undefined },
    });
    pool.fill();
    await pool.drain();
    expect(aborted).toBe(true);
    expect(pool.ready).toBe(0);
  });
});
