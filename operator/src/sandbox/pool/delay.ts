/** Waiting for the warm pool: abortable delays and the backoff between failed boots. */

/** Resolves after ms, or at once when the signal aborts. */
export function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** Delays doubling from initialMs to maxMs, each with up to half of it as jitter; reset() starts over. */
export function doublingBackoff(initialMs: number, maxMs: number, random: () => number = Math.random) {
  let attempt = 0;
  return {
    next(): number {
      const base = Math.min(maxMs, initialMs * 2 ** attempt++);
      return Math.round(base / 2 + (base / 2) * random());
    },
    reset(): void {
      attempt = 0;
    },
  };
}
