/** Entry point of the `vibe` command: returns the process exit code. */
export async function main(argv: string[]): Promise<number> {
  process.stderr.write(`vibe: unknown command '${argv.join(' ')}'\n`);
  return 2;
}
