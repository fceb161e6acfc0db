/** The warm pool's metrics (prom-client) and its boot-failure log, as a PoolObserver. */
import type { Logger } from 'pino';
import { Counter, Gauge, type Registry } from 'prom-client';
import type { ExecutorName } from '../types.js';
import type { PoolObserver } from './warm-pool.js';

export interface PoolReporting {
  readonly registry?: Registry;
  readonly logger?: Logger;
}

export function poolObserver(executor: ExecutorName, size: number, reporting: PoolReporting): PoolObserver {
  const registers = reporting.registry ? [reporting.registry] : [];
  const labels = { executor };
  const target = new Gauge({
    name: 'vibe_sandbox_pool_size',
    help: 'Sandbox runners the warm pool keeps booted and waiting (its configured size).',
    labelNames: ['executor'],
    registers,
  });
  const ready = new Gauge({
    name: 'vibe_sandbox_pool_ready',
    help: 'Sandbox runners booted and waiting in the warm pool now.',
    labelNames: ['executor'],
    registers,
  });
  const counter = (name: string, help: string) =>
    new Counter({ name, help, labelNames: ['executor'], registers }).labels(labels);
  const hits = counter('vibe_sandbox_pool_hits_total', 'Sandbox runs that got a runner already booted.');
  const misses = counter(
    'vibe_sandbox_pool_misses_total',
    'Sandbox runs that booted their own runner (pool empty, or limits other than the defaults).',
  );
  const discarded = counter(
    'vibe_sandbox_pool_discarded_total',
    'Waiting runners found dead and thrown away without being used.',
  );
  const bootFailures = counter(
    'vibe_sandbox_pool_boot_failures_total',
    'Failed boots of a runner for the warm pool; each is retried with backoff.',
  );
  target.set(labels, size);
  ready.set(labels, 0);
  return {
    ready: (count) => ready.set(labels, count),
    hit: () => hits.inc(),
    miss: () => misses.inc(),
    discarded: () => discarded.inc(),
    bootFailed: (error, delayMs) => {
      bootFailures.inc();
      reporting.logger?.warn(
        { err: error, executor, retryInMs: delayMs },
        'could not boot a sandbox runner for the warm pool; retrying',
      );
    },
    handOverFailed: (error) =>
      reporting.logger?.warn(
        { err: error, executor },
        'could not hand the script to a pooled sandbox runner; ran it in a fresh one instead',
      ),
  };
}
