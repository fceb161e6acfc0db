import { KubeConfig } from '@kubernetes/client-node';
import { allCrds } from '../../operator/src/api/crds.js';
import { isApiError } from '../../operator/src/reconciler/errors.js';
import { KubeClient, PATCH } from '../../operator/src/reconciler/kube-client.js';

/** The kubeconfig of the cluster under test; integration tests never guess it. */
export function kubeconfigPath(): string {
  const path = process.env.KUBECONFIG;
  if (!path)
    throw new Error('KUBECONFIG is not set: start the control-plane tier and export its kubeconfig.');
  return path;
}

export function testClient(): KubeClient {
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfigPath());
  return new KubeClient(kc);
}

export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined | false>,
  timeoutMs = 30_000,
  intervalMs = 200,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `timed out waiting for ${what}${last ? ` (last error: ${(last as Error).message})` : ''}`,
      );
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** Applies the generated CRDs and waits until the API server serves them. */
export async function installCrds(client: KubeClient): Promise<void> {
  for (const crd of allCrds()) {
    await client.request({
      method: 'PATCH',
      path: `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${crd.metadata.name}`,
      contentType: PATCH.apply,
      body: crd,
      query: { fieldManager: 'vibe-tests', force: true },
    });
    await waitFor(`CRD ${crd.metadata.name} to be established`, async () => {
      const got = await client.request<{ status?: { conditions?: Array<{ type: string; status: string }> } }>(
        {
          method: 'GET',
          path: `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${crd.metadata.name}`,
        },
      );
      return got.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True');
    });
  }
}

/** A fresh namespace with a unique name; delete it with deleteNamespace in afterAll. */
export async function createNamespace(client: KubeClient, prefix: string): Promise<string> {
  const name = `${prefix}-${Date.now().toString(36)}-${Math.floor(Math.random() * 1e4)}`;
  await client.request({
    method: 'POST',
    path: '/api/v1/namespaces',
    body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { 'vibe.dev/test': 'true' } } },
  });
  return name;
}

/** Deletes a test namespace and every environment namespace the operator made for it. */
export async function deleteNamespace(client: KubeClient, name: string): Promise<void> {
  const envs = await client.request<{ items: Array<{ metadata: { name: string } }> }>({
    method: 'GET',
    path: `/apis/vibe.dev/v1alpha1/namespaces/${name}/vibeenvironments`,
  });
  for (const env of envs.items) {
    await client
      .request({
        method: 'PATCH',
        path: `/apis/vibe.dev/v1alpha1/namespaces/${name}/vibeenvironments/${env.metadata.name}`,
        contentType: PATCH.merge,
        body: { metadata: { finalizers: null } },
      })
      .catch(() => undefined);
  }
  const owned = await client.request<{ items: Array<{ metadata: { name: string } }> }>({
    method: 'GET',
    path: '/api/v1/namespaces',
    query: { labelSelector: `app.kubernetes.io/managed-by=vibe-operator` },
  });
  for (const ns of owned.items.filter((n) => n.metadata.name.startsWith(`vibe-${name}-`))) {
    await client
      .request({ method: 'DELETE', path: `/api/v1/namespaces/${ns.metadata.name}` })
      .catch(() => undefined);
  }
  try {
    await client.request({ method: 'DELETE', path: `/api/v1/namespaces/${name}` });
  } catch (err) {
    if (!isApiError(err, 404)) throw err;
  }
}

export function environmentsPath(namespace: string, name?: string): string {
  return `/apis/vibe.dev/v1alpha1/namespaces/${namespace}/vibeenvironments${name ? `/${name}` : ''}`;
}

export function environment(name: string, spec: Record<string, unknown>) {
  return { apiVersion: 'vibe.dev/v1alpha1', kind: 'VibeEnvironment', metadata: { name }, spec };
}

export interface KubeEvent {
  reason: string;
  message: string;
  type: string;
  involvedObject: { name: string; uid?: string };
}

export async function eventsFor(client: KubeClient, namespace: string, name: string): Promise<KubeEvent[]> {
  const list = await client.request<{ items: KubeEvent[] }>({
    method: 'GET',
    path: `/api/v1/namespaces/${namespace}/events`,
    query: { fieldSelector: `involvedObject.name=${name}` },
  });
  return list.items;
}

interface EnvironmentLike {
  metadata: { name: string; generation?: number; finalizers?: string[] };
  status?: { phase?: string; observedGeneration?: number; attempts?: number };
}

export async function getEnvironment<T = EnvironmentLike>(
  client: KubeClient,
  namespace: string,
  name: string,
): Promise<T | undefined> {
  try {
    return await client.request<T>({ method: 'GET', path: environmentsPath(namespace, name) });
  } catch (err) {
    if (isApiError(err, 404)) return undefined;
    throw err;
  }
}

/** Waits until the environment's status says it handled its current generation and reached the phase. */
export function waitForPhase(
  client: KubeClient,
  namespace: string,
  name: string,
  phase: string,
  timeoutMs = 60_000,
): Promise<EnvironmentLike> {
  return waitFor(
    `${namespace}/${name} to reach phase ${phase}`,
    async () => {
      const env = await getEnvironment(client, namespace, name);
      return env?.status?.phase === phase && env.status.observedGeneration === env.metadata.generation
        ? env
        : undefined;
    },
    timeoutMs,
  );
}

export function createEnvironment(
  client: KubeClient,
  namespace: string,
  name: string,
  spec: Record<string, unknown>,
) {
  return client.request({ method: 'POST', path: environmentsPath(namespace), body: environment(name, spec) });
}
