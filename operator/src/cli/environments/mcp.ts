/**
 * `vibe mcp`: the MCP server on stdio, for desktop assistants. It acts with the user's own kubeconfig;
 * stdout carries the protocol, so everything else goes to stderr.
 */
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { connect, loadKubeConfig } from '../../client/connect.js';
import { createMcpServer } from '../../mcp/server.js';
import { openExecutor } from '../tools/pipeline-options.js';
import { parseCommand } from '../parse-command.js';
import type { Command } from '../main.js';
import { EXIT_USER } from './user-command.js';

const USAGE =
  'Usage: vibe mcp [--read-only] [--no-destructive] [--executor runsc|pod|process] [--kubeconfig FILE] [--context NAME] [-n NS]\n' +
  '\nServes the Model Context Protocol on stdin/stdout: a tool per environment operation, Code Mode\n' +
  '(describe + execute), environments as resources. --read-only allows reads only; --no-destructive\n' +
  'refuses deletes. execute runs programs in the sandbox of --executor (default runsc).\n';

export const command: Command = {
  summary: 'Serve the Model Context Protocol on stdio for AI assistants',
  async run(argv: string[]): Promise<number> {
    const parsed = parseCommand('mcp', USAGE, argv, {
      'read-only': { type: 'boolean' },
      'no-destructive': { type: 'boolean' },
      executor: { type: 'string', default: 'runsc' },
      kubeconfig: { type: 'string' },
      context: { type: 'string' },
      namespace: { type: 'string', short: 'n' },
    });
    if (typeof parsed === 'number') return parsed;
    const { values } = parsed;
    let kc;
    try {
      kc = loadKubeConfig(values.kubeconfig, values.context);
    } catch (error) {
      process.stderr.write(`vibe mcp: cannot load the kubeconfig: ${(error as Error).message}\n`);
      return EXIT_USER.usage;
    }
    const { client, kube } = connect(kc, undefined, values.namespace);
    const executorName = values.executor;
    const server = createMcpServer({
      client,
      mode: { readOnly: Boolean(values['read-only']), noDestructive: Boolean(values['no-destructive']) },
      executor: async () => {
        const executor = await openExecutor(executorName);
        if (typeof executor === 'number') throw new Error(`the ${executorName} executor is not available`);
        return executor;
      },
    });
    const transport = new StdioServerTransport();
    const closed = new Promise<void>((resolve) => (transport.onclose = resolve));
    await server.mcp.connect(transport);
    process.stdin.once('end', () => void server.close());
    await closed;
    kube.close();
    return EXIT_USER.ok;
  },
};
