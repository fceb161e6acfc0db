/**
 * The MCP server of one caller: a classic tool per client operation, Code Mode's `describe` and
 * `execute`, environments as resources and a prompt. Whoever builds it hands it a client made with
 * the caller's identity, so every tool call is the caller's own.
 */
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import type { EnvironmentClient } from '../client/environment-client.js';
import { operations, type OperationName } from '../client/schemas.js';
import type { SandboxExecutor } from '../sandbox/types.js';
import { apiDeclarations, PROGRAM_RULES } from './api-typescript.js';
import { execute, type ExecuteLimits } from './code-mode.js';
import { allowed, type Mode } from './mode.js';
import { registerEnvironmentResources } from './resources.js';
import { TOOL_NAMES } from './tools.js';

export interface McpServerOptions {
  client: EnvironmentClient;
  mode: Mode;
  /** The sandbox for `execute`, opened on first use; without it there is no `execute` tool. */
  executor?: () => Promise<SandboxExecutor>;
  executeLimits?: Partial<ExecuteLimits>;
}

export interface VibeMcpServer {
  mcp: McpServer;
  close(): Promise<void>;
}

function refusal(code: string, message: string): CallToolResult {
  return { isError: true, content: [{ type: 'text', text: `${code}: ${message}` }] };
}

function errorResult(error: unknown): CallToolResult {
  const e = error as { code?: unknown; message?: unknown };
  return refusal(
    typeof e.code === 'string' ? e.code : 'VIBE_MCP_FAILED',
    typeof e.message === 'string' ? e.message : String(error),
  );
}

const executeOutput = z.object({
  ok: z.boolean(),
  value: z.unknown().optional(),
  error: z.object({ code: z.string(), message: z.string() }).optional(),
  logs: z.array(z.string()),
  calls: z.array(z.object({ op: z.string(), ok: z.boolean(), error: z.string().optional() })),
  runs: z.number(),
});

export function createMcpServer(options: McpServerOptions): VibeMcpServer {
  const { client, mode } = options;
  const mcp = new McpServer(
    { name: 'vibe-operator', version: '0.1.0' },
    {
      instructions:
        'Manage ephemeral Kubernetes environments (VibeEnvironments) with your own Kubernetes identity. ' +
        'For several steps, call `describe` once and then `execute` one TypeScript program.',
    },
  );
  registerOperationTools(mcp, client, mode);

  mcp.registerTool(
    'describe',
    {
      title: 'Describe the Code Mode API',
      description: `The TypeScript API an \`execute\` program is written against. ${PROGRAM_RULES}`,
      annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    },
    async () => ({ content: [{ type: 'text', text: `${apiDeclarations(mode)}\n// ${PROGRAM_RULES}\n` }] }),
  );

  if (options.executor) registerExecute(mcp, options, options.executor);

  const watches = registerEnvironmentResources(mcp, client);

  registerPrompts(mcp);

  return {
    mcp,
    async close() {
      watches.close();
      await mcp.close();
    },
  };
}

/** A classic tool per client operation the mode allows; each answers with the operation's output. */
function registerOperationTools(mcp: McpServer, client: EnvironmentClient, mode: Mode): void {
  for (const op of Object.keys(operations) as OperationName[]) {
    if (allowed(op, mode)) continue;
    const o = operations[op];
    mcp.registerTool(
      TOOL_NAMES[op],
      {
        title: o.title,
        description: o.description,
        inputSchema: o.input,
        outputSchema: o.output,
        annotations: {
          title: o.title,
          readOnlyHint: o.readOnly,
          destructiveHint: o.destructive,
          idempotentHint: o.readOnly || op === 'approve',
          openWorldHint: false,
        },
      },
      async (input: unknown): Promise<CallToolResult> => {
        try {
          const output = (await client.call(op, input)) as Record<string, unknown>;
          return { content: [{ type: 'text', text: JSON.stringify(output) }], structuredContent: output };
        } catch (error) {
          return errorResult(error);
        }
      },
    );
  }
}

/** `execute`: a Code Mode program run in the sandbox, opened on first use and again after a failure. */
function registerExecute(
  mcp: McpServer,
  options: McpServerOptions,
  openExecutor: () => Promise<SandboxExecutor>,
): void {
  const { client, mode } = options;
  let executor: Promise<SandboxExecutor> | undefined;
  mcp.registerTool(
    'execute',
    {
      title: 'Run a Code Mode program',
      description:
        `Runs one TypeScript program against the API \`describe\` returns, in a gVisor sandbox; each api call ` +
        `is made with your identity. Returns the program's value, its console output and the calls it made. ${PROGRAM_RULES}`,
      inputSchema: z.object({
        program: z.string().min(1).max(100_000).describe('The body of an async function; `api` is in scope.'),
      }),
      outputSchema: executeOutput,
      annotations: {
        readOnlyHint: mode.readOnly,
        destructiveHint: !mode.readOnly && !mode.noDestructive,
        openWorldHint: false,
      },
    },
    async ({ program }): Promise<CallToolResult> => {
      try {
        executor ??= openExecutor();
        const result = await execute(program, {
          executor: await executor,
          client,
          mode,
          limits: options.executeLimits,
        });
        const structured = { ...result } as Record<string, unknown>;
        return {
          content: [{ type: 'text', text: JSON.stringify(result) }],
          structuredContent: structured,
          ...(result.ok ? {} : { isError: true }),
        };
      } catch (error) {
        executor = undefined;
        return errorResult(error);
      }
    },
  );
}

function registerPrompts(mcp: McpServer): void {
  mcp.registerPrompt(
    'create-preview-environment',
    {
      title: 'Create a preview environment',
      description:
        'Create an environment from a sentence, wait until it is Ready and report its preview URL.',
      argsSchema: {
        intent: z.string().describe('What to run, e.g. "ghcr.io/acme/api:pr-42 with postgres, public".'),
        ttl: z.string().optional().describe('How long it lives, e.g. 4h.'),
      },
    },
    ({ intent, ttl }) => ({
      messages: [
        {
          role: 'user',
          content: {
            type: 'text',
            text:
              `Create a preview environment: "${intent}"${ttl ? ` living ${ttl}` : ''}. Use create_environment, then ` +
              'wait_for_environment until it is Ready (or AwaitingApproval: show me the plan and ask before approve_plan). ' +
              'If it fails, read list_attempts and list_events and tell me why and what to change. ' +
              'Finish with its preview URL and when it expires.',
          },
        },
      ],
    }),
  );
}
