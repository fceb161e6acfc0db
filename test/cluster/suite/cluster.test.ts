/**
 * The local cluster does what the rest of the project relies on: one Ready
 * node, pods under gVisor and under runc, namespace deletion, garbage
 * collection and pod-to-pod networking. Needs `make cluster-up` (full tier).
 */
import os from 'node:os';
import * as k8s from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  busyboxPod,
  isNotFound,
  kubeConfig,
  runScript,
  uniqueName,
  waitFor,
  waitPodPhase,
} from './support.js';

const kc = kubeConfig();
const core = kc.makeApiClient(k8s.CoreV1Api);
const discovery = kc.makeApiClient(k8s.DiscoveryV1Api);
const nodeApi = kc.makeApiClient(k8s.NodeV1Api);
const namespace = uniqueName('cluster-test');

beforeAll(async () => {
  await core.createNamespace({ body: { metadata: { name: namespace } } });
  await waitFor(
    'the default service account',
    async () => (await core.readNamespacedServiceAccount({ name: 'default', namespace })) ?? undefined,
  );
});

afterAll(async () => {
  await core.deleteNamespace({ name: namespace }).catch(() => undefined);
});

async function runToCompletion(name: string, command: string[], runtimeClassName?: string): Promise<string> {
  await core.createNamespacedPod({ namespace, body: busyboxPod(name, command, runtimeClassName) });
  const pod = await waitPodPhase(core, namespace, name, ['Succeeded', 'Failed']);
  expect(pod.status?.phase).toBe('Succeeded');
  return core.readNamespacedPodLog({ name, namespace });
}

describe('the local cluster', () => {
  it('has exactly one node, and it is Ready', async () => {
    const nodes = await core.listNode();
    expect(nodes.items).toHaveLength(1);
    const ready = nodes.items[0]?.status?.conditions?.find((c) => c.type === 'Ready');
    expect(ready?.status).toBe('True');
  });

  it('is idempotent: a second cluster-up changes nothing', () => {
    const result = runScript('up.sh');
    expect(result.status).toBe(0);
    expect(result.stderr).toContain('already up');
  });

  it('offers RuntimeClass gvisor with handler runsc', async () => {
    const rc = await nodeApi.readRuntimeClass({ name: 'gvisor' });
    expect(rc.handler).toBe('runsc');
  });

  it("holds environment namespaces to the chart's admission policies", async () => {
    const admission = kc.makeApiClient(k8s.AdmissionregistrationV1Api);
    const bindings = await admission.listValidatingAdmissionPolicyBinding();
    const names = bindings.items
      .map((b) => b.metadata?.name ?? '')
      .filter((n) => n.startsWith('vibe-environment-'));
    expect(names).toEqual(
      expect.arrayContaining(['vibe-environment-pods', 'vibe-environment-applier-fence']),
    );
    const pods = bindings.items.find((b) => b.metadata?.name === 'vibe-environment-pods');
    expect(pods?.spec?.matchResources?.namespaceSelector?.matchExpressions).toEqual([
      { key: 'vibe.dev/environment', operator: 'Exists' },
    ]);
  });

  it('runs a pod under gVisor: its dmesg shows gVisor booting, read through the API', async () => {
    const logs = await runToCompletion('gvisor-dmesg', ['dmesg'], 'gvisor');
    expect(logs).toContain('Starting gVisor...');
  });

  it('runs the same pod without a runtime class under runc, on the host kernel', async () => {
    const logs = await runToCompletion('runc-uname', ['sh', '-c', 'uname -r; dmesg 2>&1 | head -n 3']);
    expect(logs.split('\n')[0]).toBe(os.release());
    expect(logs).not.toContain('Starting gVisor');
  });

  it("reaches a Service's pod from another pod (under gVisor) by pod IP", async () => {
    const labels = { app: 'web' };
    await core.createNamespacedPod({
      namespace,
      body: {
        metadata: { name: 'web', labels },
        spec: {
          containers: [
            {
              name: 'httpd',
              image: 'localhost/vibe/busybox:test',
              imagePullPolicy: 'Never',
              command: ['httpd', '-f', '-p', '8080', '-h', '/www'],
              ports: [{ containerPort: 8080 }],
              readinessProbe: { httpGet: { path: '/', port: 8080 }, periodSeconds: 1 },
            },
          ],
        },
      },
    });
    await core.createNamespacedService({
      namespace,
      body: {
        metadata: { name: 'web' },
        spec: { selector: labels, ports: [{ port: 80, targetPort: 8080 }] },
      },
    });
    // The pod IP comes from the Service's EndpointSlice: the endpoint controller
    // sees the pod ready (the kubelet's probe reached it) and publishes it.
    const podIP = await waitFor('a ready endpoint for service web', async () => {
      const slices = await discovery.listNamespacedEndpointSlice({
        namespace,
        labelSelector: 'kubernetes.io/service-name=web',
      });
      const endpoint = slices.items.flatMap((s) => s.endpoints ?? []).find((e) => e.conditions?.ready);
      return endpoint?.addresses[0];
    });
    const logs = await runToCompletion('client', ['wget', '-qO-', `http://${podIP}:8080/`], 'gvisor');
    expect(logs).toContain('hello from vibe busybox');
  });

  it('garbage-collects the dependents of a deleted owner', async () => {
    const owner = await core.createNamespacedConfigMap({ namespace, body: { metadata: { name: 'owner' } } });
    await core.createNamespacedConfigMap({
      namespace,
      body: {
        metadata: {
          name: 'dependent',
          ownerReferences: [
            { apiVersion: 'v1', kind: 'ConfigMap', name: 'owner', uid: owner.metadata!.uid! },
          ],
        },
      },
    });
    await core.deleteNamespacedConfigMap({ name: 'owner', namespace });
    await waitFor('the dependent ConfigMap to be collected', async () => {
      try {
        await core.readNamespacedConfigMap({ name: 'dependent', namespace });
        return undefined;
      } catch (error) {
        return isNotFound(error) ? true : undefined;
      }
    });
  });

  it('completes the deletion of a namespace with a running pod in it', async () => {
    const name = uniqueName('doomed');
    await core.createNamespace({ body: { metadata: { name } } });
    await waitFor(
      'the default service account',
      async () =>
        (await core.readNamespacedServiceAccount({ name: 'default', namespace: name })) ?? undefined,
    );
    await core.createNamespacedPod({ namespace: name, body: busyboxPod('sleeper', ['sleep', '3600']) });
    await waitPodPhase(core, name, 'sleeper', ['Running']);
    await core.deleteNamespace({ name });
    await waitFor(`namespace ${name} to be gone`, async () => {
      try {
        await core.readNamespace({ name });
        return undefined;
      } catch (error) {
        return isNotFound(error) ? true : undefined;
      }
    });
  });
});
