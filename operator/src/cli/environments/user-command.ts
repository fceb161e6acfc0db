/**
 * What every user command (create, get, list, approve, extend, logs, attempts, delete) shares: the
 * kubeconfig flags, the client made with the user's own credentials, output formats and exit codes.
 */
import type { ParseArgsConfig } from 'node:util';
import { connect, loadKubeConfig } from '../../client/connect.js';
import type { EnvironmentClient } from '../../client/environment-client.js';
import { ClientError, type ClientErrorCode } from '../../client/errors.js';
import type { Command } from '../main.js';
import { isOutputFormat, OUTPUT_FORMATS, type OutputFormat } from './output.js';
import { parseCommand } from '../parse-command.js';

/** Exit codes of the user commands; docs/cli.md lists them. */
export const EXIT_USER = {
  ok: 0,
  failed: 1,
  usage: 2,
  notFound: 3,
  forbidden: 4,
  unreachable: 5,
  environmentFailed: 6,
  timeout: 7,
  refused: 8,
} as const;

const EXIT_FOR: Record<ClientErrorCode, number> = {
  VIBE_CLIENT_UNAUTHORIZED: EXIT_USER.forbidden,
  VIBE_CLIENT_FORBIDDEN: EXIT_USER.forbidden,
  VIBE_CLIENT_NOT_FOUND: EXIT_USER.notFound,
  VIBE_CLIENT_EXISTS: EXIT_USER.refused,
  VIBE_CLIENT_INVALID: EXIT_USER.usage,
  VIBE_CLIENT_CONFLICT: EXIT_USER.refused,
  VIBE_CLIENT_NO_PLAN: EXIT_USER.refused,
  VIBE_CLIENT_STALE_PLAN: EXIT_USER.refused,
  VIBE_CLIENT_NOT_MANUAL: EXIT_USER.refused,
  VIBE_CLIENT_NOT_READY: EXIT_USER.refused,
  VIBE_CLIENT_TIMEOUT: EXIT_USER.timeout,
  VIBE_CLIENT_FAILED: EXIT_USER.failed,
  VIBE_CLIENT_UNREACHABLE: EXIT_USER.unreachable,
};

const COMMON_USAGE =
  '\nCommon options:\n' +
  '  -n, --namespace NS   the namespace (default: the kubeconfig context\'s, else "default")\n' +
  `  -o, --output FORMAT  ${OUTPUT_FORMATS.join('|')} (default table)\n` +
  '  --kubeconfig FILE    the kubeconfig (default $KUBECONFIG, then ~/.kube/config)\n' +
  '  --context NAME       the kubeconfig context\n';

type Options = NonNullable<ParseArgsConfig['options']>;

export interface UserContext<V> {
  client: EnvironmentClient;
  values: V;
  positionals: string[];
  output: OutputFormat;
  /** The namespace the flags name, or the client's default. */
  namespace: string;
  out: (text: string) => void;
  err: (text: string) => void;
}

export function userCommand<O extends Options>(spec: {
  name: string;
  summary: string;
  usage: string;
  options: O;
  /** How many positionals the command takes: [min, max]. */
  positionals: [number, number];
  run: (ctx: UserContext<Record<string, unknown>>) => Promise<number>;
}): Command {
  const usage = `${spec.usage}${COMMON_USAGE}`;
  return {
    summary: spec.summary,
    async run(argv) {
      const parsed = parseCommand(spec.name, usage, argv, {
        ...spec.options,
        namespace: { type: 'string', short: 'n' },
        output: { type: 'string', short: 'o', default: 'table' },
        kubeconfig: { type: 'string' },
        context: { type: 'string' },
      });
      if (typeof parsed === 'number') return parsed;
      const values = parsed.values as Record<string, unknown>;
      const [min, max] = spec.positionals;
      if (parsed.positionals.length < min || parsed.positionals.length > max) {
        process.stderr.write(usage);
        return EXIT_USER.usage;
      }
      const output = String(values.output);
      if (!isOutputFormat(output)) {
        process.stderr.write(
          `vibe ${spec.name}: -o ${output} is not a format; use ${OUTPUT_FORMATS.join(', ')}.\n`,
        );
        return EXIT_USER.usage;
      }
      let kc;
      try {
        kc = loadKubeConfig(values.kubeconfig as string | undefined, values.context as string | undefined);
      } catch (error) {
        process.stderr.write(
          `vibe ${spec.name}: cannot load the kubeconfig: ${(error as Error).message}; pass --kubeconfig FILE or set KUBECONFIG.\n`,
        );
        return EXIT_USER.usage;
      }
      let kube;
      try {
        const connected = connect(kc);
        kube = connected.kube;
        return await spec.run({
          client: connected.client,
          values,
          positionals: parsed.positionals,
          output,
          namespace: (values.namespace as string | undefined) ?? connected.client.defaultNamespace,
          out: (text) => process.stdout.write(text),
          err: (text) => process.stderr.write(text),
        });
      } catch (error) {
        if (error instanceof ClientError) {
          process.stderr.write(`vibe ${spec.name}: ${error.code}: ${error.message}\n`);
          return EXIT_FOR[error.code];
        }
        process.stderr.write(`vibe ${spec.name}: ${(error as Error).message}\n`);
        return EXIT_USER.failed;
      } finally {
        kube?.close();
      }
    },
  };
}
