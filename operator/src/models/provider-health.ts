/**
 * Which providers were given up on recently. After a provider fails a request
 * even with retries, the next requests skip it for a cool-down instead of each
 * spending its own retries (and its environment's attempts) on an outage.
 */
export class ProviderHealth {
  readonly #coolingUntil = new Map<string, number>();
  readonly #cooldownMs: number;
  readonly #now: () => number;

  constructor(cooldownMs: number, now: () => number) {
    this.#cooldownMs = cooldownMs;
    this.#now = now;
  }

  /** Starts the cool-down; a longer retry-after from the server stretches it. */
  gaveUp(provider: string, retryAfterMs = 0): void {
    if (this.#cooldownMs === 0) return;
    this.#coolingUntil.set(provider, this.#now() + Math.max(this.#cooldownMs, retryAfterMs));
  }

  answered(provider: string): void {
    this.#coolingUntil.delete(provider);
  }

  isCooling(provider: string): boolean {
    const until = this.#coolingUntil.get(provider);
    return until !== undefined && until > this.#now();
  }
}
