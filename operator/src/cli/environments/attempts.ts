/** `vibe attempts NAME [--script N]`: what the agent tried, what each gate said, and what it cost. */
import type { Attempt } from '../../client/schemas.js';
import { render, table } from './output.js';
import { EXIT_USER, userCommand } from './user-command.js';

const USAGE =
  "Usage: vibe attempts NAME [--script N]\n\nLists the plans the agent tried; --script N prints attempt N's script and what each gate said.\n";

function outcome(a: Attempt): string {
  if (a.failure) return 'no script';
  return a.diagnostics.length ? `${a.diagnostics.length} diagnostics` : 'passed';
}

function detail(a: Attempt): string {
  const gates = a.gates?.map((g) => `${g.gate} ${g.ok ? 'ok' : 'FAILED'}`).join(', ') ?? '<not recorded>';
  const diagnostics = a.diagnostics.map((d) => `  - [${d.source}] ${d.code}: ${d.message}\n`).join('');
  return (
    `Attempt ${a.attempt} by ${a.author}${a.model ? ` (${a.model})` : ''}: ${a.tokens ?? 0} tokens\n` +
    `Gates: ${gates}\n` +
    (a.failure ? `Failure: ${a.failure}\n` : '') +
    (diagnostics ? `Diagnostics:\n${diagnostics}` : '') +
    (a.script ? `\n${a.script.endsWith('\n') ? a.script : `${a.script}\n`}` : '')
  );
}

export const command = userCommand({
  name: 'attempts',
  summary: "Show the agent's attempts: scripts, diagnostics, model and tokens",
  usage: USAGE,
  positionals: [1, 1],
  options: { script: { type: 'string' } },
  async run({ client, values, positionals, output, namespace, out, err }) {
    const { attempts } = await client.call('attempts', { name: positionals[0], namespace });
    if (values.script !== undefined) {
      const wanted = Number(values.script);
      const found = attempts.filter((a) => a.attempt === wanted);
      if (!found.length) {
        err(
          `vibe attempts: ${positionals[0]} has no attempt ${String(values.script)}; ` +
            `it has ${attempts.map((a) => a.attempt).join(', ') || 'none'}.\n`,
        );
        return EXIT_USER.notFound;
      }
      out(render(output, found, { table: () => found.map(detail).join('\n'), name: () => '' }));
      return EXIT_USER.ok;
    }
    if (output === 'table' && !attempts.length) {
      err(`No attempts recorded for ${positionals[0]} yet.\n`);
      return EXIT_USER.ok;
    }
    out(
      render(
        output,
        { attempts },
        {
          table: () =>
            table(
              ['ATTEMPT', 'AUTHOR', 'MODEL', 'TOKENS', 'RESULT', 'FIRST DIAGNOSTIC'],
              attempts.map((a) => [
                String(a.attempt),
                a.author,
                a.model ?? '<none>',
                String(a.tokens ?? 0),
                outcome(a),
                (
                  a.failure ??
                  (a.diagnostics[0] ? `${a.diagnostics[0].code}: ${a.diagnostics[0].message}` : '')
                ).slice(0, 80),
              ]),
            ),
          name: () => attempts.map((a) => `attempt/${a.attempt}\n`).join(''),
        },
      ),
    );
    return EXIT_USER.ok;
  },
});
