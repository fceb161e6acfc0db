import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { kubeconfigPath } from './kube.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The real MCP SDK client talking to `vibe mcp` over stdio, with the test's kubeconfig. */
export async function stdioMcpClient(args: string[]): Promise<Client> {
  const client = new Client({ name: 'vibe-tests', version: '1.0.0' });
  await client.connect(
    new StdioClientTransport({
      command: process.execPath,
      args: [path.join(repoRoot, 'bin/vibe.js'), 'mcp', '--kubeconfig', kubeconfigPath(), ...args],
      cwd: repoRoot,
      env: { ...(process.env as Record<string, string>) },
      stderr: 'pipe',
    }),
  );
  return client;
}

/** The real MCP SDK client over Streamable HTTP, sending token as its bearer token when given. */
export async function httpMcpClient(url: string, token?: string): Promise<Client> {
  const client = new Client({ name: 'vibe-tests', version: '1.0.0' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(url), {
      requestInit: token ? { headers: { authorization: `Bearer ${token}` } } : {},
    }),
  );
  return client;
}

/** The text of a tool result's first content block. */
export function resultText(result: unknown): string {
  const content = (result as CallToolResult).content[0];
  return content?.type === 'text' ? content.text : '';
}
