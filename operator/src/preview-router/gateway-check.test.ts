import { describe, expect, it } from 'vitest';
import { gatewayWarnings, type GatewayObject } from './gateway-check.js';

const gatewayWith = (...listeners: { name: string; from?: string }[]): GatewayObject => ({
  spec: {
    listeners: listeners.map((l) => ({
      name: l.name,
      ...(l.from ? { allowedRoutes: { namespaces: { from: l.from } } } : {}),
    })),
  },
});

describe('gatewayWarnings', () => {
  const ref = { namespace: 'infra', name: 'preview' };

  it('has nothing to say when a listener admits routes from other namespaces', () => {
    expect(gatewayWarnings(gatewayWith({ name: 'http', from: 'All' }), ref)).toEqual([]);
    expect(gatewayWarnings(gatewayWith({ name: 'a' }, { name: 'b', from: 'Selector' }), ref)).toEqual([]);
  });

  it('warns when the listeners admit routes of their own namespace only, the default', () => {
    const [warning] = gatewayWarnings(gatewayWith({ name: 'http' }, { name: 'https', from: 'Same' }), ref);
    expect(warning).toContain('Gateway infra/preview admits routes from its own namespace only');
    expect(warning).toContain('Set allowedRoutes.namespaces.from to All');
  });

  it('judges only the configured listener, and names a listener that is not there', () => {
    const gw = gatewayWith({ name: 'http', from: 'All' }, { name: 'internal' });
    expect(gatewayWarnings(gw, { ...ref, sectionName: 'internal' })).toHaveLength(1);
    expect(gatewayWarnings(gw, { ...ref, sectionName: 'https' })).toEqual([
      'Gateway infra/preview has no listener named https; set previewGatewaySection to one of its listeners.',
    ]);
  });
});
