import { pino } from 'pino';
import { describe, expect, it, vi } from 'vitest';
import type { KubeClient, RequestOptions } from '../../../operator/src/reconciler/kube-client.js';
import type { KubeObject } from '../../../operator/src/reconciler/resource.js';
import { Enforcer } from './enforcer.js';
import { NetpolError } from './errors.js';
import { namespace, pod, policy } from './test-fixtures.js';

const PATHS = {
  pods: '/api/v1/pods',
  namespaces: '/api/v1/namespaces',
  policies: '/apis/networking.k8s.io/v1/networkpolicies',
};

let resourceVersion = 1;
const versioned = (o: object): KubeObject => {
  const obj = o as KubeObject;
  return { ...obj, metadata: { ...obj.metadata, resourceVersion: String(++resourceVersion) } };
};

/** Lists what it was given and keeps each watch open, so a test can send events down it. */
function fakeApi(initial: Partial<Record<keyof typeof PATHS, object[]>>) {
  const watches = new Map<string, (line: string) => void>();
  const client = {
    async request(opts: RequestOptions) {
      const name = (Object.keys(PATHS) as Array<keyof typeof PATHS>).find((k) => PATHS[k] === opts.path)!;
      return { metadata: { resourceVersion: '1' }, items: (initial[name] ?? []).map(versioned) };
    },
    stream(opts: RequestOptions, onLine: (line: string) => void) {
      watches.set(opts.path, onLine);
      return new Promise<void>((_, reject) =>
        opts.signal?.addEventListener('abort', () => reject(opts.signal?.reason as Error)),
      );
    },
  } as unknown as KubeClient;
  const send = (what: keyof typeof PATHS, type: 'ADDED' | 'MODIFIED' | 'DELETED', object: object) =>
    watches.get(PATHS[what])!(JSON.stringify({ type, object: versioned(object) }));
  return { client, send, watching: () => watches.size === 3 };
}

function enforcerFor(
  api: ReturnType<typeof fakeApi>,
  apply: (ruleset: string) => Promise<void>,
  tableExists = async () => true,
) {
  return new Enforcer({
    client: api.client,
    logger: pino({ level: 'silent' }),
    ruleset: { table: 'vibe-netpol', nodeAddresses: ['10.250.0.1'] },
    apply,
    debounceMs: 20,
    tableExists,
    checkEveryMs: 30,
  });
}

const web = pod('a/web', '10.244.0.10');
const deny = policy('a/deny', { podSelector: {}, policyTypes: ['Ingress'] });

describe('Enforcer', () => {
  it('writes the table once the caches are filled, then is healthy', async () => {
    const written: string[] = [];
    const api = fakeApi({ pods: [web], namespaces: [namespace('a')], policies: [deny] });
    const enforcer = enforcerFor(api, async (r) => void written.push(r));
    expect(enforcer.health().healthy).toBe(false);
    await enforcer.start();
    expect(written).toHaveLength(1);
    expect(written[0]).toContain('chain ingress-10.244.0.10');
    expect(enforcer.health()).toEqual({ healthy: true, detail: 'ok' });
    await enforcer.stop();
  });

  it('folds a burst of changes into one write, and skips changes that leave the table as it is', async () => {
    const written: string[] = [];
    const api = fakeApi({ pods: [web], namespaces: [namespace('a')] });
    const enforcer = enforcerFor(api, async (r) => void written.push(r));
    await enforcer.start();
    await vi.waitFor(() => expect(api.watching()).toBe(true));
    api.send('policies', 'ADDED', deny);
    api.send('pods', 'ADDED', pod('a/db', '10.244.0.11'));
    api.send('pods', 'MODIFIED', pod('a/db', '10.244.0.11', { labels: { app: 'db' } }));
    await vi.waitFor(() => expect(written).toHaveLength(2));
    expect(written[1]).toContain('ingress-10.244.0.11');

    api.send('namespaces', 'MODIFIED', namespace('a', { unrelated: 'label' }));
    await new Promise((r) => setTimeout(r, 100));
    expect(written).toHaveLength(2);

    api.send('policies', 'DELETED', deny);
    await vi.waitFor(() => expect(written).toHaveLength(3));
    expect(written[2]).not.toContain('ingress-');
    await enforcer.stop();
  });

  it('turns unhealthy when a write fails and retries until one succeeds', async () => {
    let failures = 2;
    const written: string[] = [];
    const api = fakeApi({ pods: [web], policies: [deny] });
    const enforcer = enforcerFor(api, async (r) => {
      if (failures-- > 0) throw new NetpolError('VIBE_NETPOL_NFT_REFUSED', 'nft refused the table');
      written.push(r);
    });
    await enforcer.start();
    expect(enforcer.health()).toEqual({
      healthy: false,
      detail: 'the last write failed: nft refused the table',
    });
    await vi.waitFor(() => expect(written).toHaveLength(1), { timeout: 10_000 });
    expect(enforcer.health().healthy).toBe(true);
    await enforcer.stop();
  });

  it('writes the table again when it disappears with the namespace', async () => {
    const written: string[] = [];
    let present = true;
    const api = fakeApi({ pods: [web], policies: [deny] });
    const enforcer = enforcerFor(
      api,
      async (r) => {
        written.push(r);
        present = true;
      },
      async () => present,
    );
    await enforcer.start();
    await new Promise((r) => setTimeout(r, 100));
    expect(written).toHaveLength(1);
    present = false;
    await vi.waitFor(() => expect(written).toHaveLength(2));
    expect(written[1]).toBe(written[0]);
    await enforcer.stop();
  });
});
