import { byScheduledTime, type Run } from './run.js';

export interface HistoryLimits {
  successfulHistoryLimit: number;
  failedHistoryLimit: number;
}

/** The finished runs beyond the history limits, oldest first: the ones to delete. */
export function runsToPrune(runs: readonly Run[], limits: HistoryLimits): Run[] {
  const beyond = (state: Run['state'], keep: number) => {
    const finished = runs.filter((r) => r.state === state).sort(byScheduledTime);
    return finished.slice(0, Math.max(0, finished.length - keep));
  };
  return [
    ...beyond('succeeded', limits.successfulHistoryLimit),
    ...beyond('failed', limits.failedHistoryLimit),
  ].sort(byScheduledTime);
}

/** The scheduled time of the newest run that succeeded, if any still exists. */
export function latestSuccess(runs: readonly Run[]): Date | undefined {
  return runs
    .filter((r) => r.state === 'succeeded')
    .map((r) => r.scheduledAt)
    .reduce<Date | undefined>((a, b) => (a && a.getTime() >= b.getTime() ? a : b), undefined);
}
