/**
 * MCP over Streamable HTTP at /mcp on the operator's server, off unless --mcp. Every request carries a
 * bearer token that the API server reviews; the session then acts as the reviewed user and groups
 * through impersonation, so RBAC decides each call. Host headers outside the allow-list are refused
 * (DNS rebinding). A session belongs to the identity that opened it.
 */
import { randomUUID } from 'node:crypto';
import type { KubeConfig } from '@kubernetes/client-node';
import { hostHeaderValidation } from '@modelcontextprotocol/sdk/server/middleware/hostHeaderValidation.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import express, { type Request, type Response } from 'express';
import type { Logger } from 'pino';
import { connect } from '../client/connect.js';
import type { Identity, KubeClient } from '../reconciler/kube-client.js';
import type { SandboxExecutor } from '../sandbox/types.js';
import type { Mode } from './mode.js';
import { createMcpServer, type VibeMcpServer } from './server.js';
import { reviewToken } from './token-review.js';

export interface McpHttpOptions {
  /** The operator's own cluster access: it reviews tokens and impersonates callers. */
  kubeConfig: KubeConfig;
  /** The operator's client, for TokenReviews. */
  kube: KubeClient;
  mode: Mode;
  executor?: () => Promise<SandboxExecutor>;
  /** Host names (without port) the endpoint answers to. */
  allowedHosts: readonly string[];
  logger: Logger;
}

interface Session {
  identity: Identity;
  transport: StreamableHTTPServerTransport;
  server: VibeMcpServer;
  kube: KubeClient;
}

export interface McpEndpoint {
  router: express.Router;
  close(): Promise<void>;
}

function rpcError(res: Response, status: number, message: string, headers: Record<string, string> = {}) {
  res
    .status(status)
    .set(headers)
    .json({ jsonrpc: '2.0', error: { code: -32001, message }, id: null });
}

const sameIdentity = (a: Identity, b: Identity) =>
  a.user === b.user &&
  JSON.stringify([...(a.groups ?? [])].sort()) === JSON.stringify([...(b.groups ?? [])].sort());

/**
 * The caller's identity by TokenReview of its bearer token; undefined once it has answered the
 * request itself (401 without a token or with a refused one, 503 when the review could not run).
 */
async function authenticate(
  req: Request,
  res: Response,
  options: McpHttpOptions,
): Promise<Identity | undefined> {
  const header = req.headers.authorization ?? '';
  const token = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
  const challenge = { 'WWW-Authenticate': 'Bearer realm="vibe-operator"' };
  if (!token) {
    rpcError(
      res,
      401,
      'a bearer token is required: send Authorization: Bearer <your Kubernetes token>.',
      challenge,
    );
    return undefined;
  }
  try {
    const review = await reviewToken(options.kube, token);
    if (review.ok) return review.identity;
    rpcError(res, 401, `the token was not accepted: ${review.reason}.`, {
      'WWW-Authenticate': 'Bearer realm="vibe-operator", error="invalid_token"',
    });
  } catch (error) {
    options.logger.error({ err: error }, 'MCP token review failed');
    rpcError(res, 503, 'the operator could not review the token with the API server; try again.');
  }
  return undefined;
}

export function mcpEndpoint(options: McpHttpOptions): McpEndpoint {
  const sessions = new Map<string, Session>();
  const router = express.Router();
  router.use('/mcp', hostHeaderValidation([...options.allowedHosts]));
  router.use('/mcp', express.json({ limit: '1mb' }));

  const open = async (identity: Identity): Promise<StreamableHTTPServerTransport> => {
    const { client, kube } = connect(options.kubeConfig, identity);
    const server = createMcpServer({ client, mode: options.mode, executor: options.executor });
    const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (id) => {
        sessions.set(id, { identity, transport, server, kube });
        options.logger.info({ session: id, user: identity.user }, 'MCP session opened');
      },
    });
    transport.onclose = () => {
      const id = transport.sessionId;
      if (id) sessions.delete(id);
      void server.close();
      kube.close();
    };
    await server.mcp.connect(transport);
    return transport;
  };

  router.all('/mcp', async (req, res) => {
    const identity = await authenticate(req, res, options);
    if (!identity) return;
    const id = req.headers['mcp-session-id'];
    try {
      if (typeof id === 'string') {
        const session = sessions.get(id);
        if (!session)
          return rpcError(res, 404, `MCP session ${id} is unknown or ended; initialize a new one.`);
        if (!sameIdentity(session.identity, identity)) {
          return rpcError(res, 403, `MCP session ${id} belongs to another identity; initialize your own.`);
        }
        return await session.transport.handleRequest(req, res, req.body);
      }
      if (req.method !== 'POST' || !isInitializeRequest(req.body)) {
        return rpcError(res, 400, 'no mcp-session-id: the first request of a session must be initialize.');
      }
      const transport = await open(identity);
      await transport.handleRequest(req, res, req.body);
    } catch (error) {
      options.logger.error({ err: error }, 'MCP request failed');
      if (!res.headersSent) rpcError(res, 500, 'the MCP request failed inside the operator.');
    }
  });

  return {
    router,
    async close() {
      await Promise.all([...sessions.values()].map((s) => s.transport.close()));
      sessions.clear();
    },
  };
}
