/** The MCP server's modes: --read-only allows reads only, --no-destructive everything but deletes. */
import { operations, type OperationName } from '../client/schemas.js';

export interface Mode {
  readOnly: boolean;
  noDestructive: boolean;
}

export class ModeRefusal extends Error {
  constructor(
    readonly code: 'VIBE_MCP_READ_ONLY' | 'VIBE_MCP_NOT_DESTRUCTIVE' | 'VIBE_MCP_UNKNOWN_OPERATION',
    message: string,
  ) {
    super(message);
    this.name = 'ModeRefusal';
  }
}

/** Why the mode refuses an operation, or undefined when it may run. Unknown names are refused too. */
export function allowed(op: string, mode: Mode): ModeRefusal | undefined {
  if (!Object.hasOwn(operations, op)) {
    return new ModeRefusal(
      'VIBE_MCP_UNKNOWN_OPERATION',
      `there is no operation "${op}"; the describe tool lists them: ${Object.keys(operations).join(', ')}.`,
    );
  }
  const operation = operations[op as OperationName];
  if (mode.readOnly && !operation.readOnly) {
    return new ModeRefusal(
      'VIBE_MCP_READ_ONLY',
      `${op} changes the cluster, and this MCP server runs with --read-only; only reads are allowed.`,
    );
  }
  if (mode.noDestructive && operation.destructive) {
    return new ModeRefusal(
      'VIBE_MCP_NOT_DESTRUCTIVE',
      `${op} destroys what it touches, and this MCP server runs with --no-destructive; delete it with \`vibe delete\` instead.`,
    );
  }
  return undefined;
}
