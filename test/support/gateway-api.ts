/**
 * The Gateway API's standard-channel CRDs, from the Go module pinned in
 * test/cluster/versions.env (GATEWAY_API_VERSION). The local cluster does not
 * install them; tests that need HTTPRoutes do, with server-side apply, so a
 * second run (or another suite) changes nothing.
 */
import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { parseAllDocuments } from 'yaml';
import { PATCH, type KubeClient } from '../../operator/src/reconciler/kube-client.js';
import { waitFor } from './kube.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const MODULE = 'sigs.k8s.io/gateway-api';

interface Crd {
  kind: string;
  metadata: { name: string };
}

async function gatewayApiVersion(): Promise<string> {
  const env = await readFile(path.join(repoRoot, 'test/cluster/versions.env'), 'utf8');
  const version = env.match(/^GATEWAY_API_VERSION=(\S+)$/m)?.[1];
  if (!version) throw new Error('test/cluster/versions.env pins no GATEWAY_API_VERSION');
  return version;
}

/** The module's directory in the Go module cache, downloaded on first use. */
async function moduleDir(version: string): Promise<string> {
  const { stdout } = await promisify(execFile)('go', ['mod', 'download', '-json', `${MODULE}@${version}`], {
    // Outside any Go module, so no go.mod around the checkout constrains the download.
    cwd: '/',
    maxBuffer: 1 << 20,
  });
  const info = JSON.parse(stdout) as { Dir?: string; Error?: string };
  if (!info.Dir) throw new Error(`go mod download ${MODULE}@${version} failed: ${info.Error ?? stdout}`);
  return info.Dir;
}

/** The CustomResourceDefinitions under config/crd/standard/ (the channel's other objects are left out). */
async function standardCrds(version: string): Promise<Crd[]> {
  const dir = path.join(await moduleDir(version), 'config/crd/standard');
  const files = (await readdir(dir)).filter((f) => f.endsWith('.yaml')).sort();
  const docs = await Promise.all(
    files.map(async (f) =>
      parseAllDocuments(await readFile(path.join(dir, f), 'utf8')).map((d) => d.toJS() as unknown),
    ),
  );
  return docs.flat().filter((d): d is Crd => (d as Crd | null)?.kind === 'CustomResourceDefinition');
}

/** Installs (or leaves as they are) the standard-channel CRDs and waits until they are served. */
export async function installGatewayApi(client: KubeClient): Promise<string> {
  const version = await gatewayApiVersion();
  for (const crd of await standardCrds(version)) {
    const crdPath = `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${crd.metadata.name}`;
    await client.request({
      method: 'PATCH',
      path: crdPath,
      contentType: PATCH.apply,
      body: crd,
      query: { fieldManager: 'vibe-tests', force: true },
    });
    await waitFor(`CRD ${crd.metadata.name} to be established`, async () => {
      const got = await client.request<{ status?: { conditions?: { type: string; status: string }[] } }>({
        method: 'GET',
        path: crdPath,
      });
      return got.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True');
    });
  }
  return version;
}

/** A Gateway named preview of class vibe in namespace, with the given listeners; the test owns it, as a cluster admin would. */
export async function createPreviewGateway(
  client: KubeClient,
  namespace: string,
  listeners: Record<string, unknown>[],
): Promise<void> {
  await client.request({
    method: 'POST',
    path: `/apis/gateway.networking.k8s.io/v1/namespaces/${namespace}/gateways`,
    body: {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'Gateway',
      metadata: { name: 'preview' },
      spec: { gatewayClassName: 'vibe', listeners },
    },
  });
}
