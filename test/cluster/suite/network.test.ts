/**
 * The cluster network as pods meet it, under runc and under gVisor: kube-proxy routes ClusterIP and
 * NodePort Services (checked by the page the backend serves), CoreDNS answers short, namespaced and
 * fully qualified Service names and ExternalNames, the API server answers through the `kubernetes`
 * Service, and NetworkPolicy still holds behind kube-proxy's DNAT: two namespaces isolated by the
 * operator's own policies reach their own Services by name and not each other's. Needs
 * `make cluster-up` (full tier).
 */
import fs from 'node:fs';
import path from 'node:path';
import * as k8s from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseVibeEnvironmentSpec } from '../../../operator/src/api/vibe-environment.js';
import { isolationObjects, type IsolationSettings } from '../../../operator/src/environment/index.js';
import { clusterScripts, kubeConfig, uniqueName, waitFor, waitPodPhase } from './support.js';

const kc = kubeConfig();
const core = kc.makeApiClient(k8s.CoreV1Api);
const objects = k8s.KubernetesObjectApi.makeApiClient(kc);
const BUSYBOX = 'localhost/vibe/busybox:test';
/** busybox with kubectl, which checks the API server's certificate against the service account's CA. */
const KUBERNETES_VERSION = /^KUBERNETES_VERSION=(\S+)$/m.exec(
  fs.readFileSync(path.join(clusterScripts, 'versions.env'), 'utf8'),
)![1]!;
const KUBECTL = `localhost/vibe/kubectl:${KUBERNETES_VERSION}`;
/** Where a pod finds its service account's token and the cluster's CA. */
const SA = '/var/run/secrets/kubernetes.io/serviceaccount';
const NODE_ADDRESS = '10.250.0.2';
const RUNTIMES = { runc: undefined, gvisor: 'gvisor' } as const;
type Runtime = keyof typeof RUNTIMES;

const plain = uniqueName('net-plain');
const isolated = { a: uniqueName('vibe-net-a'), b: uniqueName('vibe-net-b') };
const namespaces = [plain, isolated.a, isolated.b];

/** Runs as PodSecurity `restricted` wants, so the same pod is admitted in every namespace. */
function pod(
  name: string,
  command: string[],
  runtime: Runtime,
  options: { labels?: Record<string, string>; image?: string } = {},
): k8s.V1Pod {
  const labels = options.labels ?? {};
  const server = Object.keys(labels).length > 0;
  return {
    metadata: { name, labels },
    spec: {
      restartPolicy: server ? 'Always' : 'Never',
      terminationGracePeriodSeconds: 1,
      ...(RUNTIMES[runtime] ? { runtimeClassName: RUNTIMES[runtime] } : {}),
      securityContext: { runAsNonRoot: true, runAsUser: 65534, seccompProfile: { type: 'RuntimeDefault' } },
      containers: [
        {
          name: 'main',
          image: options.image ?? BUSYBOX,
          env: [{ name: 'HOME', value: '/tmp' }],
          // The isolated namespaces' quota wants them; their LimitRange may not be in admission's cache yet.
          resources: { requests: { cpu: '20m', memory: '32Mi' }, limits: { cpu: '500m', memory: '128Mi' } },
          imagePullPolicy: 'Never',
          command,
          securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
          ...(server ? { readinessProbe: { httpGet: { path: '/', port: 8080 }, periodSeconds: 1 } } : {}),
        },
      ],
    },
  };
}

/** An httpd whose page names its namespace, behind a ClusterIP Service `web` (port 80). */
async function webServer(namespace: string): Promise<string> {
  const page = `served by web in ${namespace}`;
  const script = `mkdir -p /tmp/www && echo "${page}" > /tmp/www/index.html && exec httpd -f -p 8080 -h /tmp/www`;
  await core.createNamespacedPod({
    namespace,
    body: pod('web', ['sh', '-c', script], 'runc', { labels: { app: 'web' } }),
  });
  const service = await core.createNamespacedService({
    namespace,
    body: {
      metadata: { name: 'web' },
      spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] },
    },
  });
  await waitFor(`pod ${namespace}/web to be ready`, async () => {
    const got = await core.readNamespacedPod({ namespace, name: 'web' });
    return got.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') || undefined;
  });
  return service.spec!.clusterIP!;
}

