/**
 * The `vibe` program: the CLI's commands, and `vibe operator`, which starts the operator
 * (operator-command.ts, main.ts). The one module that joins the two, so cli/ never imports the
 * operator's start-up; bin/vibe.js and the operator image's bundle both start here.
 */
import { main as cli } from './cli/main.js';

export function main(argv: string[]): Promise<number> {
  return cli(argv, { operator: async () => (await import('./operator-command.js')).command });
}
