/**
 * The typed TypeScript API a Code Mode program is written against, generated from the client's
 * operation schemas: the same definitions the classic MCP tools expose, never written twice.
 */
import { interfaceText } from '../../../sandbox-runtime/sdk/typings.js';
import { operations, type OperationName } from '../client/schemas.js';
import { allowed, type Mode } from './mode.js';

const typeName = (op: string, suffix: string) => `${op[0]!.toUpperCase()}${op.slice(1)}${suffix}`;

/** The declarations `describe` returns: one namespace of types and the `api` object with a method per operation the mode allows. */
export function apiDeclarations(mode: Mode): string {
  const names = (Object.keys(operations) as OperationName[]).filter((op) => allowed(op, mode) === undefined);
  const types = names.flatMap((op) => [
    interfaceText(typeName(op, 'Input'), operations[op].input, 'input'),
    interfaceText(typeName(op, 'Output'), operations[op].output, 'output'),
  ]);
  const methods = names.map((op) => {
    const o = operations[op];
    const notes = [o.description, o.readOnly ? 'Reads only.' : o.destructive ? 'Destructive.' : 'Writes.'];
    return `  /** ${notes.join(' ')} */\n  ${op}(input: Vibe.${typeName(op, 'Input')}): Promise<Vibe.${typeName(op, 'Output')}>;`;
  });
  return (
    `declare namespace Vibe {\n${types.join('\n\n')}\n}\n\n` +
    '/** Every call is made with your own Kubernetes identity; a refused call rejects with an Error whose `code` says why. */\n' +
    `declare const api: {\n${methods.join('\n')}\n};\n`
  );
}

/** How a program is written, for the `describe` and `execute` tool descriptions. */
export const PROGRAM_RULES =
  'The program is the body of an async function: use `await api.<operation>(input)`, `console.log` for ' +
  'notes, and `return` a JSON-serializable value. Run independent calls together with Promise.all. There is ' +
  'no network, filesystem, process, environment variable or timer; Date.now() is fixed for the whole run; ' +
  'the program must make the same calls each time it runs (it is replayed after each round of calls).';
