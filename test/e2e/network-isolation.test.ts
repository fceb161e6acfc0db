/**
 * Issue 5's promise on the full local cluster, where the netpol enforcer turns NetworkPolicy into
 * nftables rules: a pod in environment A cannot reach a pod in environment B. The operator plans,
 * isolates and rolls out two public web environments; gVisor pods then connect by pod IP. Pods of
 * one environment reach each other, the node (the preview router's side) reaches a public pod, and
 * nothing else crosses an environment's boundary in either direction. A control pair of plain
 * namespaces without policies shows the same connection succeeding, so the refusals are the
 * policies' doing.
 */
import type { V1Pod } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VibeEnvironment } from '../../operator/src/api/vibe-environment.js';
import {
  createEnvironment,
  createNamespace,
  deleteNamespace,
  getEnvironment,
  installCrds,
  testClient,
  waitFor,
} from '../support/kube.js';
import { httpGet } from '../support/http-get.js';
import { localOperatorArgs, OperatorProcess } from '../support/operator-process.js';

const client = testClient();
const BUSYBOX = 'localhost/vibe/busybox:test';
const PAGE = 'hello from vibe busybox';
const INTENT =
  'A public web app, image localhost/vibe/busybox:test, command "/bin/httpd -f -p 8080 -h /www", port 8080';

let ns: string;
let plainServer: string;
let plainClient: string;
let operator: OperatorProcess;
let routerPort: number;
const env: Record<'a' | 'b', { namespace: string; podIP: string; previewUrl: string }> = {} as never;
let plainServerIP: string;
/** What each client pod printed: the page (or nothing) and `exit=N` of its wget. */
const seen: Record<string, string> = {};

/** A busybox pod that PodSecurity `restricted` admits, under gVisor; ready once it serves on `servesOn`. */
function busyboxPod(name: string, command: string[], options: { servesOn?: number } = {}): V1Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels: { app: name } },
    spec: {
      runtimeClassName: 'gvisor',
      restartPolicy: options.servesOn ? 'Always' : 'Never',
      terminationGracePeriodSeconds: 1,
      automountServiceAccountToken: false,
      securityContext: { runAsNonRoot: true, runAsUser: 65534, seccompProfile: { type: 'RuntimeDefault' } },
      containers: [
        {
          name: 'main',
          image: BUSYBOX,
          imagePullPolicy: 'Never',
          command,
          securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
          ...(options.servesOn
            ? { readinessProbe: { httpGet: { path: '/', port: options.servesOn }, periodSeconds: 1 } }
            : {}),
        },
      ],
    },
  };
}

async function readyPodIP(namespace: string): Promise<string> {
  return waitFor(
    `a ready pod in ${namespace}`,
    async () => {
      const pods = await client.request<{ items: V1Pod[] }>({
        method: 'GET',
        path: `/api/v1/namespaces/${namespace}/pods`,
      });
      const ready = pods.items.find((p) =>
        p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'),
      );
      return ready?.status?.podIP;
    },
    120_000,
    500,
  );
}

/**
 * Runs one wget from a new pod in `namespace` and returns what it printed. busybox's own `wget -T`
 * crashes (SIGSEGV) in this image, so `timeout` bounds it: a dropped connection ends in exit=143.
 * The enforcer learns the client's address when the kubelet reports it and writes its egress rules
 * ~0.1 s later; the pause keeps the first packet behind them.
 */
async function wgetFrom(namespace: string, name: string, ip: string): Promise<string> {
  const script = `sleep 2; timeout 5 wget -qO- http://${ip}:8080/; echo "exit=$?"`;
  await client.request({
    method: 'POST',
    path: `/api/v1/namespaces/${namespace}/pods`,
    body: busyboxPod(name, ['sh', '-c', script]),
  });
  await waitFor(
    `pod ${namespace}/${name} to finish`,
    async () => {
      const pod = await client.request<V1Pod>({
        method: 'GET',
        path: `/api/v1/namespaces/${namespace}/pods/${name}`,
      });
      return pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
    },
    120_000,
    500,
  );
  return client.request<string>({ method: 'GET', path: `/api/v1/namespaces/${namespace}/pods/${name}/log` });
}

