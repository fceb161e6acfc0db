/**
 * What the lifecycle reads of the requests that reached an environment's preview (ADR 0097): the
 * operator's preview router and activator count them as they proxy, and the ingress controller's
 * request metrics are read for the previews it serves. Kept in memory; the lifecycle stores the
 * latest in status.sleep.lastRequest, to the minute, so it survives a restart.
 */
export interface PreviewActivity {
  /** When the operator started watching requests: no idle time before it is known, so none is counted. */
  readonly startedAt: number;
  /** The latest request to the environment (by its namespace/name key), or undefined when none was seen. */
  lastRequest(environmentKey: string): number | undefined;
}

/** How much of the time asleep the TTL leaves out: nothing unless spec.sleep.pauseTtl. */
export function pausedMs(
  pauseTtl: boolean | undefined,
  pausedSeconds: number | undefined,
  sleepingSince: number | undefined,
  now: number,
): number {
  if (!pauseTtl) return 0;
  const current = sleepingSince !== undefined && now > sleepingSince ? now - sleepingSince : 0;
  return (pausedSeconds ?? 0) * 1000 + current;
}
