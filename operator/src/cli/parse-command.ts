/** The argument handling every `vibe` subcommand shares: parse, answer --help, explain a bad flag. */
import { parseArgs, type ParseArgsConfig } from 'node:util';

type Options = NonNullable<ParseArgsConfig['options']>;
type Parsed<O extends Options> = ReturnType<
  typeof parseArgs<{
    args: string[];
    allowPositionals: true;
    options: O & { help: { type: 'boolean'; short: 'h' } };
  }>
>;

/**
 * Parses argv for `vibe <name>` with a --help/-h flag added. Returns the parsed
 * values, or the exit code once it has printed the usage (0 for --help, 2 for a
 * bad flag with the reason).
 */
export function parseCommand<O extends Options>(
  name: string,
  usage: string,
  argv: string[],
  options: O,
): Parsed<O> | number {
  let parsed: Parsed<O>;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { ...options, help: { type: 'boolean', short: 'h' } as const },
    }) as Parsed<O>;
  } catch (error) {
    process.stderr.write(`vibe ${name}: ${(error as Error).message}\n${usage}`);
    return 2;
  }
  if ((parsed.values as { help?: boolean }).help) {
    process.stdout.write(usage);
    return 0;
  }
  return parsed;
}
