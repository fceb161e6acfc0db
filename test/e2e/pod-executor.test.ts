/**
 * The pod executor on the local cluster's gVisor RuntimeClass: the sandbox image is built without a
 * registry, imported into the node, and each run leaves nothing behind.
 */
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { podExecutor } from '../../operator/src/sandbox/pod-executor.js';
import type { SandboxExecutor } from '../../operator/src/sandbox/types.js';
import { kubeconfigPath } from '../support/kube.js';
import { importSandboxImage } from '../support/sandbox-image.js';

const namespace = `vibe-sandbox-e2e-${process.pid}`;
const ESCAPE = `const P = (console.log as any).constructor('return process')();\nconst req = (name: string) => P.getBuiltinModule(name);\n`;

describe('pod executor', () => {
  let core: CoreV1Api;
  let executor: SandboxExecutor;

  beforeAll(async () => {
    const image = await importSandboxImage();
    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromFile(kubeconfigPath());
    core = kubeConfig.makeApiClient(CoreV1Api);
    await core.createNamespace({ body: { metadata: { name: namespace } } });
    executor = podExecutor({ kubeConfig, namespace, image });
  });

  afterAll(async () => {
    await core?.deleteNamespace({ name: namespace });
  });

  it('runs a script in a gVisor pod and returns its manifests', async () => {
    const result = await executor.run({
      source: `import { postgres, webService } from '@vibe/sdk';\nconst db = postgres('db');\nwebService('api', { image: 'ghcr.io/acme/api:1', uses: [db] });`,
    });
    expect(result.ok).toBe(true);
    expect(result.ok && result.manifests.map((m) => m.kind)).toEqual([
      'Secret',
      'Deployment',
      'Service',
      'Deployment',
      'Service',
    ]);
  });

  it('runs under gVisor with no service-account token and a read-only root', async () => {
    const source = `import { worker } from '@vibe/sdk';\n${ESCAPE}
const fs = req('fs');
const probe = (f: () => unknown) => { try { f(); return 'yes'; } catch (e) { return (e as any).code; } };
worker('w', { image: 'x:1', env: {
  TOKEN: probe(() => fs.readFileSync('/var/run/secrets/kubernetes.io/serviceaccount/token')),
  WRITE: probe(() => fs.writeFileSync('/bin/evil', 'x')),
  GVISOR: String(fs.readFileSync('/proc/version', 'utf8').includes('gvisor')),
} });`;
    const result = await executor.run({ source });
    expect(result.ok).toBe(true);
    const env = JSON.stringify(result.ok && result.manifests);
    expect(env).toContain('{"name":"TOKEN","value":"ENOENT"}');
    expect(env).toMatch(/\{"name":"WRITE","value":"(EROFS|EACCES)"\}/);
    // The kernel the script sees is gVisor's (its /proc/version says so), not the host's.
    expect(env).toContain('{"name":"GVISOR","value":"true"}');
  });

  it('stops an infinite loop and cleans up after every run', async () => {
    const result = await executor.run({ source: 'while (true) {}', limits: { scriptMs: 1_000 } });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.code).toBe('VIBE_SANDBOX_TIMEOUT');
    const [pods, configMaps] = await Promise.all([
      core.listNamespacedPod({ namespace }),
      core.listNamespacedConfigMap({ namespace, labelSelector: 'app.kubernetes.io/managed-by=vibe' }),
    ]);
    expect(pods.items.filter((p) => !p.metadata?.deletionTimestamp)).toHaveLength(0);
    expect(configMaps.items).toHaveLength(0);
  });
});
