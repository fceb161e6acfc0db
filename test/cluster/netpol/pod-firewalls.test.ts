import { describe, expect, it } from 'vitest';
import { parseIPv4Cidr } from './ipv4.js';
import { podFirewalls, type PodFirewall } from './pod-firewalls.js';
import { union } from './ranges.js';
import { ip, namespace, pod, policy, state } from './test-fixtures.js';

const namespaces = [namespace('a', { team: 'blue' }), namespace('b', { team: 'blue' }), namespace('c')];
const pods = [
  pod('a/web', '10.244.0.10', { labels: { app: 'web' }, ports: [{ name: 'http', containerPort: 8080 }] }),
  pod('a/db', '10.244.0.11', { labels: { app: 'db' }, ports: [{ name: 'pg', containerPort: 5432 }] }),
  pod('b/web', '10.244.0.20', { labels: { app: 'web' }, ports: [{ name: 'http', containerPort: 9090 }] }),
  pod('b/job', '10.244.0.21', { labels: { app: 'job' } }),
  pod('c/web', '10.244.0.30', { labels: { app: 'web' } }),
];

function firewalls(...policies: Parameters<typeof policy>[]): Map<string, PodFirewall> {
  const result = podFirewalls(state({ namespaces, pods, policies: policies.map((p) => policy(...p)) }));
  return new Map(result.map((f) => [f.endpoint.key, f]));
}

/** The ingress allowances of a.web under a single policy with these ingress rules. */
function webIngress(ingress: NonNullable<Parameters<typeof policy>[1]['ingress']>) {
  return firewalls(['a/p', { podSelector: { matchLabels: { app: 'web' } }, ingress }]).get('a/web')!.ingress!;
}

describe('which pods a policy isolates', () => {
  it('none without policies: everything is allowed', () => {
    expect(firewalls().size).toBe(0);
  });

  it('every pod of its own namespace with an empty podSelector, and none elsewhere', () => {
    const result = firewalls(['a/deny', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] }]);
    expect([...result.keys()]).toEqual(['a/web', 'a/db']);
    expect(result.get('a/web')).toMatchObject({ ingress: [], egress: [] });
  });

  it('only the pods its podSelector matches, with matchExpressions', () => {
    const result = firewalls([
      'b/p',
      { podSelector: { matchExpressions: [{ key: 'app', operator: 'NotIn', values: ['job'] }] } },
    ]);
    expect([...result.keys()]).toEqual(['b/web']);
  });

  it('for ingress only when policyTypes is absent and there are no egress rules', () => {
    const f = firewalls(['a/p', { podSelector: {}, ingress: [{}], egress: [] }]).get('a/web')!;
    expect(f.ingress).toHaveLength(1);
    expect(f.egress).toBeUndefined();
  });

  it('for both directions when policyTypes is absent and there are egress rules', () => {
    const f = firewalls(['a/p', { podSelector: {}, egress: [{}] }]).get('a/web')!;
    expect(f.ingress).toEqual([]);
    expect(f.egress).toHaveLength(1);
  });

  it('in the directions policyTypes names, ignoring rules of the other direction', () => {
    const f = firewalls(['a/p', { podSelector: {}, policyTypes: ['Egress'], ingress: [{}] }]).get('a/web')!;
    expect(f.ingress).toBeUndefined();
    expect(f.egress).toEqual([]);
  });

  it('takes the union of every policy that selects the pod, in namespace/name order', () => {
    const f = firewalls(
      ['a/z-allow-web', { podSelector: {}, ingress: [{ ports: [{ port: 80 }] }] }],
      ['a/a-deny', { podSelector: {}, policyTypes: ['Ingress'] }],
      ['a/m-allow-db', { podSelector: {}, ingress: [{ ports: [{ port: 5432 }] }] }],
    ).get('a/web')!;
    expect(f.ingress!.map((a) => a.origin)).toEqual(['a/m-allow-db ingress[0]', 'a/z-allow-web ingress[0]']);
  });

  it('leaves out finished and host-network pods, whose addresses are not theirs', () => {
    const done = pod('a/done', '10.244.0.40', { phase: 'Succeeded' });
    const host = pod('a/host', '10.250.0.1');
    host.spec!.hostNetwork = true;
    const result = podFirewalls(
      state({ namespaces, pods: [done, host], policies: [policy('a/deny', { podSelector: {} })] }),
    );
    expect(result).toEqual([]);
  });
});