/**
 * Runs `script` in a new pod and returns its log. Each probe is bounded by `timeout` (busybox's own
 * `wget -T` crashes in this image): a dropped connection ends in exit=143. The enforcer writes a
 * new pod's rules ~0.1 s after the kubelet reports its address; the pause keeps the first packet
 * behind them.
 */
async function runClient(
  namespace: string,
  name: string,
  runtime: Runtime,
  script: string,
  image = BUSYBOX,
): Promise<string> {
  await core.createNamespacedPod({
    namespace,
    body: pod(name, ['sh', '-c', `sleep 2; ${script}`], runtime, { image }),
  });
  await waitPodPhase(core, namespace, name, ['Succeeded', 'Failed']);
  return core.readNamespacedPodLog({ namespace, name });
}

/** `label=<what the command printed> exit=<its status>`, one line per probe. */
function probe(label: string, command: string): string {
  return `out=$(timeout 10 ${command} 2>&1); code=$?; echo "${label}=$(echo "$out" | tr '\\n' ' ')exit=$code"`;
}

function line(log: string, label: string): string {
  return log.split('\n').find((l) => l.startsWith(`${label}=`)) ?? `${label}: no such line in\n${log}`;
}

let clusterIP: string;
let nodePort: number;
const isolatedIPs: Record<'a' | 'b', string> = { a: '', b: '' };

beforeAll(async () => {
  await core.createNamespace({ body: { metadata: { name: plain } } });
  const settings: IsolationSettings = {
    namespacePrefix: 'vibe-',
    defaults: { cpu: '2', memory: '1Gi', pods: 10, storage: '1Gi' },
    containerDefaults: { cpuRequest: '50m', memoryRequest: '32Mi', cpuLimit: '500m', memoryLimit: '128Mi' },
    podSecurity: 'restricted',
  };
  for (const namespace of Object.values(isolated)) {
    const env = {
      apiVersion: 'vibe.dev/v1alpha1' as const,
      kind: 'VibeEnvironment' as const,
      metadata: { name: namespace, namespace: 'default' },
      spec: parseVibeEnvironmentSpec({ intent: 'a web app' }),
    };
    for (const object of isolationObjects(env, namespace, settings))
      await objects.create(object as k8s.KubernetesObject);
  }
  for (const namespace of namespaces)
    await waitFor(`the default service account in ${namespace}`, () =>
      core.readNamespacedServiceAccount({ name: 'default', namespace }),
    );

  clusterIP = await webServer(plain);
  const exposed = await core.createNamespacedService({
    namespace: plain,
    body: {
      metadata: { name: 'web-node-port' },
      spec: { type: 'NodePort', selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] },
    },
  });
  nodePort = exposed.spec!.ports![0]!.nodePort!;
  await core.createNamespacedService({
    namespace: plain,
    body: {
      metadata: { name: 'alias' },
      spec: { type: 'ExternalName', externalName: `web.${plain}.svc.cluster.local` },
    },
  });
  isolatedIPs.a = await webServer(isolated.a);
  isolatedIPs.b = await webServer(isolated.b);
});

afterAll(async () => {
  for (const name of namespaces) await core.deleteNamespace({ name }).catch(() => undefined);
});

