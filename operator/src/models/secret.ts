import { inspect } from 'node:util';

const REDACTED = '[REDACTED]';

/**
 * An API key that cannot leak by accident: string conversion, JSON and
 * `util.inspect` (hence console and pino) all print a placeholder, and the value
 * sits in a private field that reflection does not enumerate. Only `reveal()`
 * hands it out, at the one place that sends it to a provider.
 */
export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  reveal(): string {
    return this.#value;
  }

  toString(): string {
    return REDACTED;
  }

  toJSON(): string {
    return REDACTED;
  }

  [inspect.custom](): string {
    return REDACTED;
  }
}
