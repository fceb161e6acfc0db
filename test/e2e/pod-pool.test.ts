/**
 * The pod executor's warm pool on the local cluster's gVisor RuntimeClass: each run gets a pod of its
 * own that was booted before its script was known, a pod deleted while waiting is never used, and
 * close() leaves no pod and no NetworkPolicy in the sandbox namespace.
 */
import { CoreV1Api, KubeConfig, NetworkingV1Api } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { podExecutor } from '../../operator/src/sandbox/pod-executor.js';
import type { SandboxExecutor, SandboxResult } from '../../operator/src/sandbox/types.js';
import { kubeconfigPath, waitFor } from '../support/kube.js';
import { importSandboxImage } from '../support/sandbox-image.js';

const namespace = `vibe-pool-e2e-${process.pid}`;
const ESCAPE = `const P = (console.log as any).constructor('return process')();\nconst req = (name: string) => P.getBuiltinModule(name);\n`;
const POOL_SIZE = 2;

/** Writes a marker into scratch after reporting what it found of an earlier run, and its sandbox's boot id. */
const PROBE = `import { worker } from '@vibe/sdk';\n${ESCAPE}
const fs = req('fs');
const found = fs.existsSync('/tmp/left-by-earlier-run') ? fs.readFileSync('/tmp/left-by-earlier-run', 'utf8') : 'nothing';
fs.writeFileSync('/tmp/left-by-earlier-run', 'a file');
worker('probe', { image: 'x:1', env: {
  FOUND_FILE: found,
  BOOT_ID: fs.readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim(),
  GVISOR: String(fs.readFileSync('/proc/version', 'utf8').includes('gvisor')),
} });`;

function envOf(result: SandboxResult): Record<string, string> {
  if (!result.ok) throw new Error(`the probe failed: ${result.code}: ${result.message}`);
  const text = JSON.stringify(result.manifests);
  const pairs = [...text.matchAll(/\{"name":"([A-Z_]+)","value":"([^"]*)"\}/g)];
  return Object.fromEntries(pairs.map((m) => [m[1]!, m[2]!]));
}

describe('pod executor with a warm pool', () => {
  let core: CoreV1Api;
  let networking: NetworkingV1Api;
  let executor: SandboxExecutor;
  let ready = 0;
  const counts = { hit: 0, miss: 0, discarded: 0, handOverFailed: 0 };
  const livePods = async () =>
    (await core.listNamespacedPod({ namespace })).items.filter((p) => !p.metadata?.deletionTimestamp);
  const poolFull = () => waitFor('the pool to be full', () => Promise.resolve(ready === POOL_SIZE), 120_000);

  beforeAll(async () => {
    const image = await importSandboxImage();
    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromFile(kubeconfigPath());
    core = kubeConfig.makeApiClient(CoreV1Api);
    networking = kubeConfig.makeApiClient(NetworkingV1Api);
    await core.createNamespace({ body: { metadata: { name: namespace } } });
    executor = podExecutor({
      kubeConfig,
      namespace,
      image,
      poolSize: POOL_SIZE,
      poolObserver: {
        ready: (count) => (ready = count),
        hit: () => counts.hit++,
        miss: () => counts.miss++,
        discarded: () => counts.discarded++,
        handOverFailed: () => counts.handOverFailed++,
      },
    });
  });

  afterAll(async () => {
    await executor?.close?.();
    await core?.deleteNamespace({ name: namespace });
  });

  it('never reuses a pod: the second script sees nothing of the first', async () => {
    await poolFull();
    const first = envOf(await executor.run({ source: PROBE }));
    await poolFull();
    const second = envOf(await executor.run({ source: PROBE }));
    expect(counts).toMatchObject({ hit: 2, miss: 0, handOverFailed: 0 });
    expect(first).toMatchObject({ FOUND_FILE: 'nothing', GVISOR: 'true' });
    expect(second).toMatchObject({ FOUND_FILE: 'nothing', GVISOR: 'true' });
    expect(first.BOOT_ID).toMatch(/^[0-9a-f-]{36}$/);
    expect(second.BOOT_ID).not.toBe(first.BOOT_ID);
  });

  it('drops a pod deleted while waiting and runs the next script in a live one', async () => {
    await poolFull();
    const victim = (await livePods())[0]!.metadata!.name!;
    await core.deleteNamespacedPod({ name: victim, namespace, gracePeriodSeconds: 0 });
    await waitFor('the pool to notice', () => Promise.resolve(counts.discarded === 1));
    await poolFull();
    expect(envOf(await executor.run({ source: PROBE }))).toMatchObject({ FOUND_FILE: 'nothing' });
    expect(counts.handOverFailed).toBe(0);
  });

  it('shrinks to zero on close: no pod and no NetworkPolicy left', async () => {
    await poolFull();
    expect(await livePods()).toHaveLength(POOL_SIZE);
    await executor.close?.();
    expect(ready).toBe(0);
    expect(await livePods()).toHaveLength(0);
    await waitFor(
      'the deleted pods to go',
      async () => (await core.listNamespacedPod({ namespace })).items.length === 0,
    );
    expect((await networking.listNamespacedNetworkPolicy({ namespace })).items).toHaveLength(0);
  });
});
