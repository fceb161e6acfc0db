/**
 * Environments as MCP resources (`vibe://environments/NAMESPACE/NAME`, status as JSON) with change
 * notifications: a subscription starts a watch on its namespace, made with the caller's identity.
 */
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { ResourceTemplate } from '@modelcontextprotocol/sdk/server/mcp.js';
import { SubscribeRequestSchema, UnsubscribeRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import type { EnvironmentClient } from '../client/environment-client.js';

const PREFIX = 'vibe://environments/';

export const environmentUri = (namespace: string, name: string) => `${PREFIX}${namespace}/${name}`;

function parseUri(uri: string): { namespace: string; name: string } | undefined {
  if (!uri.startsWith(PREFIX)) return undefined;
  const [namespace, name, ...rest] = uri.slice(PREFIX.length).split('/');
  return namespace && name && !rest.length ? { namespace, name } : undefined;
}

export interface ResourceWatches {
  /** Stops every watch the subscriptions started. */
  close(): void;
}

export function registerEnvironmentResources(mcp: McpServer, client: EnvironmentClient): ResourceWatches {
  mcp.registerResource(
    'environment',
    new ResourceTemplate(`${PREFIX}{namespace}/{name}`, {
      list: async () => {
        const { items } = await client.list({});
        return {
          resources: items.map((e) => ({
            uri: environmentUri(e.namespace, e.name),
            name: `${e.namespace}/${e.name}`,
            description: `${e.phase}: ${e.intent}`.slice(0, 200),
            mimeType: 'application/json',
          })),
        };
      },
    }),
    {
      title: 'Environment status',
      description: 'A VibeEnvironment as `get_environment` returns it; subscribe to hear when it changes.',
      mimeType: 'application/json',
    },
    async (uri, variables) => {
      const env = await client.get({ name: String(variables.name), namespace: String(variables.namespace) });
      return {
        contents: [{ uri: uri.href, mimeType: 'application/json', text: JSON.stringify(env, null, 2) }],
      };
    },
  );

  const subscribed = new Set<string>();
  const watches = new Map<string, { stop: AbortController; started: Promise<void> }>();
  mcp.server.registerCapabilities({ resources: { subscribe: true, listChanged: true } });

  /** The namespace's watch, started once; resolves when every later change will be notified. */
  const watch = (namespace: string): Promise<void> => {
    const running = watches.get(namespace);
    if (running) return running.started;
    const stop = new AbortController();
    const started = new Promise<void>((resolve, reject) => {
      client
        .watch(
          namespace,
          (event) => {
            const uri = environmentUri(event.environment.namespace, event.environment.name);
            if (subscribed.has(uri)) void mcp.server.sendResourceUpdated({ uri }).catch(() => undefined);
            if (event.type !== 'MODIFIED') mcp.sendResourceListChanged();
          },
          stop.signal,
          resolve,
        )
        .catch((error: unknown) => {
          watches.delete(namespace);
          reject(error as Error);
        });
    });
    watches.set(namespace, { stop, started });
    return started;
  };

  mcp.server.setRequestHandler(SubscribeRequestSchema, async (request) => {
    const target = parseUri(request.params.uri);
    if (!target) throw new Error(`${request.params.uri} is not an environment; use ${PREFIX}NAMESPACE/NAME.`);
    // Reading it first makes a subscription the caller may not read fail now, with the reason.
    await client.get(target);
    subscribed.add(request.params.uri);
    // A change made right after the subscription is answered must be notified: answer once the watch has started.
    await watch(target.namespace);
    return {};
  });
  mcp.server.setRequestHandler(UnsubscribeRequestSchema, async (request) => {
    subscribed.delete(request.params.uri);
    return {};
  });

  return {
    close() {
      for (const { stop } of watches.values()) stop.abort();
      watches.clear();
    },
  };
}
