import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { ResourceUpdatedNotificationSchema, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VibeEnvironment } from '../../operator/src/api/vibe-environment.js';
import type { KubeClient } from '../../operator/src/reconciler/kube-client.js';
import {
  createNamespace,
  deleteNamespace,
  environmentsPath,
  installCrds,
  testClient,
  waitFor,
} from '../support/kube.js';
import { resultText, stdioMcpClient } from '../support/mcp-client.js';
import { OperatorProcess } from '../support/operator-process.js';

/** `vibe mcp` over stdio, driven by the real MCP SDK client, against the real API server and a running operator. */
describe('vibe mcp (stdio)', () => {
  let kube: KubeClient;
  let ns: string;
  let operator: OperatorProcess;
  let mcp: Client;
  const clients: Client[] = [];
  const names = async () =>
    (await kube.request<{ items: VibeEnvironment[] }>({ method: 'GET', path: environmentsPath(ns) })).items
      .map((e) => e.metadata.name)
      .sort();

  beforeAll(async () => {
    kube = testClient();
    await installCrds(kube);
    ns = await createNamespace(kube, 'mcp-stdio');
    operator = await OperatorProcess.start([
      '--namespace',
      ns,
      '--planner',
      'offline',
      '--executor',
      'runsc',
    ]);
    await operator.ready();
    mcp = await stdioMcpClient(['-n', ns]);
    clients.push(mcp);
  });

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await operator?.stop();
    if (ns) await deleteNamespace(kube, ns);
    kube?.close();
  });

  it('lists a tool per operation with its hints, and the Code Mode pair', async () => {
    const { tools } = await mcp.listTools();
    const byName = new Map(tools.map((t) => [t.name, t]));
    expect([...byName.keys()].sort()).toEqual(
      [
        'approve_plan',
        'create_environment',
        'delete_environment',
        'describe',
        'execute',
        'extend_environment',
        'get_environment',
        'list_attempts',
        'list_environments',
        'list_events',
        'read_logs',
        'sleep_environment',
        'wait_for_environment',
        'wake_environment',
      ].sort(),
    );
    expect(byName.get('list_environments')?.annotations).toMatchObject({
      readOnlyHint: true,
      destructiveHint: false,
    });
    expect(byName.get('delete_environment')?.annotations).toMatchObject({
      readOnlyHint: false,
      destructiveHint: true,
    });
    expect(byName.get('create_environment')?.inputSchema.required).toEqual(['intent']);
    expect(byName.get('get_environment')?.outputSchema?.properties).toHaveProperty('previewUrl');
    const described = resultText(await mcp.callTool({ name: 'describe', arguments: {} }));
    expect(described).toContain('declare const api');
    expect(described).toMatch(/extend\(input: Vibe\.ExtendInput\): Promise<Vibe\.ExtendOutput>/);
  });

  it('creates an environment with the offline planner, serves it as a resource and notifies its changes', async () => {
    const created = (await mcp.callTool({
      name: 'create_environment',
      arguments: { intent: 'nginx:1.27 on port 80, public', name: 'web', approval: 'Manual', ttl: '1h' },
    })) as CallToolResult;
    expect(created.isError).toBeFalsy();
    expect(created.structuredContent).toMatchObject({ name: 'web', namespace: ns, approval: 'Manual' });
    expect(await names()).toEqual(['web']);

    const uri = `vibe://environments/${ns}/web`;
    const updates: string[] = [];
    mcp.setNotificationHandler(ResourceUpdatedNotificationSchema, (n) => void updates.push(n.params.uri));
    await mcp.subscribeResource({ uri });
    const waited = (await mcp.callTool({
      name: 'wait_for_environment',
      arguments: { name: 'web', phases: ['AwaitingApproval'], timeoutSeconds: 120 },
    })) as CallToolResult;
    expect(waited.structuredContent).toMatchObject({ phase: 'AwaitingApproval', plan: { approved: false } });
    await waitFor('a change notification', async () => updates.includes(uri));
    const read = await mcp.readResource({ uri });
    const body = JSON.parse((read.contents[0] as { text: string }).text) as {
      phase: string;
      plan: { hash: string };
    };
    expect(body.phase).toBe('AwaitingApproval');
    expect(body.plan.hash).toMatch(/\w+/);
    const listed = await mcp.listResources();
    expect(listed.resources.map((r) => r.uri)).toContain(uri);
  });

  it('runs one execute program in gVisor that lists and extends every environment', async () => {
    await kube.request({
      method: 'POST',
      path: environmentsPath(ns),
      body: {
        apiVersion: 'vibe.dev/v1alpha1',
        kind: 'VibeEnvironment',
        metadata: { name: 'api' },
        spec: { intent: 'redis', approval: 'Manual' },
      },
    });
    const result = (await mcp.callTool({
      name: 'execute',
      arguments: {
        program: `
          const { items } = await api.list({});
          console.log('extending', items.length);
          const done = await Promise.all(items.map((e) => api.extend({ name: e.name, by: '2h' })));
          return done.map((e) => e.name).sort();`,
      },
    })) as CallToolResult;
    expect(result.isError).toBeFalsy();
    const out = result.structuredContent as {
      value: string[];
      logs: string[];
      calls: Array<{ op: string }>;
      runs: number;
    };
    expect(out.value).toEqual(['api', 'web']);
    expect(out.logs).toEqual(['extending 2']);
    expect(out.calls.map((c) => c.op)).toEqual(['list', 'extend', 'extend']);
    expect(out.runs).toBe(3);
    for (const name of ['api', 'web']) {
      const env = await kube.request<VibeEnvironment>({ method: 'GET', path: environmentsPath(ns, name) });
      expect(env.metadata.annotations?.['vibe.dev/extend']).toBe('2h');
    }
  });

  it('refuses, inside execute, what the sandbox does not have, and stays up', async () => {
    for (const [program, code] of [
      ['return await fetch("http://127.0.0.1:1/")', 'VIBE_PROGRAM_REFUSED'],
      ['return process.env', 'VIBE_PROGRAM_REFUSED'],
      ['return require("node:fs").readFileSync("/etc/hostname", "utf8")', 'VIBE_PROGRAM_REFUSED'],
      ['return await api.get({ name: "web", namespace: "kube-system" })', 'VIBE_CLIENT_NOT_FOUND'],
    ] as const) {
      const result = (await mcp.callTool({ name: 'execute', arguments: { program } })) as CallToolResult;
      expect(result.isError, program).toBe(true);
      expect((result.structuredContent as { error: { code: string } }).error.code, program).toBe(code);
    }
    const after = (await mcp.callTool({ name: 'list_environments', arguments: {} })) as CallToolResult;
    expect((after.structuredContent as { items: unknown[] }).items).toHaveLength(2);
  });

  it('--read-only offers and allows reads only', async () => {
    const readOnly = await stdioMcpClient(['-n', ns, '--read-only']);
    clients.push(readOnly);
    const tools = (await readOnly.listTools()).tools.map((t) => t.name);
    expect(tools).toContain('get_environment');
    expect(tools).not.toContain('create_environment');
    const refused = (await readOnly.callTool({
      name: 'create_environment',
      arguments: { intent: 'nginx', name: 'sneaky' },
    })) as CallToolResult;
    expect(refused.isError).toBe(true);
    const program = (await readOnly.callTool({
      name: 'execute',
      arguments: { program: 'await api.create({ intent: "nginx", name: "sneaky" }); return 1;' },
    })) as CallToolResult;
    expect((program.structuredContent as { error: { code: string } }).error.code).toBe('VIBE_MCP_READ_ONLY');
    expect(await names()).toEqual(['api', 'web']);
  });

  it('--no-destructive refuses deletes and allows the rest', async () => {
    const careful = await stdioMcpClient(['-n', ns, '--no-destructive']);
    clients.push(careful);
    const tools = (await careful.listTools()).tools.map((t) => t.name);
    expect(tools).toContain('extend_environment');
    expect(tools).not.toContain('delete_environment');
    const program = (await careful.callTool({
      name: 'execute',
      arguments: {
        program: 'await api.extend({ name: "api", by: "1h" }); await api.delete({ name: "api" });',
      },
    })) as CallToolResult;
    expect((program.structuredContent as { error: { code: string } }).error.code).toBe(
      'VIBE_MCP_NOT_DESTRUCTIVE',
    );
    expect(await names()).toEqual(['api', 'web']);
    const env = await kube.request<VibeEnvironment>({ method: 'GET', path: environmentsPath(ns, 'api') });
    expect(env.metadata.annotations?.['vibe.dev/extend']).toBe('3h');
  });
});