describe.each(Object.keys(RUNTIMES) as Runtime[])('from a pod under %s', (runtime) => {
  let log: string;
  beforeAll(async () => {
    log = await runClient(
      plain,
      `client-${runtime}`,
      runtime,
      [
        probe('short', 'wget -qO- http://web/'),
        probe('namespaced', `wget -qO- http://web.${plain}/`),
        probe('fqdn', `wget -qO- http://web.${plain}.svc.cluster.local/`),
        probe('fqdn-lookup', `nslookup web.${plain}.svc.cluster.local`),
        probe('external-name', 'wget -qO- http://alias/'),
        probe('external-name-lookup', `nslookup alias.${plain}.svc.cluster.local`),
        probe('outside', 'nslookup example.com'),
        probe('cluster-ip', `wget -qO- http://${clusterIP}/`),
        probe('node-port', `wget -qO- http://${NODE_ADDRESS}:${nodePort}/`),
        probe(
          'api',
          `kubectl get --raw /version --server https://kubernetes.default.svc --certificate-authority ${SA}/ca.crt --token "$(cat ${SA}/token)"`,
        ),
        'cat /etc/resolv.conf',
      ].join('\n'),
      KUBECTL,
    );
  });
  const page = `served by web in ${plain}`;

  it('resolves a Service by its short, namespaced and fully qualified name and reaches it', () => {
    expect(line(log, 'short')).toBe(`short=${page} exit=0`);
    expect(line(log, 'namespaced')).toBe(`namespaced=${page} exit=0`);
    expect(line(log, 'fqdn')).toBe(`fqdn=${page} exit=0`);
    expect(line(log, 'fqdn-lookup')).toMatch(
      new RegExp(
        `Name:\\s+web\\.${plain}\\.svc\\.cluster\\.local\\s+Address:\\s+${clusterIP.replaceAll('.', '\\.')}`,
      ),
    );
  });

  it("resolves an ExternalName to its target's name and address", () => {
    expect(line(log, 'external-name')).toBe(`external-name=${page} exit=0`);
    expect(line(log, 'external-name-lookup')).toContain(`canonical name = web.${plain}.svc.cluster.local`);
    expect(line(log, 'external-name-lookup')).toContain(clusterIP);
  });

  it('fails a name outside the cluster at once: there is no upstream resolver', () => {
    expect(line(log, 'outside')).toContain('SERVFAIL');
    expect(line(log, 'outside')).toMatch(/exit=1$/);
  });

  it('routes a ClusterIP and a NodePort to the Service pod', () => {
    expect(line(log, 'cluster-ip')).toBe(`cluster-ip=${page} exit=0`);
    expect(line(log, 'node-port')).toBe(`node-port=${page} exit=0`);
  });

  it('reaches the API server through the kubernetes Service', () => {
    expect(line(log, 'api')).toContain(`"gitVersion": "${KUBERNETES_VERSION}"`);
    expect(line(log, 'api')).toMatch(/exit=0$/);
  });

  it('names the cluster DNS Service and the search path in resolv.conf', () => {
    expect(log).toContain('nameserver 10.96.0.10');
    expect(log).toContain(`search ${plain}.svc.cluster.local svc.cluster.local cluster.local`);
  });

  it('reaches Services within an isolated environment by name, and not those of another', async () => {
    const [within, across] = await Promise.all([
      runClient(isolated.a, `within-${runtime}`, runtime, probe('web', 'wget -qO- http://web/')),
      runClient(
        isolated.b,
        `across-${runtime}`,
        runtime,
        [
          probe('lookup', `nslookup web.${isolated.a}.svc.cluster.local`),
          probe('by-name', `wget -qO- http://web.${isolated.a}/`),
          probe('by-ip', `wget -qO- http://${isolatedIPs.a}/`),
        ].join('\n'),
      ),
    ]);
    expect(line(within, 'web')).toBe(`web=served by web in ${isolated.a} exit=0`);
    // DNS is allowed out of the environment; the Service behind the name is not.
    expect(line(across, 'lookup')).toContain(isolatedIPs.a);
    expect(line(across, 'by-name')).toMatch(/exit=143$/);
    expect(line(across, 'by-ip')).toMatch(/exit=143$/);
    expect(across).not.toContain('served by web');
  });
});

describe('cluster DNS', () => {
  it('runs as the Deployment coredns, from the local image, behind the Service kube-dns at 10.96.0.10', async () => {
    const service = await core.readNamespacedService({ namespace: 'kube-system', name: 'kube-dns' });
    expect(service.spec?.clusterIP).toBe('10.96.0.10');
    const pods = await core.listNamespacedPod({
      namespace: 'kube-system',
      labelSelector: 'k8s-app=kube-dns',
    });
    expect(pods.items.map((p) => p.spec?.containers[0]?.image)).toEqual([
      expect.stringMatching(/^localhost\/vibe\/coredns:v\d+\.\d+\.\d+$/),
    ]);
  });
});
