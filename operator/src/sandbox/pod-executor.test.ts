import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';
import { afterEach, describe, expect, it } from 'vitest';
import { SandboxSetupError } from './errors.js';
import { podExecutor } from './pod-executor.js';

/** An API server that answers every request with one status, as a misconfigured cluster would. */
async function apiServerAnswering(status: number, message: string): Promise<http.Server> {
  const server = http.createServer((_req, res) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', message, code: status }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

function kubeConfigFor(server: http.Server): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    // client-node speaks plain HTTP only to a cluster marked skipTLSVerify.
    clusters: [
      {
        name: 'c',
        server: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        skipTLSVerify: true,
      },
    ],
    users: [{ name: 'u', token: 't' }],
    contexts: [{ name: 'x', cluster: 'c', user: 'u' }],
    currentContext: 'x',
  });
  return kc;
}

describe('pod executor setup failures', () => {
  let server: http.Server | undefined;
  afterEach(() => server?.close());

  it.each([
    [403, 'networkpolicies is forbidden', 'VIBE_SANDBOX_POD_FORBIDDEN', /sandbox Role/],
    [404, 'namespaces "sbx" not found', 'VIBE_SANDBOX_NAMESPACE_MISSING', /does not exist/],
  ])('turns HTTP %i (%s) into %s, saying what to do', async (status, said, code, advice) => {
    server = await apiServerAnswering(status, said);
    const executor = podExecutor({ kubeConfig: kubeConfigFor(server), namespace: 'sbx', image: 'img:1' });
    const err = await executor.run({ source: 'export {};' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SandboxSetupError);
    expect((err as SandboxSetupError).code).toBe(code);
    expect((err as SandboxSetupError).message).toMatch(advice);
    expect((err as SandboxSetupError).message).toContain('sbx');
    expect((err as SandboxSetupError).message).toContain(said);
  });
});