describe('peers', () => {
  it('an empty rule allows everything, as does an empty from list', () => {
    expect(webIngress([{}])).toEqual([{ origin: 'a/p ingress[0]', peers: 'any', ports: 'any' }]);
    expect(webIngress([{ from: [] }])[0]).toMatchObject({ peers: 'any', ports: 'any' });
  });

  it('an empty rule list allows nothing', () => {
    expect(webIngress([])).toEqual([]);
  });

  it('podSelector alone: matching pods of the policy namespace only', () => {
    expect(webIngress([{ from: [{ podSelector: { matchLabels: { app: 'db' } } }] }])[0]!.peers).toEqual([
      ip('10.244.0.11'),
    ]);
    expect(webIngress([{ from: [{ podSelector: {} }] }])[0]!.peers).toEqual([
      [ip('10.244.0.10')[0], ip('10.244.0.11')[1]],
    ]);
  });

  it('namespaceSelector alone: every pod of the matching namespaces', () => {
    const peers = webIngress([{ from: [{ namespaceSelector: { matchLabels: { team: 'blue' } } }] }])[0]!
      .peers;
    expect(peers).toEqual([
      [ip('10.244.0.10')[0], ip('10.244.0.11')[1]],
      [ip('10.244.0.20')[0], ip('10.244.0.21')[1]],
    ]);
    const everyone = webIngress([{ from: [{ namespaceSelector: {} }] }])[0]!.peers;
    expect(everyone).toHaveLength(3);
  });

  it('both in one peer: the matching pods of the matching namespaces', () => {
    const peers = webIngress([
      {
        from: [
          {
            namespaceSelector: { matchExpressions: [{ key: 'team', operator: 'Exists' }] },
            podSelector: { matchLabels: { app: 'web' } },
          },
        ],
      },
    ])[0]!.peers;
    expect(peers).toEqual([ip('10.244.0.10'), ip('10.244.0.20')]);
  });

  it('as two peers: either one (the union, not the intersection)', () => {
    const peers = webIngress([
      {
        from: [
          { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'c' } } },
          { podSelector: { matchLabels: { app: 'db' } } },
        ],
      },
    ])[0]!.peers;
    expect(peers).toEqual([ip('10.244.0.11'), ip('10.244.0.30')]);
  });

  it('ipBlock: the CIDR minus its except blocks', () => {
    const peers = webIngress([
      { from: [{ ipBlock: { cidr: '10.244.0.0/24', except: ['10.244.0.16/28', '10.244.0.128/25'] } }] },
    ])[0]!.peers;
    const cidr = (c: string) => parseIPv4Cidr(c)!;
    expect(peers).toEqual([
      [cidr('10.244.0.0/28')[0], cidr('10.244.0.0/28')[1]],
      [cidr('10.244.0.32/27')[0], cidr('10.244.0.64/26')[1]],
    ]);
  });

  it('an IPv6 ipBlock matches nothing, and a peer naming nothing matches nothing', () => {
    expect(webIngress([{ from: [{ ipBlock: { cidr: 'fd00::/8' } }, {}] }])[0]!.peers).toEqual([]);
  });

  it('a namespace not seen yet still has its name label', () => {
    const result = podFirewalls(
      state({
        pods: [pod('a/web', '10.244.0.10'), pod('new/x', '10.244.0.50')],
        policies: [
          policy('a/p', {
            podSelector: {},
            ingress: [
              { from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'new' } } }] },
            ],
          }),
        ],
      }),
    );
    expect(result[0]!.ingress![0]!.peers).toEqual([ip('10.244.0.50')]);
  });
});

describe('ports', () => {
  it('default to TCP, merge per protocol, take endPort ranges and port-less protocols', () => {
    const [allowance] = webIngress([
      {
        ports: [
          { port: 80 },
          { protocol: 'TCP', port: 8000, endPort: 8100 },
          { protocol: 'TCP', port: 8050 },
          { protocol: 'UDP', port: 53 },
          { protocol: 'SCTP' },
        ],
      },
    ]);
    expect(allowance!.ports).toEqual(
      new Map<string, unknown>([
        ['SCTP', 'all'],
        [
          'TCP',
          [
            [80, 80],
            [8000, 8100],
          ],
        ],
        ['UDP', [[53, 53]]],
      ]),
    );
  });

  it('a named ingress port is the destination pod’s own number', () => {
    const f = firewalls(['a/p', { podSelector: {}, ingress: [{ ports: [{ port: 'http' }] }] }]);
    expect(f.get('a/web')!.ingress![0]!.ports).toEqual(new Map([['TCP', [[8080, 8080]]]]));
  });

  it('a named port the pod lacks, or has under another protocol, allows nothing (not every port)', () => {
    const f = firewalls([
      'a/p',
      { podSelector: {}, ingress: [{ ports: [{ port: 'http' }, { protocol: 'UDP', port: 'pg' }] }] },
    ]);
    expect(f.get('a/db')!.ingress![0]!.ports).toEqual(new Map());
  });

  it('a named egress port resolves per destination pod, and never to a non-pod address', () => {
    const f = firewalls([
      'c/p',
      {
        podSelector: {},
        policyTypes: ['Egress'],
        egress: [
          {
            to: [
              { namespaceSelector: { matchLabels: { team: 'blue' } } },
              { ipBlock: { cidr: '192.168.0.0/16' } },
            ],
            ports: [{ port: 'http' }, { port: 443 }],
          },
        ],
      },
    ]);
    const egress = f.get('c/web')!.egress!;
    expect(egress).toEqual([
      {
        origin: 'c/p egress[0]',
        peers: union([
          [ip('10.244.0.10')[0], ip('10.244.0.11')[1]],
          [ip('10.244.0.20')[0], ip('10.244.0.21')[1]],
          parseIPv4Cidr('192.168.0.0/16')!,
        ]),
        ports: new Map([['TCP', [[443, 443]]]]),
      },
      { origin: 'c/p egress[0]', peers: [ip('10.244.0.10')], ports: new Map([['TCP', [[8080, 8080]]]]) },
      { origin: 'c/p egress[0]', peers: [ip('10.244.0.20')], ports: new Map([['TCP', [[9090, 9090]]]]) },
    ]);
  });

  it('a named egress port with no peers resolves on every pod that has it', () => {
    const f = firewalls([
      'c/p',
      { podSelector: {}, policyTypes: ['Egress'], egress: [{ ports: [{ port: 'pg' }] }] },
    ]);
    expect(f.get('c/web')!.egress).toEqual([
      { origin: 'c/p egress[0]', peers: [ip('10.244.0.11')], ports: new Map([['TCP', [[5432, 5432]]]]) },
    ]);
  });
});
