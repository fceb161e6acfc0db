/** `vibe logs NAME [-f]`: the logs of every container in the environment, prefixed by pod and container. */
import type { LogLine } from '../../client/schemas.js';
import { EXIT_USER, userCommand } from './user-command.js';

export const command = userCommand({
  name: 'logs',
  summary: "Print (or follow) the logs of an environment's workloads",
  usage: 'Usage: vibe logs NAME [-f|--follow] [--tail N]\n',
  positionals: [1, 1],
  options: { follow: { type: 'boolean', short: 'f' }, tail: { type: 'string', default: '100' } },
  async run({ client, values, positionals, output, namespace, out, err }) {
    const input = { name: positionals[0]!, namespace, tailLines: Number(values.tail) };
    const print = (l: LogLine) =>
      out(output === 'json' ? `${JSON.stringify(l)}\n` : `[${l.pod}/${l.container}] ${l.text}\n`);
    if (values.follow) {
      const stop = new AbortController();
      const onSignal = () => stop.abort();
      process.once('SIGINT', onSignal);
      try {
        await client.followLogs(input, print, stop.signal);
      } finally {
        process.removeListener('SIGINT', onSignal);
      }
      return EXIT_USER.ok;
    }
    const { lines } = await client.call('logs', input);
    if (lines.length === 0) err(`No workload logs in ${positionals[0]} yet.\n`);
    lines.forEach(print);
    return EXIT_USER.ok;
  },
});
