/**
 * The requests the operator saw reach each environment's preview, by environment key
 * (namespace/name): the preview router and the activator record every request they answer, and the
 * lifecycle reads the latest for spec.sleep.afterIdle (ADR 0097). In memory only: the lifecycle
 * stores it in status to the minute, and startedAt stands in for what a restart forgot.
 */
export class RequestActivity {
  readonly startedAt: number;
  private readonly latest = new Map<string, number>();

  constructor(private readonly now: () => number = Date.now) {
    this.startedAt = now();
  }

  record(environmentKey: string): void {
    this.latest.set(environmentKey, this.now());
  }

  lastRequest(environmentKey: string): number | undefined {
    return this.latest.get(environmentKey);
  }
}