/** A GET from this process, on the host: the source address is the node's (10.250.0.1). */
beforeAll(async () => {
  await installCrds(client);
  ns = await createNamespace(client, 'netiso');
  plainServer = await createNamespace(client, 'netiso-plain-srv');
  plainClient = await createNamespace(client, 'netiso-plain-cli');
  operator = await OperatorProcess.start(localOperatorArgs(ns));
  await operator.ready(60_000);
  routerPort = await operator.previewRouterPort();

  for (const name of ['a', 'b'] as const)
    await createEnvironment(client, ns, `env-${name}`, { intent: INTENT, ttl: '30m' });
  await waitFor('the default service account of the plain server namespace', () =>
    client.request({ method: 'GET', path: `/api/v1/namespaces/${plainServer}/serviceaccounts/default` }),
  );
  await client.request({
    method: 'POST',
    path: `/api/v1/namespaces/${plainServer}/pods`,
    body: busyboxPod('web', ['httpd', '-f', '-p', '8080', '-h', '/www'], { servesOn: 8080 }),
  });
  await Promise.all(
    (['a', 'b'] as const).map(async (name) => {
      const ready = await waitFor(
        `env-${name} to be Ready`,
        async () => {
          const e = await getEnvironment<VibeEnvironment>(client, ns, `env-${name}`);
          return e?.status?.phase === 'Ready' || e?.status?.phase === 'Failed' ? e : undefined;
        },
        180_000,
        500,
      );
      if (ready.status?.phase !== 'Ready') throw new Error(`env-${name} failed: ${ready.status?.message}`);
      const namespace = ready.status!.namespace!;
      env[name] = { namespace, podIP: await readyPodIP(namespace), previewUrl: ready.status!.previewUrl! };
    }),
  );
  plainServerIP = await readyPodIP(plainServer);

  await waitFor('the default service account of the plain client namespace', () =>
    client.request({ method: 'GET', path: `/api/v1/namespaces/${plainClient}/serviceaccounts/default` }),
  );
  const probes: Array<[string, string, string]> = [
    ['a-to-b', env.a.namespace, env.b.podIP],
    ['a-to-a', env.a.namespace, env.a.podIP],
    ['a-to-plain', env.a.namespace, plainServerIP],
    ['plain-to-b', plainClient, env.b.podIP],
    ['plain-to-plain', plainClient, plainServerIP],
  ];
  await Promise.all(
    probes.map(async ([name, from, ip]) => {
      seen[name] = await wgetFrom(from, name, ip);
    }),
  );
}, 300_000);

afterAll(async () => {
  await operator?.stop();
  for (const namespace of [ns, plainServer, plainClient])
    if (namespace) await deleteNamespace(client, namespace);
  client.close();
});

describe('network isolation between environments', () => {
  it('keeps a pod in environment A from reaching a pod in environment B', () => {
    expect(seen['a-to-b']).not.toContain(PAGE);
    expect(seen['a-to-b']).toContain('exit=143');
  });

  it('lets the pods of one environment reach each other', () => {
    expect(seen['a-to-a']).toContain(PAGE);
    expect(seen['a-to-a']).toContain('exit=0');
  });

  it('lets the node reach public pods: the preview router and direct by pod IP', async () => {
    const url = new URL(env.a.previewUrl);
    const preview = await httpGet(`http://127.0.0.1:${routerPort}/`, url.host.replace(/:\d+$/, ''));
    expect(preview).toMatchObject({ status: 200, body: expect.stringContaining(PAGE) });
    const direct = await httpGet(`http://${env.b.podIP}:8080/`);
    expect(direct).toMatchObject({ status: 200, body: expect.stringContaining(PAGE) });
  });

  it("checks egress at the source: A's pods cannot reach a pod no policy protects", () => {
    expect(seen['a-to-plain']).not.toContain(PAGE);
    expect(seen['a-to-plain']).toContain('exit=143');
  });

  it("checks ingress at the destination: a pod no policy restricts cannot reach B's pods", () => {
    expect(seen['plain-to-b']).not.toContain(PAGE);
    expect(seen['plain-to-b']).toContain('exit=143');
  });

  it('lets the same connection through between namespaces without policies', () => {
    expect(seen['plain-to-plain']).toContain(PAGE);
    expect(seen['plain-to-plain']).toContain('exit=0');
  });
});
