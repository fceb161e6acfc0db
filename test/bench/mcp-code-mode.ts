/**
 * MCP Code Mode against classic tool calls for one multi-step task: "extend every environment of a
 * namespace by an hour". Both run for real against the control-plane cluster through `vibe mcp` and
 * the MCP SDK client (execute's program in gVisor); the model's side is then replayed through the
 * real gateway and SDK against the replay server, its tool results being the ones the server really
 * returned. Tokens are the replay server's estimate (4 characters a token), the same yardstick for both.
 */
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { ToolCall } from '../../operator/src/models/index.js';
import {
  createNamespace,
  deleteNamespace,
  environmentsPath,
  installCrds,
  testClient,
} from '../support/kube.js';
import { resultText, stdioMcpClient } from '../support/mcp-client.js';
import { measureConversation, type ConversationCost } from '../replay/measure.js';
import type { AnswerStep } from '../replay/scenario.js';
import { seconds, table } from './figures.js';

const ENVIRONMENTS = Number(process.env.BENCH_ENVIRONMENTS ?? 8);
const SYSTEM = 'You manage ephemeral Kubernetes environments for the user through the vibe MCP server.';
const TASK = 'Extend every environment in my namespace by one hour.';

interface Run {
  /** MCP tool calls the assistant made, and the model turns around them. */
  turns: AnswerStep[];
  results: Map<string, string>;
  wallMs: number;
}

const key = (name: string, input: unknown) => `${name} ${JSON.stringify(input)}`;

async function call(mcp: Client, results: Map<string, string>, name: string, input: Record<string, unknown>) {
  const result = (await mcp.callTool({ name, arguments: input })) as CallToolResult;
  if (result.isError) throw new Error(`${name} failed: ${resultText(result)}`);
  results.set(key(name, input), resultText(result));
  return result;
}

async function classic(mcp: Client): Promise<Run> {
  const results = new Map<string, string>();
  const started = performance.now();
  const listed = await call(mcp, results, 'list_environments', {});
  const names = (listed.structuredContent as { items: Array<{ name: string }> }).items.map((e) => e.name);
  const extends_ = names.map((name) => ({ name: 'extend_environment', input: { name, by: '1h' } }));
  for (const c of extends_) await call(mcp, results, c.name, c.input);
  return {
    turns: [
      { toolCalls: [{ name: 'list_environments', input: {} }] },
      { toolCalls: extends_ },
      { text: 'Done.' },
    ],
    results,
    wallMs: performance.now() - started,
  };
}

const PROGRAM = `const { items } = await api.list({});
const done = await Promise.all(items.map((e) => api.extend({ name: e.name, by: '1h' })));
return done.map((e) => ({ name: e.name, expiresAt: e.expiresAt }));`;

async function codeMode(mcp: Client): Promise<Run> {
  const results = new Map<string, string>();
  const started = performance.now();
  await call(mcp, results, 'describe', {});
  await call(mcp, results, 'execute', { program: PROGRAM });
  return {
    turns: [
      { toolCalls: [{ name: 'describe', input: {} }] },
      { toolCalls: [{ name: 'execute', input: { program: PROGRAM } }] },
      { text: 'Done.' },
    ],
    results,
    wallMs: performance.now() - started,
  };
}

async function modelCost(
  mcp: Client,
  run: Run,
  toolNames: (name: string) => boolean,
): Promise<ConversationCost> {
  const tools = (await mcp.listTools()).tools
    .filter((t) => toolNames(t.name))
    .map((t) => ({ name: t.name, description: t.description ?? '', inputSchema: t.inputSchema }));
  return measureConversation({
    intent: TASK,
    system: SYSTEM,
    tools,
    turns: run.turns,
    toolResult: (c: ToolCall) => run.results.get(key(c.name, c.input)) ?? '',
  });
}

const tokens = (c: ConversationCost) =>
  c.usage.tokens.inputTokens + c.usage.tokens.cacheCreationTokens + c.usage.tokens.cacheReadTokens;

async function main(): Promise<void> {
  const kube = testClient();
  await installCrds(kube);
  const ns = await createNamespace(kube, 'bench-mcp');
  let mcp: Client | undefined;
  try {
    for (let i = 0; i < ENVIRONMENTS; i++) {
      await kube.request({
        method: 'POST',
        path: environmentsPath(ns),
        body: {
          apiVersion: 'vibe.dev/v1alpha1',
          kind: 'VibeEnvironment',
          metadata: { name: `env-${i}` },
          spec: { intent: `web app ${i}` },
        },
      });
    }
    mcp = await stdioMcpClient(['-n', ns]);
    // One execute first, so the sandbox's rootfs and runner snapshot are built before anything is timed.
    await mcp.callTool({ name: 'execute', arguments: { program: 'return 1;' } });
    const tools = await classic(mcp);
    const code = await codeMode(mcp);
    const classicTools = (n: string) => n !== 'describe' && n !== 'execute';
    const toolsCost = await modelCost(mcp, tools, classicTools);
    // The same calls one per model turn, as an assistant without parallel tool calls makes them.
    const oneByOne: Run = {
      ...tools,
      turns: [
        ...tools.turns.flatMap((t) => (t.toolCalls ?? []).map((c) => ({ toolCalls: [c] }))),
        { text: 'Done.' },
      ],
    };
    const oneByOneCost = await modelCost(mcp, oneByOne, classicTools);
    const codeCost = await modelCost(mcp, code, (n) => n === 'describe' || n === 'execute');
    const row = (mode: string, run: Run, cost: ConversationCost) => [
      mode,
      String(run.turns.flatMap((t) => t.toolCalls ?? []).length),
      String(cost.roundTrips),
      String(tokens(cost)),
      String(cost.usage.tokens.outputTokens),
      String(cost.requestBytes),
      seconds(run.wallMs),
    ];
    process.stdout.write(
      `MCP: extend ${ENVIRONMENTS} environments by an hour (tokens estimated at 4 characters each)\n\n` +
        `${table(
          [
            'mode',
            'tool calls',
            'model round-trips',
            'input tokens',
            'output tokens',
            'request bytes',
            'tool time s',
          ],
          [
            row('classic tools, one call per turn', oneByOne, oneByOneCost),
            row('classic tools, parallel calls', tools, toolsCost),
            row('Code Mode (describe + execute)', code, codeCost),
          ],
        )}\n`,
    );
  } finally {
    await mcp?.close();
    await deleteNamespace(kube, ns);
    kube.close();
  }
}

await main();
