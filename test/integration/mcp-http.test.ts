import { request } from 'node:http';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { ResourceUpdatedNotificationSchema, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VibeEnvironment } from '../../operator/src/api/vibe-environment.js';
import { PATCH, type KubeClient } from '../../operator/src/reconciler/kube-client.js';
import {
  createNamespace,
  deleteNamespace,
  environmentsPath,
  installCrds,
  testClient,
  waitFor,
} from '../support/kube.js';
import { httpMcpClient } from '../support/mcp-client.js';
import { OperatorProcess } from '../support/operator-process.js';

/**
 * MCP over Streamable HTTP at the operator's /mcp: bearer tokens reviewed by the API server, every
 * call impersonating the caller. The callers are ServiceAccounts with tokens from TokenRequest.
 */
describe('MCP over HTTP: the auth matrix', () => {
  let kube: KubeClient;
  let ns: string;
  let other: string;
  let operator: OperatorProcess;
  let url: string;
  const tokens: Record<'reader' | 'writer', string> = { reader: '', writer: '' };
  const clients: Client[] = [];
  const names = async (namespace: string) =>
    (
      await kube.request<{ items: VibeEnvironment[] }>({ method: 'GET', path: environmentsPath(namespace) })
    ).items
      .map((e) => e.metadata.name)
      .sort();
  const initialize = (headers: Record<string, string>) =>
    fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        ...headers,
      },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: {
          protocolVersion: '2025-06-18',
          capabilities: {},
          clientInfo: { name: 'raw', version: '1' },
        },
      }),
    });
  const connectAs = async (who: 'reader' | 'writer') => {
    const client = await httpMcpClient(url, tokens[who]);
    clients.push(client);
    return client;
  };

  /** A ServiceAccount with a Role of these verbs on vibeenvironments in ns, and a token for it. */
  async function user(name: 'reader' | 'writer', verbs: string[]): Promise<void> {
    const post = (path: string, body: unknown) => kube.request({ method: 'POST', path, body });
    await post(`/api/v1/namespaces/${ns}/serviceaccounts`, { metadata: { name } });
    await post(`/apis/rbac.authorization.k8s.io/v1/namespaces/${ns}/roles`, {
      metadata: { name },
      rules: [{ apiGroups: ['vibe.dev'], resources: ['vibeenvironments'], verbs }],
    });
    await post(`/apis/rbac.authorization.k8s.io/v1/namespaces/${ns}/rolebindings`, {
      metadata: { name },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name },
      subjects: [{ kind: 'ServiceAccount', name, namespace: ns }],
    });
    const review = await kube.request<{ status: { token: string } }>({
      method: 'POST',
      path: `/api/v1/namespaces/${ns}/serviceaccounts/${name}/token`,
      body: {
        apiVersion: 'authentication.k8s.io/v1',
        kind: 'TokenRequest',
        spec: { expirationSeconds: 3600 },
      },
    });
    tokens[name] = review.status.token;
  }

  beforeAll(async () => {
    kube = testClient();
    await installCrds(kube);
    ns = await createNamespace(kube, 'mcp-http');
    other = await createNamespace(kube, 'mcp-http-other');
    await user('reader', ['get', 'list', 'watch']);
    await user('writer', ['get', 'list', 'watch', 'create', 'patch', 'update', 'delete']);
    operator = await OperatorProcess.start([
      '--namespace',
      ns,
      '--planner',
      'offline',
      '--executor',
      'runsc',
      '--mcp',
      '--bind-address',
      '127.0.0.1',
    ]);
    await operator.ready();
    url = `http://127.0.0.1:${operator.port}/mcp`;
  });

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
    await operator?.stop();
    if (ns) await deleteNamespace(kube, ns);
    if (other) await deleteNamespace(kube, other);
    kube?.close();
  });

  it('answers 401 without a token and with a token the API server does not accept', async () => {
    const none = await initialize({});
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
    const wrong = await initialize({ authorization: 'Bearer not-a-kubernetes-token' });
    expect(wrong.status).toBe(401);
    expect(((await wrong.json()) as { error: { message: string } }).error.message).toMatch(/not accepted/);
    await expect(httpMcpClient(url)).rejects.toThrow();
  });

  it('refuses a Host header outside the allow-list (DNS rebinding)', async () => {
    // fetch may not set Host; node:http may.
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        url,
        {
          method: 'POST',
          headers: {
            host: 'attacker.example',
            authorization: `Bearer ${tokens.reader}`,
            'content-type': 'application/json',
          },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.end('{}');
    });
    expect(status).toBe(403);
  });

  it('lets a reader read and names the permission it lacks to write, creating nothing', async () => {
    const reader = await connectAs('reader');
    const listed = (await reader.callTool({
      name: 'list_environments',
      arguments: { namespace: ns },
    })) as CallToolResult;
    expect(listed.isError).toBeFalsy();
    expect(listed.structuredContent).toEqual({ items: [] });
    const refused = (await reader.callTool({
      name: 'create_environment',
      arguments: { intent: 'nginx', name: 'by-reader', namespace: ns },
    })) as CallToolResult;
    expect(refused.isError).toBe(true);
    const text = (refused.content[0] as { text: string }).text;
    expect(text).toContain('VIBE_CLIENT_FORBIDDEN');
    expect(text).toContain('"create" on "vibeenvironments.vibe.dev"');
    expect(await names(ns)).toEqual([]);
  });

  it('lets a writer create in its namespace only, as itself', async () => {
    const writer = await connectAs('writer');
    const created = (await writer.callTool({
      name: 'create_environment',
      arguments: { intent: 'nginx:1.27 on port 80', name: 'by-writer', namespace: ns, approval: 'Manual' },
    })) as CallToolResult;
    expect(created.isError).toBeFalsy();
    const env = await kube.request<VibeEnvironment>({
      method: 'GET',
      path: environmentsPath(ns, 'by-writer'),
    });
    expect(env.spec.intent).toBe('nginx:1.27 on port 80');
    // The operator itself may create anywhere: a refusal here shows the call was the writer's.
    const elsewhere = (await writer.callTool({
      name: 'create_environment',
      arguments: { intent: 'nginx', name: 'by-writer', namespace: other },
    })) as CallToolResult;
    expect(elsewhere.isError).toBe(true);
    expect((elsewhere.content[0] as { text: string }).text).toContain(`in namespace ${other}`);
    expect(await names(other)).toEqual([]);
  });

  it('runs execute as the caller: one program lists and extends, and a call outside its rights is refused', async () => {
    const writer = await connectAs('writer');
    const result = (await writer.callTool({
      name: 'execute',
      arguments: {
        program: `
          const { items } = await api.list({ namespace: ${JSON.stringify(ns)} });
          await Promise.all(items.map((e) => api.extend({ name: e.name, namespace: e.namespace, by: '1h' })));
          return items.map((e) => e.name);`,
      },
    })) as CallToolResult;
    expect(result.structuredContent, JSON.stringify(result.structuredContent)).toMatchObject({
      ok: true,
      value: ['by-writer'],
    });
    const env = await kube.request<VibeEnvironment>({
      method: 'GET',
      path: environmentsPath(ns, 'by-writer'),
    });
    expect(env.metadata.annotations?.['vibe.dev/extend']).toBe('1h');

    const outside = (await writer.callTool({
      name: 'execute',
      arguments: {
        program: `return await api.create({ intent: 'nginx', name: 'sneaky', namespace: ${JSON.stringify(other)} });`,
      },
    })) as CallToolResult;
    expect((outside.structuredContent as { error: { code: string } }).error.code).toBe(
      'VIBE_CLIENT_FORBIDDEN',
    );
    expect(await names(other)).toEqual([]);
  });

  it('lists the tools and notifies a subscriber of the changes of an environment over the event stream', async () => {
    const writer = await connectAs('writer');
    const tools = (await writer.listTools()).tools.map((t) => t.name);
    expect(tools).toEqual(
      expect.arrayContaining(['create_environment', 'delete_environment', 'describe', 'execute']),
    );
    const uri = `vibe://environments/${ns}/by-writer`;
    const updates: string[] = [];
    writer.setNotificationHandler(ResourceUpdatedNotificationSchema, (n) => void updates.push(n.params.uri));
    await writer.subscribeResource({ uri });
    await kube.request({
      method: 'PATCH',
      path: environmentsPath(ns, 'by-writer'),
      contentType: PATCH.merge,
      body: { metadata: { labels: { touched: 'yes' } } },
    });
    await waitFor('a change notification', async () => updates.includes(uri));
    const read = await writer.readResource({ uri });
    expect(JSON.parse((read.contents[0] as { text: string }).text)).toMatchObject({
      name: 'by-writer',
      namespace: ns,
    });
  });

  it('keeps a session to the identity that opened it', async () => {
    const reader = await connectAs('reader');
    const session = (reader.transport as { sessionId?: string } | undefined)?.sessionId;
    expect(session).toBeTruthy();
    const hijack = await fetch(url, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${tokens.writer}`,
        'mcp-session-id': session!,
        'mcp-protocol-version': '2025-06-18',
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 9, method: 'tools/list' }),
    });
    expect(hijack.status).toBe(403);
  });
});
