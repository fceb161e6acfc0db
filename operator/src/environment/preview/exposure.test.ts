import { describe, expect, it } from 'vitest';
import { parseVibeEnvironmentSpec, type VibeEnvironment } from '../../api/vibe-environment.js';
import type { Manifest } from '../objects.js';
import { PreviewRouteError } from './ingress-route.js';
import { exposePreview, previewHost, previewUrl } from './exposure.js';

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

  it('labels the pods behind the preview as exposed, and only those', () => {
    const workload = (name: string): Manifest => ({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name },
      spec: { template: { metadata: { labels: { app: name } } } },
    });
    const selecting = (name: string): Manifest => ({
      ...service,
      metadata: { name },
      spec: { selector: { app: name } },
    });
    const plan = [workload('web'), workload('db'), selecting('web'), selecting('db'), ingress('web')];
    const labels = (out: Manifest[]) =>
      out
        .slice(0, 2)
        .map((m) => (m.spec as { template: { metadata: { labels: unknown } } }).template.metadata.labels);
    expect(labels(exposePreview(plan, env(), settings).manifests)).toEqual([
      { app: 'web', 'vibe.dev/preview-exposed': 'true' },
      { app: 'db' },
    ]);
    const gateway = { ...settings, gateway: { namespace: 'infra', name: 'preview', tls: false } };
    expect(labels(exposePreview(plan, env(), gateway).manifests)[0]).toEqual({
      app: 'web',
      'vibe.dev/preview-exposed': 'true',
    });
    expect(labels(exposePreview(plan, env({ enabled: false }), settings).manifests)[0]).toEqual({
      app: 'web',
    });
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

  describe('with a preview Gateway', () => {
    const gateway = { namespace: 'infra', name: 'preview', sectionName: 'http', tls: false };
    const viaGateway = { ...settings, gateway };
    const parentRefs = [
      {
        group: 'gateway.networking.k8s.io',
        kind: 'Gateway',
        namespace: 'infra',
        name: 'preview',
        sectionName: 'http',
      },
    ];
    const route = (name: string, spec: Record<string, unknown>): Manifest => ({
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: { name },
      spec,
    });

    it('turns each Ingress into an HTTPRoute of the same name on its preview host', () => {
      const out = exposePreview([service, ingress('web'), ingress('admin')], env(), viaGateway);
      expect(out.host).toBe('shop-team-a.vibe.localhost');
      expect(out.manifests.map((m) => m.kind)).toEqual(['Service', 'HTTPRoute', 'HTTPRoute']);
      const routes = out.manifests
        .filter((m) => m.kind === 'HTTPRoute')
        .map((m) => {
          const spec = m.spec as { hostnames: string[]; parentRefs: unknown; rules: unknown[] };
          return [m.metadata.name, spec.hostnames, spec.parentRefs, spec.rules.length];
        });
      expect(routes).toEqual([
        ['web', ['web.shop-team-a.vibe.localhost'], parentRefs, 1],
        ['admin', ['shop-team-a.vibe.localhost'], parentRefs, 1],
      ]);
    });

    it('pins the plan’s own HTTPRoutes to their preview host and the Gateway', () => {
      const own = route('api', { hostnames: ['other-env.vibe.localhost'], rules: [{}] });
      const out = exposePreview([service, own, ingress('web')], env(), viaGateway);
      expect(out.manifests[1]!.spec).toEqual({
        hostnames: ['shop-team-a.vibe.localhost'],
        parentRefs,
        rules: [{}],
      });
      expect((out.manifests[2]!.spec as { hostnames: string[] }).hostnames).toEqual([
        'web.shop-team-a.vibe.localhost',
      ]);
    });

    it('refuses an Ingress whose HTTPRoute name the plan already uses', () => {
      expect(() => exposePreview([ingress('web'), route('web', {})], env(), viaGateway)).toThrow(
        PreviewRouteError,
      );
    });

    it('names an http URL, or https when the Gateway terminates TLS', () => {
      expect(previewUrl('h.example', viaGateway)).toBe('http://h.example/');
      expect(
        previewUrl('h.example', { ...viaGateway, gateway: { ...gateway, tls: true }, urlPort: 8443 }),
      ).toBe('https://h.example:8443/');
    });

    it('drops Ingresses and HTTPRoutes when previews are disabled', () => {
      const disabled: VibeEnvironment = { ...env(), spec: { ...env().spec, preview: { enabled: false } } };
      const out = exposePreview([service, ingress('web'), route('api', {})], disabled, viaGateway);
      expect(out.manifests.map((m) => m.kind)).toEqual(['Service']);
      expect(out.host).toBeUndefined();
    });
  });

  it('leaves the plan’s HTTPRoutes alone when previews are Ingresses', () => {
    const own: Manifest = {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: { name: 'a' },
      spec: {},
    };
    const out = exposePreview([own, ingress('web')], env(), settings);
    expect(out.manifests[0]).toBe(own);
    expect(out.host).toBe('shop-team-a.vibe.localhost');
  });
});
