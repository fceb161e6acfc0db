import { describe, expect, it } from 'vitest';
import { parseVibeEnvironmentSpec, type VibeEnvironment } from '../api/vibe-environment.js';
import type { Manifest } from './planner.js';
import { exposePreview, previewHost, previewUrl } from './preview.js';

const settings = {
  ingressClassName: 'vibe',
  hostTemplate: '{name}-{namespace}.{previewDomain}',
  previewDomain: 'vibe.localhost',
};

function env(preview: Record<string, unknown> = {}): VibeEnvironment {
  return {
    apiVersion: 'vibe.dev/v1alpha1',
    kind: 'VibeEnvironment',
    metadata: { name: 'shop', namespace: 'team-a' },
    spec: parseVibeEnvironmentSpec({ intent: 'x', preview: { enabled: true, ...preview } }),
  };
}

const ingress = (name: string): Manifest => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'Ingress',
  metadata: { name },
  spec: {
    rules: [{ http: { paths: [{ path: '/', backend: { service: { name, port: { number: 8080 } } } }] } }],
  },
});
const service: Manifest = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' } };

describe('preview', () => {
  it('fills the host template', () => {
    expect(previewHost(env(), settings)).toBe('shop-team-a.vibe.localhost');
    expect(previewHost(env({ host: 'demo.example.com' }), settings)).toBe('demo.example.com');
  });

  it('points the Ingresses at the preview host and class and names the URL', () => {
    const out = exposePreview([service, ingress('web'), ingress('admin')], env(), settings);
    expect(out.host).toBe('shop-team-a.vibe.localhost');
    expect(previewUrl(out.host!, { ...settings, urlPort: 8088 })).toBe(
      'http://shop-team-a.vibe.localhost:8088/',
    );
    const hosts = out.manifests
      .filter((m) => m.kind === 'Ingress')
      .map((m) => {
        const spec = m.spec as { ingressClassName: string; rules: Array<{ host: string }> };
        return [m.metadata.name, spec.ingressClassName, spec.rules[0]!.host];
      });
    expect(hosts).toEqual([
      ['web', 'vibe', 'web.shop-team-a.vibe.localhost'],
      ['admin', 'vibe', 'shop-team-a.vibe.localhost'],
    ]);
  });

  it('adds TLS and an https URL when a secret is configured', () => {
    const tls = { ...settings, tlsSecretName: 'wildcard' };
    const out = exposePreview([ingress('web')], env(), tls);
    expect(previewUrl(out.host!, tls)).toBe('https://shop-team-a.vibe.localhost/');
    expect((out.manifests[0]!.spec as { tls: unknown }).tls).toEqual([
      { hosts: ['shop-team-a.vibe.localhost'], secretName: 'wildcard' },
    ]);
  });

  it('drops Ingresses when previews are disabled, and has no URL', () => {
    const disabled: VibeEnvironment = { ...env(), spec: { ...env().spec, preview: { enabled: false } } };
    const out = exposePreview([service, ingress('web')], disabled, settings);
    expect(out.manifests.map((m) => m.kind)).toEqual(['Service']);
    expect(out.host).toBeUndefined();
  });
});
