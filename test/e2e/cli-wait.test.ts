/**
 * `vibe create --wait` on the full local cluster: the command shows each phase as the operator
 * (offline planner, runsc) plans, applies and rolls out an environment, and returns at Ready with
 * its preview URL; `vibe logs` then reads the running workload.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNamespace, deleteNamespace, installCrds, testClient } from '../support/kube.js';
import { localOperatorArgs, OperatorProcess } from '../support/operator-process.js';
import { vibe } from '../support/vibe-cli.js';

const client = testClient();
let ns: string;
let operator: OperatorProcess;

beforeAll(async () => {
  await installCrds(client);
  ns = await createNamespace(client, 'cli-e2e');
  operator = await OperatorProcess.start(localOperatorArgs(ns));
  await operator.ready(60_000);
});

afterAll(async () => {
  await operator?.stop();
  if (ns) await deleteNamespace(client, ns);
  client.close();
});

describe('vibe create --wait', () => {
  it('shows the phases and returns at Ready with the preview URL', async () => {
    const run = await vibe([
      'create',
      'A public web app, image localhost/vibe/busybox:test, command "/bin/httpd -f -p 8080 -h /www", port 8080',
      '--name',
      'web',
      '-n',
      ns,
      '--ttl',
      '30m',
      '--wait',
      '--timeout',
      '4m',
    ]);
    expect(run.code, `${run.stderr}\n${operator.complaints()}`).toBe(0);
    const phases = [...run.stderr.matchAll(/web: (\w+)/g)].map((m) => m[1]);
    expect(phases.at(-1)).toBe('Ready');
    expect(phases).not.toContain('Failed');
    expect(run.stdout).toMatch(/\nweb\s+Ready\s+auto\s+http:\/\/\S+\s+in \d+m/);

    const logs = await vibe(['logs', 'web', '-n', ns]);
    expect(logs.code).toBe(0);
    const get = JSON.parse((await vibe(['get', 'web', '-n', ns, '-o', 'json'])).stdout) as {
      environmentNamespace: string;
      previewUrl: string;
    };
    expect(get.previewUrl).toMatch(/^http:\/\//);
    expect(get.environmentNamespace).toBeTruthy();
  });
});
