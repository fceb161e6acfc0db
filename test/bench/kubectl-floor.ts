/**
 * The floors of the cluster benches: what a person with the finished manifests would do by hand.
 * bench-e2e's: `kubectl apply` into a fresh namespace, then `kubectl rollout status` for each
 * Deployment and StatefulSet. bench-wake's: `kubectl scale` of the same workloads from zero, then the
 * same rollout wait.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import type { Manifest } from '../../operator/src/environment/index.js';
import { kubeconfigPath } from '../support/kube.js';

const ROLLED_OUT = new Set(['Deployment', 'StatefulSet']);
const SERVER_FIELDS = [
  'uid',
  'resourceVersion',
  'creationTimestamp',
  'managedFields',
  'generation',
  'namespace',
];

/** The cluster's own kubectl: $VIBE_CLUSTER_DIR/bin, else next to the kubeconfig (the local cluster's layout). */
function kubectlPath(): string {
  const dir = process.env.VIBE_CLUSTER_DIR ?? path.dirname(kubeconfigPath());
  return path.join(dir, 'bin', 'kubectl');
}

function kubectl(args: string[], input?: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(kubectlPath(), args, {
      env: { ...process.env, KUBECONFIG: kubeconfigPath() },
      stdio: ['pipe', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`kubectl ${args.join(' ')} exited with ${code}: ${stderr}`)),
    );
    child.stdin.end(input ?? '');
  });
}

/** The manifest as a person would write it: no status, no fields the API server fills in, no namespace. */
function asWritten(manifest: Manifest): Manifest {
  const { status: _status, ...rest } = manifest;
  const metadata: Record<string, unknown> = { ...manifest.metadata };
  for (const field of SERVER_FIELDS) delete metadata[field];
  return { ...rest, metadata } as Manifest;
}

/** Waits until each Deployment and StatefulSet of `manifests` in `namespace` has rolled out. */
async function rolledOut(namespace: string, manifests: readonly Manifest[]): Promise<void> {
  for (const m of manifests.filter((m) => ROLLED_OUT.has(m.kind))) {
    await kubectl([
      '-n',
      namespace,
      'rollout',
      'status',
      `${m.kind.toLowerCase()}/${m.metadata.name}`,
      '--timeout=300s',
    ]);
  }
}

/** Scales every Deployment and StatefulSet of `manifests` to `replicas`, or to its own count. */
async function scaled(namespace: string, manifests: readonly Manifest[], replicas?: number): Promise<void> {
  for (const m of manifests.filter((m) => ROLLED_OUT.has(m.kind))) {
    const own = (m as { spec?: { replicas?: number } }).spec?.replicas ?? 1;
    const kind = m.kind.toLowerCase();
    await kubectl(['-n', namespace, 'scale', `${kind}/${m.metadata.name}`, `--replicas=${replicas ?? own}`]);
  }
}

/**
 * One timed run of bench-wake's floor in `namespace`, where floorRun put the manifests: every workload
 * scaled to zero and its pods gone (untimed), then scaled back and rolled out; milliseconds.
 */
export async function scaleFromZeroRun(namespace: string, manifests: readonly Manifest[]): Promise<number> {
  await scaled(namespace, manifests, 0);
  await kubectl(['-n', namespace, 'wait', '--for=delete', 'pods', '--all', '--timeout=300s']).catch(
    (err: unknown) => {
      // The pods went before kubectl looked.
      if (!String(err).includes('no matching resources')) throw err;
    },
  );
  const started = performance.now();
  await scaled(namespace, manifests);
  await rolledOut(namespace, manifests);
  return performance.now() - started;
}

/** The manifests applied by `kubectl apply` into `namespace`, created with them as a test namespace. */
async function applied(namespace: string, manifests: readonly Manifest[]): Promise<void> {
  const items = [
    {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: namespace, labels: { 'vibe.dev/test': 'true' } },
    },
    ...manifests.map((m) => {
      const written = asWritten(m);
      return { ...written, metadata: { ...written.metadata, namespace } };
    }),
  ];
  await kubectl(['apply', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'List', items }));
}

/** One timed floor run into `namespace`, which it creates (labelled as a test namespace); milliseconds. */
export async function floorRun(namespace: string, manifests: readonly Manifest[]): Promise<number> {
  const started = performance.now();
  await applied(namespace, manifests);
  await rolledOut(namespace, manifests);
  return performance.now() - started;
}

/** bench-first-apply's floor: one timed `kubectl apply` into `namespace`, which it creates; milliseconds. */
export async function applyRun(namespace: string, manifests: readonly Manifest[]): Promise<number> {
  const started = performance.now();
  await applied(namespace, manifests);
  return performance.now() - started;
}
