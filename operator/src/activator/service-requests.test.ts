import { describe, expect, it } from 'vitest';
import {
  isActivatorService,
  namespaceOfService,
  requestTotals,
  servicesWithRequests,
} from './service-requests.js';

describe('requestTotals', () => {
  it('sums each service over codes and methods, leaving out unlabelled and non-finite samples', () => {
    const totals = requestTotals([
      { labels: { service: 'a@kubernetes', code: '200' }, value: 5 },
      { labels: { service: 'a@kubernetes', code: '404' }, value: 2 },
      { labels: { service: 'b@kubernetes' }, value: 1 },
      { labels: { code: '200' }, value: 9 },
      { labels: { service: 'c@kubernetes' }, value: NaN },
    ]);
    expect([...totals]).toEqual([
      ['a@kubernetes', 7],
      ['b@kubernetes', 1],
    ]);
  });
});

describe('servicesWithRequests', () => {
  const before = new Map([
    ['a', 7],
    ['b', 1],
    ['c', 4],
  ]);

  it('takes the first read as a baseline', () => {
    expect(servicesWithRequests(undefined, before)).toEqual([]);
  });

  it('names services whose count rose, new services with requests, and restarted counters', () => {
    const now = new Map([
      ['a', 9],
      ['b', 1],
      ['c', 2],
      ['d', 3],
      ['e', 0],
    ]);
    expect(servicesWithRequests(before, now)).toEqual(['a', 'c', 'd']);
  });

  it('names nothing when nothing changed or a service vanished', () => {
    expect(servicesWithRequests(before, new Map([['a', 7]]))).toEqual([]);
  });
});

describe('namespaceOfService', () => {
  const namespaces = ['vibe-t-web', 'vibe-t-web-api', 'other'];

  it('finds the namespace of an Ingress service, the longest that fits', () => {
    expect(namespaceOfService('vibe-t-web-web-80@kubernetes', namespaces)).toBe('vibe-t-web');
    expect(namespaceOfService('vibe-t-web-api-api-8080@kubernetes', namespaces)).toBe('vibe-t-web-api');
    expect(namespaceOfService('vibe-t-web-vibe-activator-80@kubernetes', namespaces)).toBe('vibe-t-web');
  });

  it('finds the namespace of an HTTPRoute service', () => {
    expect(
      namespaceOfService(
        'httproute-vibe-t-web-web-gw-traefik-preview-ep-web-0-1c0cf64bde37d9d0a311@kubernetesgateway',
        namespaces,
      ),
    ).toBe('vibe-t-web');
  });

  it('names no namespace for other providers, unknown namespaces or a bare prefix', () => {
    expect(namespaceOfService('vibe-t-web-web-80@file', namespaces)).toBeUndefined();
    expect(namespaceOfService('ping@internal', namespaces)).toBeUndefined();
    expect(namespaceOfService('vibe-z-web-web-80@kubernetes', namespaces)).toBeUndefined();
    expect(namespaceOfService('vibe-t-web@kubernetes', namespaces)).toBeUndefined();
  });
});

describe('isActivatorService', () => {
  it("tells the activator's route from the environment's own services", () => {
    expect(isActivatorService('vibe-t-web-vibe-activator-80@kubernetes', 'vibe-t-web')).toBe(true);
    expect(isActivatorService('vibe-t-web-web-80@kubernetes', 'vibe-t-web')).toBe(false);
    expect(isActivatorService('vibe-t-web-vibe-activator-80@kubernetes', 'vibe-t')).toBe(false);
  });
});
