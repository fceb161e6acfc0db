/** The progress display while a command waits for an environment: one line per new phase or message. */
import type { Environment } from '../../client/schemas.js';

export function progressPrinter(
  write: (text: string) => void,
  started = Date.now(),
): (env: Environment) => void {
  return (env) => {
    const seconds = Math.round((Date.now() - started) / 1000);
    const message = env.message ? `  ${env.message}` : '';
    write(`[${String(seconds).padStart(4)}s] ${env.name}: ${env.phase}${message}\n`);
  };
}
