import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config.js';
import { environmentSettings } from './settings.js';
import { DEFAULT_POLICY } from '../policy/index.js';

describe('environmentSettings', () => {
  it('has no preview Gateway unless one is configured', async () => {
    const settings = environmentSettings(await loadConfig([], {}), undefined);
    expect(settings.preview.gateway).toBeUndefined();
    expect(Object.isFrozen(settings)).toBe(true);
  });

  it('carries the preview Gateway, its listener and TLS, and the router port for URLs', async () => {
    const config = await loadConfig(
      ['--preview-gateway', 'infra/preview', '--preview-gateway-section', 'https', '--preview-gateway-tls'],
      {},
    );
    const settings = environmentSettings(config, 'http://127.0.0.1:8088');
    expect(settings.preview).toMatchObject({
      gateway: { namespace: 'infra', name: 'preview', sectionName: 'https', tls: true },
      urlPort: 8088,
    });
  });

  it("admits an in-cluster controller's pods, the node's router, or nobody to exposed pods", async () => {
    const controller = await loadConfig(
      [
        '--preview-controller-namespace',
        'traefik',
        '--preview-controller-labels',
        'app.kubernetes.io/name=traefik',
      ],
      {},
    );
    expect(environmentSettings(controller, undefined).isolation.previewIngress).toEqual({
      namespaceSelector: { 'kubernetes.io/metadata.name': 'traefik' },
      podSelector: { 'app.kubernetes.io/name': 'traefik' },
    });
    const anyPod = await loadConfig(['--preview-controller-namespace', 'ingress'], {});
    expect(environmentSettings(anyPod, undefined).isolation.previewIngress).toEqual({
      namespaceSelector: { 'kubernetes.io/metadata.name': 'ingress' },
    });
    const router = await loadConfig(['--preview-router'], {});
    expect(environmentSettings(router, undefined).isolation.previewIngress).toBe('host-network');
    expect(environmentSettings(await loadConfig([], {}), undefined).isolation.previewIngress).toBeUndefined();
  });

  it("lets the applier Role write the kinds the operator's policy allows", async () => {
    const config = await loadConfig([], {});
    expect(environmentSettings(config, undefined).isolation.allowedKinds).toEqual(
      DEFAULT_POLICY.allowedKinds,
    );
    const kinds = ['apps/v1/Deployment', 'v1/Service', 'monitoring.coreos.com/v1/ServiceMonitor'];
    expect(environmentSettings(config, undefined, kinds).isolation.allowedKinds).toEqual(kinds);
  });
});
