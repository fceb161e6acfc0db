/**
 * The round trips in front of a new environment's first workload, against the real kube-apiserver:
 * isolation sends everything inside the namespace at once (the RoleBinding beside the Role it
 * binds), the dry-run sends the inventory, every object and pruning's lists in one round, and the
 * apply that follows in the same namespace does not ask RBAC again. Requests are recorded as they
 * leave and as their answers arrive; "one round" means every request left before the first answer.
 */
import { KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseVibeEnvironmentSpec, type VibeEnvironment } from '../../operator/src/api/vibe-environment.js';
import {
  clusterRuntime,
  environmentSettings,
  type Manifest,
  writtenApiVersions,
} from '../../operator/src/environment/index.js';
import { configSchema } from '../../operator/src/config.js';
import { DEFAULT_POLICY } from '../../operator/src/policy/index.js';
import { isApiError } from '../../operator/src/reconciler/errors.js';
import { KubeClient, type RequestOptions } from '../../operator/src/reconciler/kube-client.js';
import { RestMapper } from '../../operator/src/reconciler/rest-mapper.js';
import { kubeconfigPath, testClient } from '../support/kube.js';

interface Sent {
  method: string;
  path: string;
  dryRun: boolean;
  left: number;
  answered: number;
}

/** The real client, noting when each request leaves and when its answer has arrived. */
class RecordingClient extends KubeClient {
  readonly sent: Sent[] = [];

  override async requestWithStatus<T = unknown>(opts: RequestOptions): Promise<{ status: number; body: T }> {
    const left = performance.now();
    try {
      return await super.requestWithStatus<T>(opts);
    } finally {
      this.sent.push({
        method: opts.method,
        path: opts.path,
        dryRun: opts.query?.dryRun === 'All',
        left,
        answered: performance.now(),
      });
    }
  }

  take(): Sent[] {
    return this.sent.splice(0);
  }
}

/** True when every request left before any of them was answered. */
const oneRound = (requests: Sent[]) =>
  Math.max(...requests.map((r) => r.left)) < Math.min(...requests.map((r) => r.answered));
const isAccessReview = (r: Sent) => r.path.endsWith('/selfsubjectaccessreviews');
const resourceOf = (r: Sent) => r.path.split('/').slice(-2, -1)[0];

const admin = testClient();
const kubeConfig = new KubeConfig();
kubeConfig.loadFromFile(kubeconfigPath());
const client = new RecordingClient(kubeConfig);
const mapper = new RestMapper(client);
const settings = environmentSettings(configSchema.parse({}), undefined);
const runtime = clusterRuntime({ client, mapper, fieldManager: 'vibe-tests', isolation: settings.isolation });
const env: VibeEnvironment = {
  apiVersion: 'vibe.dev/v1alpha1',
  kind: 'VibeEnvironment',
  metadata: {
    name: `round-trips-${process.pid}`,
    namespace: 'default',
    uid: `uid-rt-${process.pid}`,
    generation: 1,
  },
  spec: parseVibeEnvironmentSpec({ intent: 'a web app' }),
};
const namespace = `vibe-default-round-trips-${process.pid}`;
const signal = new AbortController().signal;

const labels = { app: 'web' };
const plan: Manifest[] = [
  { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'web-config' }, data: { greeting: 'hello' } },
  {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web' },
    spec: { selector: labels, ports: [{ port: 80, targetPort: 8080 }] },
  },
  {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web' },
    spec: {
      replicas: 1,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          securityContext: {
            runAsNonRoot: true,
            runAsUser: 1000,
            seccompProfile: { type: 'RuntimeDefault' },
          },
          containers: [
            {
              name: 'web',
              image: 'localhost/vibe/busybox:test',
              securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
            },
          ],
        },
      },
    },
  },
];

describe('the round trips in front of the first workload', () => {
  beforeAll(async () => {
    // What the operator does before it reports ready.
    await mapper.warm(writtenApiVersions(DEFAULT_POLICY.allowedKinds));
    client.take();
  });

  afterAll(async () => {
    await admin
      .request({ method: 'DELETE', path: `/api/v1/namespaces/${namespace}` })
      .catch((err: unknown) => {
        if (!isApiError(err, 404)) throw err;
      });
    client.close();
  });

  it('needs no discovery once the mapper is warm', async () => {
    await mapper.resourceFor('apps/v1', 'Deployment');
    await mapper.resourceFor('rbac.authorization.k8s.io/v1', 'RoleBinding');
    expect(client.take()).toEqual([]);
  });

  it('isolates in two rounds: the namespace, then everything in it, the RoleBinding beside its Role', async () => {
    await runtime.createNamespace(env, namespace, signal);
    const [created, ...rest] = client.take();
    expect(created?.path).toBe(`/api/v1/namespaces/${namespace}`);
    expect(rest).toEqual([]);

    await runtime.isolate(env, namespace, signal);
    const inside = client.take();
    expect(inside.map(resourceOf).sort()).toEqual([
      'limitranges',
      'networkpolicies',
      'networkpolicies',
      'networkpolicies',
      'resourcequotas',
      'rolebindings',
      'roles',
    ]);
    expect(oneRound(inside)).toBe(true);
    const binding = await admin.request<{ roleRef: { name: string } }>({
      method: 'GET',
      path: `/apis/rbac.authorization.k8s.io/v1/namespaces/${namespace}/rolebindings/vibe-applier`,
    });
    expect(binding.roleRef.name).toBe('vibe-applier');
  });

  it('dry-runs the plan in one round once RBAC lets the applier write', async () => {
    const outcome = await runtime.apply(namespace, plan, { dryRun: true, signal });
    expect(outcome.applied.map((ref) => ref.kind).sort()).toEqual(['ConfigMap', 'Deployment', 'Service']);
    const sent = client.take();
    const reviews = sent.filter(isAccessReview);
    expect(reviews.length).toBeGreaterThanOrEqual(1);
    const round = sent.filter((r) => !isAccessReview(r));
    // The inventory, three objects, and pruning's list of each kind.
    expect(round.filter((r) => r.method === 'PATCH' && r.dryRun)).toHaveLength(4);
    expect(
      round
        .filter((r) => r.method === 'GET')
        .map((r) => r.path.split('/').pop())
        .sort(),
    ).toEqual(['configmaps', 'deployments', 'services']);
    expect(round).toHaveLength(7);
    expect(oneRound(round)).toBe(true);
    expect(Math.max(...reviews.map((r) => r.answered))).toBeLessThanOrEqual(
      Math.min(...round.map((r) => r.left)),
    );
    const stored = await admin.request<{ items: unknown[] }>({
      method: 'GET',
      path: `/apis/apps/v1/namespaces/${namespace}/deployments`,
    });
    expect(stored.items).toEqual([]);
  });

  it('applies after the dry-run without asking RBAC again', async () => {
    const outcome = await runtime.apply(namespace, plan, { signal });
    expect(outcome.applied.map((ref) => ref.kind).sort()).toEqual(['ConfigMap', 'Deployment', 'Service']);
    const sent = client.take();
    expect(sent.filter(isAccessReview)).toEqual([]);
    expect(sent.filter((r) => r.dryRun)).toEqual([]);
    const deployment = await admin.request<{ metadata: { name: string } }>({
      method: 'GET',
      path: `/apis/apps/v1/namespaces/${namespace}/deployments/web`,
    });
    expect(deployment.metadata.name).toBe('web');
  });
});
