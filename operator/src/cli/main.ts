/**
 * The `vibe` command's dispatcher. Each subcommand lives in its own module and
 * is loaded only when asked for, so `vibe plan` never pays for the operator's
 * imports and the reverse (which is also why the two rooms have no index: one
 * would load every command). ./environments holds the commands that act on
 * VibeEnvironments with the user's own kubeconfig; ./tools the operator's steps
 * run from a shell and the install's self-test. `vibe operator` is handed in by
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
  plan: async () => (await import('./tools/plan.js')).command,
  sandbox: async () => (await import('./tools/sandbox.js')).command,
  policy: async () => (await import('./tools/policy.js')).command,
  create: async () => (await import('./environments/create.js')).command,
  get: async () => (await import('./environments/get.js')).command,
  list: async () => (await import('./environments/list.js')).command,
  approve: async () => (await import('./environments/approve.js')).command,
  extend: async () => (await import('./environments/extend.js')).command,
  sleep: async () => (await import('./environments/sleep.js')).command,
  wake: async () => (await import('./environments/wake.js')).command,
  logs: async () => (await import('./environments/logs.js')).command,
  attempts: async () => (await import('./environments/attempts.js')).command,
  events: async () => (await import('./environments/events.js')).command,
  delete: async () => (await import('./environments/delete.js')).command,
  mcp: async () => (await import('./environments/mcp.js')).command,
  selftest: async () => (await import('./tools/selftest.js')).command,
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
