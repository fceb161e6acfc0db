import { describe, expect, it } from 'vitest';
import { decideConcurrency } from './concurrency.js';
import { latestSuccess, runsToPrune } from './history.js';
import type { Run, RunState } from './run.js';

const run = (minute: number, state: RunState): Run => ({
  name: `nightly-${minute}`,
  scheduledAt: new Date(minute * 60_000),
  state,
});

describe('runsToPrune', () => {
  const runs = [
    run(5, 'succeeded'),
    run(1, 'succeeded'),
    run(3, 'failed'),
    run(2, 'failed'),
    run(4, 'succeeded'),
    run(6, 'active'),
    run(0, 'deleting'),
  ];

  it('picks the oldest finished runs beyond each limit, never active or deleting ones', () => {
    const pruned = runsToPrune(runs, { successfulHistoryLimit: 1, failedHistoryLimit: 1 });
    expect(pruned.map((r) => r.name)).toEqual(['nightly-1', 'nightly-2', 'nightly-4']);
  });

  it('keeps everything within the limits', () => {
    expect(runsToPrune(runs, { successfulHistoryLimit: 3, failedHistoryLimit: 2 })).toEqual([]);
  });

  it('keeps no finished run at limit 0', () => {
    const pruned = runsToPrune(runs, { successfulHistoryLimit: 0, failedHistoryLimit: 0 });
    expect(pruned.map((r) => r.name)).toEqual([
      'nightly-1',
      'nightly-2',
      'nightly-3',
      'nightly-4',
      'nightly-5',
    ]);
  });

  it('orders runs of the same time by name so the choice is stable', () => {
    const twins: Run[] = [
      { name: 'b', scheduledAt: new Date(0), state: 'failed' },
      { name: 'a', scheduledAt: new Date(0), state: 'failed' },
    ];
    expect(runsToPrune(twins, { successfulHistoryLimit: 0, failedHistoryLimit: 1 })).toEqual([twins[1]]);
  });
});

describe('latestSuccess', () => {
  it('is the scheduled time of the newest successful run', () => {
    expect(latestSuccess([run(1, 'succeeded'), run(7, 'failed'), run(4, 'succeeded')])).toEqual(
      new Date(4 * 60_000),
    );
    expect(latestSuccess([run(7, 'failed'), run(8, 'active')])).toBeUndefined();
  });
});

describe('decideConcurrency', () => {
  const finished = [run(1, 'succeeded'), run(2, 'failed'), run(3, 'deleting')];
  const busy = [...finished, run(5, 'active'), run(4, 'active')];

  it('starts when nothing is active, whatever the policy', () => {
    for (const policy of ['Allow', 'Forbid', 'Replace'] as const)
      expect(decideConcurrency(policy, finished)).toEqual({ action: 'start' });
  });

  it('Allow starts beside active runs', () => {
    expect(decideConcurrency('Allow', busy)).toEqual({ action: 'start' });
  });

  it('Forbid waits for the active runs, oldest first', () => {
    expect(decideConcurrency('Forbid', busy)).toEqual({ action: 'wait', blockers: [busy[4], busy[3]] });
  });

  it('Replace names every active run to delete first', () => {
    expect(decideConcurrency('Replace', busy)).toEqual({ action: 'replace', replaced: [busy[4], busy[3]] });
  });
});
