import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { manifestsDigest, runChecks } from '../../agent/checks.js';
import { parseVibeEnvironmentSpec, type VibeEnvironment } from '../../api/vibe-environment.js';
import { DEFAULT_POLICY } from '../../policy/index.js';
import type { StoredPlan } from './attempt-store.js';
import { uncheckedPlanError } from './checked-plan.js';
import { planRewrite } from './plan-rewrite.js';

const env: VibeEnvironment = {
  apiVersion: 'vibe.dev/v1alpha1',
  kind: 'VibeEnvironment',
  metadata: { name: 'shop', namespace: 'team-a' },
  spec: parseVibeEnvironmentSpec({ intent: 'x' }),
};
const settings = {
  preview: {
    ingressClassName: 'vibe',
    hostTemplate: '{name}-{namespace}.{previewDomain}',
    previewDomain: 'vibe.test',
  },
  imageMirrors: [{ from: 'docker.io/library/', to: 'localhost/vibe/' }],
  nodeImagePrefixes: ['localhost/'],
};
const rewrite = planRewrite(env, settings);

const ingress = {
  apiVersion: 'networking.k8s.io/v1',
  kind: 'Ingress',
  metadata: { name: 'web' },
  spec: {
    rules: [
      {
        host: 'someone-else.vibe.test',
        http: {
          paths: [
            { path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } },
          ],
        },
      },
    ],
  },
};
const pod = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web' },
  spec: { containers: [{ name: 'web', image: 'docker.io/library/nginx:1.27' }] },
};

describe('the rewrites before the gates', () => {
  it('sets the preview host, mirrors images and keeps node images local, before the policy gate sees them', async () => {
    const gates: { gate: string }[] = [];
    const checked = await runChecks(
      { policy: DEFAULT_POLICY, namespace: 'vibe-team-a-shop', rewrite },
      [ingress],
      gates as never,
    );
    expect(gates.map((g) => g.gate)).toEqual(['preview', 'policy']);
    const out = rewrite([ingress, pod]).manifests as Array<{ kind: string; spec: unknown }>;
    const rules = (out.find((m) => m.kind === 'Ingress')!.spec as { rules: { host: string }[] }).rules;
    expect(rules.map((r) => r.host)).toEqual(['shop-team-a.vibe.test']);
    const container = (out.find((m) => m.kind === 'Pod')!.spec as { containers: Record<string, string>[] })
      .containers[0]!;
    expect(container).toMatchObject({ image: 'localhost/vibe/nginx:1.27', imagePullPolicy: 'IfNotPresent' });
    if (checked.diagnostics.length === 0)
      expect(checked.checkedSha256).toBe(manifestsDigest(checked.manifests));
  });

  it('passes output it cannot read to the policy gate untouched instead of throwing', () => {
    const hostile = [
      null,
      'text',
      {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'Ingress',
        metadata: { name: 'x' },
        spec: { rules: 'all' },
      },
      {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'p' },
        spec: { containers: 7, initContainers: [null] },
      },
    ] as unknown as Record<string, unknown>[];
    const out = rewrite(hostile);
    expect(out.diagnostics).toEqual([]);
    expect(out.manifests).toHaveLength(4);
    expect(out.manifests).toContainEqual(hostile[2]);
  });

  it('reads no Service ports that are not objects when it resolves a named Ingress port', () => {
    const gateway = {
      ...settings,
      preview: { ...settings.preview, gateway: { namespace: 'gw', name: 'p', tls: false } },
    };
    const named = structuredClone(ingress);
    named.spec.rules[0]!.http.paths[0]!.backend = {
      service: { name: 'web', port: { name: 'http' } },
    } as never;
    const service = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { ports: 5 } };
    const out = planRewrite(env, gateway)([service, named]);
    expect(out.diagnostics).toEqual([
      expect.objectContaining({
        gate: 'preview',
        code: 'VIBE_PREVIEW_PORT_UNRESOLVED',
        object: 'Ingress/web',
      }),
    ]);
  });

  it('turns an Ingress it cannot route into a preview diagnostic naming the field', () => {
    const gateway = {
      ...settings,
      preview: { ...settings.preview, gateway: { namespace: 'gw', name: 'previews', tls: false } },
    };
    const noBackend = structuredClone(ingress);
    noBackend.spec.rules[0]!.http.paths[0]!.backend = {} as never;
    const out = planRewrite(env, gateway)([noBackend]);
    expect(out.diagnostics).toEqual([
      expect.objectContaining({
        gate: 'preview',
        code: 'VIBE_PREVIEW_BACKEND_UNSUPPORTED',
        object: 'Ingress/web',
      }),
    ]);
  });
});

describe('the rewrites on arbitrary output', () => {
  const gateway = {
    ...settings,
    preview: { ...settings.preview, gateway: { namespace: 'gw', name: 'previews', tls: false } },
  };
  const manifest = fc.record({
    apiVersion: fc.constantFrom('v1', 'networking.k8s.io/v1', 'apps/v1', 'gateway.networking.k8s.io/v1'),
    kind: fc.constantFrom('Ingress', 'Service', 'Pod', 'Deployment', 'HTTPRoute', 'CronJob'),
    metadata: fc.oneof(fc.record({ name: fc.string() }), fc.anything()),
    spec: fc.anything(),
  });

  it('never throws, with Ingresses or with a Gateway, and keeps every object', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(manifest, fc.anything()), { maxLength: 6 }), (output) => {
        for (const rewrite of [planRewrite(env, settings), planRewrite(env, gateway)]) {
          const out = rewrite(output as Record<string, unknown>[]);
          if (out.diagnostics.length === 0) expect(out.manifests).toHaveLength(output.length);
          else expect(out.diagnostics[0]!.gate).toBe('preview');
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('uncheckedPlanError', () => {
  const manifests = [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' }, data: { x: '1' } }];
  const plan: StoredPlan = {
    hash: 'h',
    inputs: 'i',
    attempt: 1,
    script: '',
    manifests,
    checkedSha256: manifestsDigest(manifests),
  };

  it('lets the checked manifests through', () => {
    expect(
      uncheckedPlanError(plan, {
        attempt: 1,
        author: 'a',
        diagnostics: [],
        checkedSha256: plan.checkedSha256,
      }),
    ).toBeUndefined();
  });

  it('refuses manifests changed after the checks, or a plan without a hash', () => {
    const edited = { ...plan, manifests: [{ ...manifests[0]!, data: { x: '2' } }] };
    expect(uncheckedPlanError(edited, undefined)?.code).toBe('VIBE_APPLY_UNCHECKED_MANIFESTS');
    const { checkedSha256: _, ...unhashed } = plan;
    expect(uncheckedPlanError(unhashed, undefined)?.message).toContain('carries no hash');
    const otherAttempt = { attempt: 1, author: 'a', diagnostics: [], checkedSha256: 'f'.repeat(64) };
    expect(uncheckedPlanError(plan, otherAttempt)?.message).toContain('attempt 1');
  });
});
