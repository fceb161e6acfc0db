/**
 * At most `max` requests in flight to one provider; the rest wait in order. A
 * local server (Ollama, llama.cpp) answers one request at a time, and a hosted
 * API's rate limit is cheaper to respect than to hit and retry.
 */
export class ConcurrencyLimit {
  readonly #max: number;
  readonly #waiting: Array<() => void> = [];
  #active = 0;

  constructor(max: number) {
    this.#max = max;
  }

  get waiting(): number {
    return this.#waiting.length;
  }

  /** Resolves to a release function once a slot is free; an abort while waiting gives up the place. */
  async acquire(signal?: AbortSignal): Promise<() => void> {
    signal?.throwIfAborted();
    if (this.#active < this.#max) {
      this.#active += 1;
      return this.#releaser();
    }
    await new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        this.#waiting.splice(this.#waiting.indexOf(grant), 1);
        reject(signal?.reason);
      };
      const grant = () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      this.#waiting.push(grant);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
    return this.#releaser();
  }

  #releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.#waiting.shift();
      // The slot passes straight to the next waiter, so `active` only drops when nobody waits.
      if (next) next();
      else this.#active -= 1;
    };
  }
}
