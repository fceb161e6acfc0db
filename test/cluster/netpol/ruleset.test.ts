import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { compileRuleset, type RulesetOptions } from './ruleset.js';
import { namespace, pod, policy, state } from './test-fixtures.js';

const options: RulesetOptions = {
  table: 'vibe-netpol',
  nodeAddresses: ['10.250.0.1', '10.250.0.2', '10.244.0.1'],
};

const namespaces = [namespace('a'), namespace('b')];
const web = pod('a/web', '10.244.0.10', {
  labels: { app: 'web' },
  ports: [{ name: 'http', containerPort: 8080 }],
});
const client = pod('a/client', '10.244.0.11', { labels: { app: 'client' } });
const other = pod('b/other', '10.244.0.20');

describe('compileRuleset', () => {
  it('without policies: replies and the node pass, nothing else is looked at', () => {
    expect(compileRuleset(state({ namespaces, pods: [web, other] }), options)).toBe(
      [
        'table inet vibe-netpol {',
        '\tchain forward {',
        '\t\ttype filter hook forward priority filter; policy accept;',
        '\t\tct state established,related accept',
        '\t\tip saddr { 10.250.0.1, 10.250.0.2, 10.244.0.1 } accept',
        '\t}',
        '',
        '\tchain input {',
        '\t\ttype filter hook input priority filter; policy accept;',
        '\t\tct state established,related accept',
        '\t}',
        '}',
        '',
      ].join('\n'),
    );
  });

  it('sends isolated pods through their own chains: egress returns to let ingress decide, ingress accepts', () => {
    const text = compileRuleset(
      state({
        namespaces,
        pods: [web, client, other],
        policies: [
          policy('a/deny', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] }),
          policy('a/web', {
            podSelector: { matchLabels: { app: 'web' } },
            ingress: [
              { from: [{ podSelector: { matchLabels: { app: 'client' } } }], ports: [{ port: 'http' }] },
            ],
          }),
          policy('a/client', {
            podSelector: { matchLabels: { app: 'client' } },
            policyTypes: ['Egress'],
            egress: [
              { to: [{ podSelector: { matchLabels: { app: 'web' } } }], ports: [{ port: 'http' }] },
              {
                to: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8'] } }],
                ports: [{ protocol: 'UDP', port: 53 }],
              },
            ],
          }),
        ],
      }),
      options,
    );
    expect(text).toContain(
      [
        '\t\tip saddr { 10.250.0.1, 10.250.0.2, 10.244.0.1 } accept',
        '\t\tip saddr vmap { 10.244.0.10 : jump egress-10.244.0.10, 10.244.0.11 : jump egress-10.244.0.11 }',
        '\t\tip daddr vmap { 10.244.0.10 : jump ingress-10.244.0.10, 10.244.0.11 : jump ingress-10.244.0.11 }',
        '\t}',
        '',
        '\tchain input {',
        '\t\ttype filter hook input priority filter; policy accept;',
        '\t\tct state established,related accept',
        '\t\tip saddr vmap { 10.244.0.10 : jump egress-10.244.0.10, 10.244.0.11 : jump egress-10.244.0.11 }',
        '\t}',
      ].join('\n'),
    );
    expect(text).toContain(
      [
        '\tchain egress-10.244.0.11 {',
        '\t\tip daddr 10.244.0.10 tcp dport 8080 return comment "a/client egress[0]"',
        '\t\tip daddr { 0.0.0.0-9.255.255.255, 11.0.0.0-255.255.255.255 } udp dport 53 return comment "a/client egress[1]"',
        '\t\tdrop comment "a/client: no egress rule allows it"',
        '\t}',
      ].join('\n'),
    );
    expect(text).toContain(
      [
        '\tchain ingress-10.244.0.10 {',
        '\t\tip saddr 10.244.0.11 tcp dport 8080 accept comment "a/web ingress[0]"',
        '\t\tdrop comment "a/web: no ingress rule allows it"',
        '\t}',
      ].join('\n'),
    );
    expect(text).not.toContain('10.244.0.20');
  });

  it('writes one rule per protocol, and none for rules that can match nothing', () => {
    const text = compileRuleset(
      state({
        namespaces,
        pods: [web],
        policies: [
          policy('a/p', {
            podSelector: {},
            ingress: [
              { ports: [{ protocol: 'UDP' }, { port: 80, endPort: 89 }, { port: 443 }] },
              { from: [{ podSelector: { matchLabels: { app: 'nobody' } } }] },
              { ports: [{ port: 'no-such-port' }] },
              {},
            ],
          }),
        ],
      }),
      options,
    );
    expect(text).toContain(
      [
        '\tchain ingress-10.244.0.10 {',
        '\t\ttcp dport { 80-89, 443 } accept comment "a/p ingress[0]"',
        '\t\tmeta l4proto udp accept comment "a/p ingress[0]"',
        '\t\taccept comment "a/p ingress[3]"',
        '\t\tdrop comment "a/web: no ingress rule allows it"',
      ].join('\n'),
    );
  });

  it('leaves the node rule out when no node address is given', () => {
    expect(compileRuleset(state({}), { table: 't', nodeAddresses: [] })).not.toContain('saddr');
  });

  // nft checks a ruleset against the kernel without applying it; unshare gives it a network
  // namespace of its own, so the check touches nothing on the machine.
  const nftCheckable = spawnSync('unshare', ['-n', 'nft', '--version']).status === 0;
  it.runIf(nftCheckable)('produces a table nft accepts', () => {
    const text = compileRuleset(
      state({
        namespaces,
        pods: [web, client, other],
        policies: [
          policy('a/p', {
            podSelector: {},
            ingress: [
              {
                from: [{ ipBlock: { cidr: '10.0.0.0/8', except: ['10.244.0.0/16'] } }],
                ports: [{ protocol: 'SCTP', port: 9 }],
              },
            ],
            egress: [{ to: [{ namespaceSelector: {} }], ports: [{ port: 'http' }, { protocol: 'UDP' }] }, {}],
          }),
        ],
      }),
      options,
    );
    const check = spawnSync('unshare', ['-n', 'nft', '-c', '-f', '-'], { input: text, encoding: 'utf8' });
    expect(check.stderr).toBe('');
    expect(check.status).toBe(0);
  });
});
