import type { ErrorFamily } from './entry.js';

export const CLI_ERRORS = {
  title: 'Manifest files and MCP',
  about:
    "Reading manifest files for `vibe policy check`, and the MCP server's tools and Code Mode `execute` (docs/mcp.md); both print or return the code with the message.",
  codes: {
    VIBE_MANIFEST_ALIASES: {
      message: 'the YAML expands too many aliases ({detail})',
      action: 'Write the objects out.',
    },
    VIBE_MANIFEST_AMBIGUOUS: {
      message: 'document {n}, {where}: YAML 1.1 (kubectl) and YAML 1.2 read this value differently',
      action: 'Quote the value so every reader sees the same string.',
    },
    VIBE_MANIFEST_CYCLIC: {
      message: '{field} contains itself (a cyclic reference or YAML alias)',
      action: 'Write the objects out without aliases.',
    },
    VIBE_MANIFEST_DUPLICATE_KEY: {
      message: 'document {n}: {detail}',
      action: 'Each key may appear once; kubectl and other tools keep different ones.',
    },
    VIBE_MANIFEST_NOT_JSON: {
      message: '{field} is {value}, which JSON cannot hold',
      action: 'Write the value as a string, number, boolean, list or map.',
    },
    VIBE_MANIFEST_SYNTAX: {
      message: 'document {n}: {detail}',
      action: 'Fix the YAML at the line the message names.',
    },
    VIBE_MANIFEST_TOO_DEEP: {
      message: 'the YAML nests deeper than {max} levels',
      action: 'No manifest does; check the file is what you meant to check.',
    },
    VIBE_MANIFEST_TOO_LARGE: {
      message: 'the file has {length} characters; at most {max} are read',
      action: 'Check fewer or smaller manifests at a time.',
    },
    VIBE_MANIFEST_UNREADABLE: {
      message: 'the manifests cannot be read: {detail}',
      action: 'Give a YAML or JSON file of Kubernetes objects.',
    },
    VIBE_MCP_FAILED: {
      message: '{detail}',
      action: "Read the detail; the operation's own code is used when it has one.",
    },
    VIBE_MCP_NOT_DESTRUCTIVE: {
      message: '{operation} destroys what it touches, and this MCP server runs with --no-destructive',
      action: 'Delete it with `vibe delete` instead.',
    },
    VIBE_MCP_READ_ONLY: {
      message: '{operation} changes the cluster, and this MCP server runs with --read-only',
      action: 'Only reads are allowed; run the server without --read-only to change environments.',
    },
    VIBE_MCP_UNKNOWN_OPERATION: {
      message: 'there is no operation "{operation}"',
      action: 'The describe tool lists them.',
    },
    VIBE_EXECUTE_CALL_FAILED: {
      message: 'an API call of the program failed: {detail}',
      action: "Read the detail; the operation's own code is used when it has one.",
    },
    VIBE_EXECUTE_CALL_LIMIT: {
      message: 'the program made more than {maxCalls} API calls',
      action: 'Do the work in fewer calls.',
    },
    VIBE_EXECUTE_NO_RESULT: {
      message: 'the sandbox runner returned no program result',
      action: 'Return a value from the program; if it did, check the sandbox executor.',
    },
    VIBE_EXECUTE_OUTPUT_LIMIT: {
      message: 'the program returned {size} bytes; at most {maxOutputBytes} are allowed',
      action: 'Return less (select fields, filter).',
    },
    VIBE_EXECUTE_TIMEOUT: {
      message: 'the program did not finish within {timeMs} ms',
      action: 'Do less per program.',
    },
  },
} as const satisfies ErrorFamily;
