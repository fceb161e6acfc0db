/**
 * The operator image as a runtime starts it, on the control-plane tier: the archive `make images`
 * writes is unpacked and its entrypoint run under chroot as the image's user, with only the image's
 * environment. It elects itself, serves /metrics and plans an environment through the type-check
 * and transpile steps (esbuild and TypeScript from the image) up to the sandbox, which this tier
 * cannot run (no kubelet, no gVisor RuntimeClass): the full cluster's e2e suite covers the rest.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OciRuntimeConfig } from '../../operator/src/sandbox/oci-archive.js';
import { buildOperatorImage } from '../../operator/src/image/build-images.js';
import {
  createEnvironment,
  createNamespace,
  deleteNamespace,
  environmentsPath,
  getEnvironment,
  installCrds,
  kubeconfigPath,
  testClient,
  waitFor,
} from '../support/kube.js';
import { httpGet } from '../support/http-get.js';

const client = testClient();
let ns: string;
let work: string;
let operator: ChildProcess;
let log = '';

/** Unpacks the archive's only layer into `rootfs`; returns the image config. */
function unpack(archive: string, rootfs: string): OciRuntimeConfig {
  const layout = join(work, 'layout');
  mkdirSync(layout);
  execFileSync('tar', ['-xf', archive, '-C', layout]);
  const blob = (digest: string) => join(layout, 'blobs', 'sha256', digest.slice('sha256:'.length));
  const index = JSON.parse(readFileSync(join(layout, 'index.json'), 'utf8')) as {
    manifests: { digest: string }[];
  };
  const manifest = JSON.parse(readFileSync(blob(index.manifests[0]!.digest), 'utf8')) as {
    config: { digest: string };
    layers: { digest: string }[];
  };
  mkdirSync(rootfs);
  execFileSync('tar', ['-xzf', blob(manifest.layers[0]!.digest), '-C', rootfs]);
  return (JSON.parse(readFileSync(blob(manifest.config.digest), 'utf8')) as { config: OciRuntimeConfig })
    .config;
}

beforeAll(async () => {
  await installCrds(client);
  ns = await createNamespace(client, 'image');
  work = mkdtempSync(join(tmpdir(), 'vibe-operator-image-'));
  const archive = join(work, 'operator.oci.tar');
  await buildOperatorImage(archive, '0.0.0-test');
  const rootfs = join(work, 'rootfs');
  const config = unpack(archive, rootfs);
  mkdirSync(join(rootfs, 'cfg'));
  copyFileSync(kubeconfigPath(), join(rootfs, 'cfg', 'kubeconfig'));
  // Readable by the image's user, which only this test's chroot can see.
  chmodSync(join(rootfs, 'cfg', 'kubeconfig'), 0o644);
  const env = Object.fromEntries(
    (config.Env ?? []).map((e) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)]),
  );
  // chroot is in /usr/sbin, which a non-login PATH may lack.
  operator = spawn(
    '/usr/sbin/chroot',
    [
      `--userspec=${config.User}`,
      rootfs,
      ...config.Entrypoint,
      'operator',
      '--kubeconfig=/cfg/kubeconfig',
      '--planner=offline',
      '--executor=pod',
      '--sandbox-image=localhost/vibe/sandbox:0.0.0-test',
      `--sandbox-namespace=${ns}`,
      `--namespace=${ns}`,
      '--leader-elect',
      `--leader-election-namespace=${ns}`,
      `--leader-election-id=${ns}`,
      '--metrics-port=0',
    ],
    { env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  operator.on('error', (err) => (log += `spawn failed: ${err.message}\n`));
  operator.stdout!.on('data', (chunk: Buffer) => (log += chunk.toString()));
  operator.stderr!.on('data', (chunk: Buffer) => (log += chunk.toString()));
}, 300_000);

afterAll(async () => {
  if (ns) {
    await client.request({ method: 'DELETE', path: environmentsPath(ns, 'web') }).catch(() => undefined);
    await waitFor(
      'the environment to be gone',
      async () => (await getEnvironment(client, ns, 'web')) === undefined,
      60_000,
    ).catch(() => undefined);
  }
  operator?.kill('SIGTERM');
  if (ns) await deleteNamespace(client, ns);
  if (work) rmSync(work, { recursive: true, force: true });
  client.close();
});

describe('the operator image', () => {
  it('runs as its non-root user, leads, serves /metrics and leaves /tmp empty', async () => {
    const port = await waitFor(
      'the metrics port in the log',
      async () => {
        if (operator.exitCode !== null) throw new Error(`the operator exited ${operator.exitCode}: ${log}`);
        return /"port":(\d+).*serving \/healthz/.exec(log)?.[1];
      },
      60_000,
    );
    const holder = await waitFor(
      'the Lease to be held',
      async () =>
        (
          await client.request<{ spec: { holderIdentity?: string } }>({
            method: 'GET',
            path: `/apis/coordination.k8s.io/v1/namespaces/${ns}/leases/${ns}`,
          })
        ).spec.holderIdentity,
      60_000,
    );
    expect(holder).toBeTruthy();
    const metrics = await httpGet(`http://127.0.0.1:${port}/metrics`);
    expect(metrics.status).toBe(200);
    expect(metrics.body).toContain('controller_runtime_reconcile_total');
    const pid = operator.pid!;
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    expect(status).toMatch(/^Uid:\s+65532\s/m);
    expect(readdirSync(join(work, 'rootfs', 'tmp'))).toEqual([]);
  });

  it('plans an environment with the type-checker and esbuild from the image, up to the sandbox', async () => {
    await createEnvironment(client, ns, 'web', {
      intent:
        'A public web app, image localhost/vibe/busybox:test, command "/bin/httpd -f -p 8080 -h /www", port 8080',
      ttl: '30m',
    });
    const env = await waitFor(
      'the plan to reach the sandbox',
      async () => {
        const got = await getEnvironment<{ status?: { message?: string } }>(client, ns, 'web');
        return got?.status?.message?.includes('VIBE_SANDBOX_POD') ? got : undefined;
      },
      120_000,
    );
    // The program passed the type-check and transpile gates; only the sandbox pod is missing here.
    expect(env.status?.message).not.toMatch(/typecheck|TS\d{4}|esbuild/i);
  });
});
