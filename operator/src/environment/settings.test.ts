import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { temporaryDirectory } from '../../../test/support/temp-dir.js';
import { parseVibeEnvironmentSpec, type VibeEnvironment } from '../api/vibe-environment.js';
import { loadConfig } from '../config.js';
import { DEFAULT_POLICY } from '../policy/index.js';
import { isolationObjects } from './cluster/index.js';
import { environmentSettings } from './settings.js';

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
    const policy = { ...DEFAULT_POLICY, allowedKinds: kinds };
    expect(environmentSettings(config, undefined, policy).isolation.allowedKinds).toEqual(kinds);
  });

  it("gives the namespace's LimitRange the policy document's default container resources", async () => {
    const dir = temporaryDirectory('vibe-settings-');
    const policyFile = path.join(dir, 'policy.yaml');
    writeFileSync(
      policyFile,
      'apiVersion: policy.vibe.dev/v1alpha1\ndefaultResources:\n  requests: {cpu: 250m, memory: 96Mi}\n  limits: {cpu: "1", memory: 1Gi}\n',
    );
    const config = await loadConfig(['--policy-file', policyFile], {});
    const settings = environmentSettings(config, undefined, config.policy);
    const env: VibeEnvironment = {
      apiVersion: 'vibe.dev/v1alpha1',
      kind: 'VibeEnvironment',
      metadata: { name: 'shop', namespace: 'team-a' },
      spec: parseVibeEnvironmentSpec({ intent: 'a web app' }),
    };
    const limits = isolationObjects(env, 'vibe-team-a-shop', settings.isolation).find(
      (o) => o.kind === 'LimitRange',
    );
    expect(limits?.spec).toEqual({
      limits: [
        {
          type: 'Container',
          defaultRequest: { cpu: '250m', memory: '96Mi' },
          default: { cpu: '1', memory: '1Gi' },
        },
      ],
    });
    const builtIn = environmentSettings(await loadConfig([], {}), undefined).isolation.containerDefaults;
    expect(builtIn).toEqual({
      cpuRequest: DEFAULT_POLICY.defaultResources.requests.cpu,
      memoryRequest: DEFAULT_POLICY.defaultResources.requests.memory,
      cpuLimit: DEFAULT_POLICY.defaultResources.limits.cpu,
      memoryLimit: DEFAULT_POLICY.defaultResources.limits.memory,
    });
  });
});
