/**
 * The `vibe` command's dispatcher. Each subcommand lives in its own module
 * under ./commands and is loaded only when asked for, so `vibe plan` never pays
 * for the operator's imports and the reverse. `vibe operator` is handed in by
 * the program's entry (operator/src/vibe.ts): the CLI never imports the
 * operator's start-up (main.ts).
 */
export interface Command {
  /** One line for `vibe help`. */
  summary: string;
  /** Runs the command and resolves to the process exit code. */
  run(argv: string[]): Promise<number>;
}

/** Loads a command's module on first use. */
export type CommandLoader = () => Promise<Command>;

const commands: Record<string, CommandLoader> = {
  plan: async () => (await import('./commands/plan.js')).command,
  sandbox: async () => (await import('./commands/sandbox.js')).command,
  policy: async () => (await import('./commands/policy.js')).command,
  create: async () => (await import('./commands/create.js')).command,
  get: async () => (await import('./commands/get.js')).command,
  list: async () => (await import('./commands/list.js')).command,
  approve: async () => (await import('./commands/approve.js')).command,
  extend: async () => (await import('./commands/extend.js')).command,
  sleep: async () => (await import('./commands/sleep.js')).command,
  wake: async () => (await import('./commands/wake.js')).command,
  logs: async () => (await import('./commands/logs.js')).command,
  attempts: async () => (await import('./commands/attempts.js')).command,
  events: async () => (await import('./commands/events.js')).command,
  delete: async () => (await import('./commands/delete.js')).command,
  mcp: async () => (await import('./commands/mcp.js')).command,
  selftest: async () => (await import('./commands/selftest.js')).command,
};

export const EXIT_USAGE = 2;

/** Runs `argv`; `more` adds commands defined outside cli/ (listed first in `vibe help`). */
export async function main(argv: string[], more: Record<string, CommandLoader> = {}): Promise<number> {
  const all = { ...more, ...commands };
  const [name, ...rest] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    const lines = await Promise.all(
      Object.entries(all).map(async ([n, load]) => `  ${n.padEnd(10)} ${(await load()).summary}`),
    );
    process.stdout.write(`Usage: vibe <command> [options]\n\nCommands:\n${lines.join('\n')}\n`);
    return name === undefined ? EXIT_USAGE : 0;
  }
  const load = all[name];
  if (!load) {
    process.stderr.write(`vibe: unknown command '${name}'. Run 'vibe help' for the list of commands.\n`);
    return EXIT_USAGE;
  }
  return (await load()).run(rest);
}
