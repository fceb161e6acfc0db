import { describe, expect, it } from 'vitest';
import { endpointsOf } from './cluster-state.js';
import { namespace, pod, state } from './test-fixtures.js';

describe('endpointsOf', () => {
  it('keeps pods with an IPv4 address, sorted by address, with their namespace labels', () => {
    const endpoints = endpointsOf(
      state({
        namespaces: [namespace('a', { team: 'blue' })],
        pods: [pod('a/two', '10.244.0.9'), pod('a/one', '10.244.0.10'), pod('b/three', '10.244.0.2')],
      }),
    );
    expect(endpoints.map((e) => [e.key, e.address])).toEqual([
      ['b/three', '10.244.0.2'],
      ['a/two', '10.244.0.9'],
      ['a/one', '10.244.0.10'],
    ]);
    expect(endpoints[1]!.namespaceLabels).toEqual({ 'kubernetes.io/metadata.name': 'a', team: 'blue' });
    expect(endpoints[0]!.namespaceLabels).toEqual({ 'kubernetes.io/metadata.name': 'b' });
  });

  it('leaves out pods without an address, with only IPv6, finished, or on the host network', () => {
    const pending = pod('a/pending', '10.244.0.1');
    pending.status = { phase: 'Pending' };
    const v6 = pod('a/v6', 'fd00::5');
    const failed = pod('a/failed', '10.244.0.3', { phase: 'Failed' });
    const host = pod('a/host', '10.250.0.1');
    host.spec!.hostNetwork = true;
    expect(endpointsOf(state({ pods: [pending, v6, failed, host] }))).toEqual([]);
  });

  it('takes the IPv4 address of a dual-stack pod', () => {
    const dual = pod('a/dual', 'fd00::5');
    dual.status!.podIPs = [{ ip: 'fd00::5' }, { ip: '10.244.0.5' }];
    expect(endpointsOf(state({ pods: [dual] }))[0]!.address).toBe('10.244.0.5');
  });

  it('gives an address two pods report to the one not being deleted, else the newer', () => {
    const old = pod('a/old', '10.244.0.7');
    old.metadata!.deletionTimestamp = new Date('2026-01-01T00:00:10Z');
    old.metadata!.creationTimestamp = new Date('2026-01-01T00:00:00Z');
    const successor = pod('b/successor', '10.244.0.7');
    successor.metadata!.creationTimestamp = new Date('2026-01-01T00:00:05Z');
    expect(endpointsOf(state({ pods: [successor, old] })).map((e) => e.key)).toEqual(['b/successor']);
    expect(endpointsOf(state({ pods: [old, successor] })).map((e) => e.key)).toEqual(['b/successor']);

    const older = pod('a/older', '10.244.0.8');
    older.metadata!.creationTimestamp = new Date('2026-01-01T00:00:00Z');
    const newer = pod('b/newer', '10.244.0.8');
    newer.metadata!.creationTimestamp = new Date('2026-01-01T00:01:00Z');
    expect(endpointsOf(state({ pods: [newer, older] })).map((e) => e.key)).toEqual(['b/newer']);
  });

  it('collects named ports of containers and init containers, TCP unless said otherwise', () => {
    const p = pod('a/web', '10.244.0.5', {
      ports: [
        { name: 'http', containerPort: 8080 },
        { name: 'dns', containerPort: 53, protocol: 'UDP' },
      ],
    });
    p.spec!.containers[0]!.ports!.push({ containerPort: 9000 });
    p.spec!.initContainers = [
      { name: 'proxy', restartPolicy: 'Always', ports: [{ name: 'proxy', containerPort: 15001 }] },
    ];
    expect(endpointsOf(state({ pods: [p] }))[0]!.ports).toEqual([
      { name: 'proxy', protocol: 'TCP', port: 15001 },
      { name: 'http', protocol: 'TCP', port: 8080 },
      { name: 'dns', protocol: 'UDP', port: 53 },
    ]);
  });
});
