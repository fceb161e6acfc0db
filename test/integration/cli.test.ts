import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
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
import { OperatorProcess } from '../support/operator-process.js';
import { kubectlPath, runCommand, vibe, VIBE_BIN } from '../support/vibe-cli.js';

/** Every `vibe` user command against the real API server, with an operator planning offline. */
describe('vibe user commands', () => {
  let kube: KubeClient;
  let ns: string;
  let operator: OperatorProcess;
  let scratch: string;
  const get = (name: string) =>
    kube.request<VibeEnvironment>({ method: 'GET', path: environmentsPath(ns, name) });

  beforeAll(async () => {
    kube = testClient();
    await installCrds(kube);
    ns = await createNamespace(kube, 'cli');
    scratch = mkdtempSync(path.join(tmpdir(), 'vibe-cli-'));
    operator = await OperatorProcess.start([
      '--namespace',
      ns,
      '--planner',
      'offline',
      '--executor',
      'runsc',
    ]);
    await operator.ready();
  });

  afterAll(async () => {
    await operator?.stop();
    if (ns) await deleteNamespace(kube, ns);
    kube?.close();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  it('create names an environment after its intent and writes the spec the flags say', async () => {
    const run = await vibe([
      'create',
      'redis cache for sessions',
      '-n',
      ns,
      '--ttl',
      '2h',
      '--max-attempts',
      '2',
      '-o',
      'name',
    ]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const name = run.stdout.trim().replace('vibeenvironment.vibe.dev/', '');
    expect(name).toMatch(/^redis-cache-sessions-[a-z0-9]{4}$/);
    const env = await get(name);
    expect(env.spec).toMatchObject({
      intent: 'redis cache for sessions',
      ttl: '2h',
      approval: 'Auto',
      budget: { maxAttempts: 2 },
    });
  });

  it('create --wait shows each phase and stops at AwaitingApproval for manual approval', async () => {
    const run = await vibe([
      'create',
      'nginx:1.27 on port 80, public',
      '--name',
      'web',
      '-n',
      ns,
      '--approval',
      'manual',
      '--wait',
      '--timeout',
      '2m',
    ]);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('vibeenvironment.vibe.dev/web created; waiting');
    expect(run.stderr).toMatch(/web: AwaitingApproval/);
    expect(run.stdout).toMatch(
      /^NAME\s+PHASE\s+APPROVAL\s+URL\s+EXPIRES\s+AGE\nweb\s+AwaitingApproval\s+waiting/,
    );
    const again = await vibe(['create', 'nginx', '--name', 'web', '-n', ns]);
    expect(again.code).toBe(8);
    expect(again.stderr).toContain(`VIBE_CLIENT_EXISTS: vibeenvironment ${ns}/web already exists`);
  });

  it('get and list print tables, json, yaml and names', async () => {
    const table = await vibe(['get', 'web', '-n', ns]);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/Plan:\s+\w+ \(\d+ objects, not approved\)/);
    const json = JSON.parse((await vibe(['get', 'web', '-n', ns, '-o', 'json'])).stdout) as {
      phase: string;
      plan: { hash: string };
    };
    expect(json.phase).toBe('AwaitingApproval');
    expect(json.plan.hash).toBe((await get('web')).status?.plan?.hash);
    const yaml = parse((await vibe(['list', '-n', ns, '-o', 'yaml'])).stdout) as {
      items: Array<{ name: string }>;
    };
    expect(yaml.items.map((i) => i.name)).toContain('web');
    const names = await vibe(['list', '-n', ns, '-o', 'name']);
    expect(names.stdout.split('\n').filter(Boolean)).toHaveLength(2);
    const all = await vibe(['list', '-A']);
    expect(all.stdout).toMatch(new RegExp(`^NAMESPACE\\s+NAME[\\s\\S]*\\n${ns}\\s+web\\s`));
    const missing = await vibe(['get', 'nope', '-n', ns]);
    expect(missing.code).toBe(3);
    expect(missing.stderr).toContain(`VIBE_CLIENT_NOT_FOUND: vibeenvironment ${ns}/nope was not found`);
    const badFormat = await vibe(['list', '-n', ns, '-o', 'xml']);
    expect(badFormat.code).toBe(2);
  });

  it("attempts shows the offline planner's attempt and, with --script, its script and gates", async () => {
    const table = await vibe(['attempts', 'web', '-n', ns]);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(
      /^ATTEMPT\s+AUTHOR\s+MODEL\s+TOKENS\s+RESULT[^\n]*\n1\s+offline\s+\S+\s+0\s+passed/,
    );
    const script = await vibe(['attempts', 'web', '-n', ns, '--script', '1']);
    expect(script.stdout).toMatch(/^Attempt 1 by offline/);
    expect(script.stdout).toMatch(/Gates: .*ok/);
    expect(script.stdout).toContain("from '@vibe/sdk'");
    const none = await vibe(['attempts', 'web', '-n', ns, '--script', '7']);
    expect(none.code).toBe(3);
  });

  it('approve shows the plan and its hash, refuses without a terminal or --yes, then approves that hash', async () => {
    const hash = (await get('web')).status?.plan?.hash;
    const unattended = await vibe(['approve', 'web', '-n', ns]);
    expect(unattended.code).toBe(2);
    expect(unattended.stderr).toContain(`Plan:        ${hash}`);
    expect(unattended.stderr).toContain(`pass --yes to approve plan ${hash}`);
    expect((await get('web')).metadata.annotations?.['vibe.dev/approve']).toBeUndefined();
    const run = await vibe(['approve', 'web', '-n', ns, '--yes']);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(`vibeenvironment.vibe.dev/web approved (plan ${hash})\n`);
    expect((await get('web')).metadata.annotations?.['vibe.dev/approve']).toBe(hash);
    await waitFor(
      'the approved plan to be applied',
      async () => {
        const phase = (await get('web')).status?.phase;
        return phase === 'Progressing' || phase === 'Ready';
      },
      60_000,
    );
  });

  it('extend adds to the lifetime each time', async () => {
    const first = await vibe(['extend', 'web', '2h', '-n', ns]);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(
      /^vibeenvironment\.vibe\.dev\/web extended by 2h \(2h in all\); expires at \S+Z\n$/,
    );
    const second = await vibe(['extend', 'web', '30m', '-n', ns, '-o', 'json']);
    expect((JSON.parse(second.stdout) as { extendedBy: string }).extendedBy).toBe('2h30m');
    expect((await get('web')).metadata.annotations?.['vibe.dev/extend']).toBe('2h30m');
    const bad = await vibe(['extend', 'web', 'soon', '-n', ns]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('by must be a duration such as 30m, 2h, 1h30m or 2d');
  });

  it('logs reads the workloads of the environment (none run on this tier) and events lists what happened', async () => {
    const logs = await vibe(['logs', 'web', '-n', ns]);
    expect(logs.code).toBe(0);
    expect(logs.stderr).toBe('No workload logs in web yet.\n');
    const events = await vibe(['events', 'web', '-n', ns]);
    expect(events.code).toBe(0);
    expect(events.stdout).toMatch(/^LAST SEEN\s+TYPE\s+REASON\s+OBJECT\s+MESSAGE\n/);
    expect(events.stdout).toMatch(/Normal\s+Planned\s+VibeEnvironment\/web/);
  });

  it('answers a user without rights with the permission to ask for', async () => {
    const post = (p: string, body: unknown) => kube.request({ method: 'POST', path: p, body });
    await post(`/api/v1/namespaces/${ns}/serviceaccounts`, { metadata: { name: 'nobody' } });
    const token = await kube.request<{ status: { token: string } }>({
      method: 'POST',
      path: `/api/v1/namespaces/${ns}/serviceaccounts/nobody/token`,
      body: {
        apiVersion: 'authentication.k8s.io/v1',
        kind: 'TokenRequest',
        spec: { expirationSeconds: 600 },
      },
    });
    const admin = parse(
      await import('node:fs').then((fs) => fs.readFileSync(process.env.KUBECONFIG!, 'utf8')),
    ) as {
      clusters: Array<{ cluster: Record<string, unknown> }>;
    };
    const file = path.join(scratch, 'nobody.kubeconfig');
    writeFileSync(
      file,
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [{ name: 'c', cluster: admin.clusters[0]!.cluster }],
        users: [{ name: 'nobody', user: { token: token.status.token } }],
        contexts: [{ name: 'nobody', context: { cluster: 'c', user: 'nobody', namespace: ns } }],
        'current-context': 'nobody',
      }),
    );
    const run = await vibe(['delete', 'web', '--kubeconfig', file]);
    expect(run.code).toBe(4);
    expect(run.stderr).toContain(
      `VIBE_CLIENT_FORBIDDEN: you may not delete vibeenvironments.vibe.dev in namespace ${ns}`,
    );
    expect((await get('web')).metadata.name).toBe('web');
  });

  it("works as `kubectl vibe` through kubectl's plugin mechanism", async () => {
    const bin = path.join(scratch, 'bin');
    await import('node:fs').then((fs) => fs.mkdirSync(bin));
    symlinkSync(VIBE_BIN, path.join(bin, 'kubectl-vibe'));
    const run = await runCommand(kubectlPath(), ['vibe', 'list', '-n', ns, '-o', 'name'], {
      env: { PATH: `${bin}:${process.env.PATH ?? ''}` },
    });
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain('vibeenvironment.vibe.dev/web\n');
  });

  it('delete removes the environment', async () => {
    const run = await vibe(['delete', 'web', '-n', ns]);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('vibeenvironment.vibe.dev/web deleted\n');
    await waitFor('web to be gone', async () => (await vibe(['get', 'web', '-n', ns])).code === 3, 110_000);
  });
});
