/**
 * `vibe policy check` and the operator's gate give the same verdict on the same manifests: the CLI
 * builds its checks from the operator's config through environment/planning/plan-checks.ts, and the operator's
 * wiring (main.ts) builds them the same way; both are run here on benign and hostile plans.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runChecks } from '../../agent/checks.js';
import { parseVibeEnvironmentSpec, type VibeEnvironment } from '../../api/vibe-environment.js';
import { loadConfig } from '../../config.js';
import { environmentNamespace, environmentSettings, planChecks } from '../../environment/index.js';
import { command } from './policy.js';

const dir = mkdtempSync(path.join(tmpdir(), 'vibe-parity-'));
const configFile = path.join(dir, 'operator.yaml');
writeFileSync(configFile, 'previewDomain: preview.test\nimageMirrors: docker.io/library/=localhost/vibe/\n');

const restricted = {
  automountServiceAccountToken: false,
  securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
  containers: [
    {
      name: 'web',
      image: 'docker.io/library/nginx:1.27',
      ports: [{ containerPort: 8080 }],
      securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
    },
  ],
};
const deployment = (podSpec: Record<string, unknown>) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web' },
  spec: {
    replicas: 1,
    selector: { matchLabels: { app: 'web' } },
    template: { metadata: { labels: { app: 'web' } }, spec: { ...restricted, ...podSpec } },
  },
});
const service = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'web' },
  spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] },
};
const ingress = {
  apiVersion: 'networking.k8s.io/v1',
  kind: 'Ingress',
  metadata: { name: 'web' },
  spec: {
    rules: [
      {
        host: 'anything.example.com',
        http: {
          paths: [
            { path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } },
          ],
        },
      },
    ],
  },
};

const plans: Record<string, { manifests: unknown[]; refused: boolean }> = {
  'a public web app (its Ingress host rewritten by the operator)': {
    manifests: [deployment({}), service, ingress],
    refused: false,
  },
  'a token Secret for an account': {
    manifests: [
      {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 't', annotations: { 'kubernetes.io/service-account.name': 'vibe-applier' } },
        type: 'kubernetes.io/service-account-token',
      },
    ],
    refused: true,
  },
  'a pod naming another account': {
    manifests: [deployment({ serviceAccountName: 'vibe-applier' })],
    refused: true,
  },
  'a projected token volume': {
    manifests: [
      deployment({
        volumes: [{ name: 't', projected: { sources: [{ serviceAccountToken: { path: 'token' } }] } }],
      }),
    ],
    refused: true,
  },
  'a RoleBinding': {
    manifests: [
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'RoleBinding',
        metadata: { name: 'grab' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'vibe-applier' },
        subjects: [{ kind: 'ServiceAccount', name: 'default' }],
      },
    ],
    refused: true,
  },
  'a NodePort Service': {
    manifests: [{ ...service, spec: { ...service.spec, type: 'NodePort' } }],
    refused: true,
  },
};

async function operatorVerdict(manifests: unknown[]) {
  const config = await loadConfig(['--config', configFile]);
  const { policy } = config;
  const settings = environmentSettings(config, undefined, policy);
  const env: VibeEnvironment = {
    apiVersion: 'vibe.dev/v1alpha1',
    kind: 'VibeEnvironment',
    metadata: { name: 'shop', namespace: 'team-a' },
    spec: parseVibeEnvironmentSpec({ intent: 'a shop' }),
  };
  const namespace = environmentNamespace(config.namespacePrefix, 'team-a', 'shop');
  const checks = planChecks({ policy, settings })(env, namespace, new AbortController().signal);
  return runChecks(checks, manifests as Record<string, unknown>[]);
}

async function cliVerdict(manifests: unknown[]) {
  const file = path.join(dir, `plan-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, JSON.stringify(manifests));
  let out = '';
  const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    out += String(chunk);
    return true;
  });
  const code = await command.run([
    'check',
    '--config',
    configFile,
    '--environment',
    'team-a/shop',
    '-o',
    'json',
    file,
  ]);
  write.mockRestore();
  return {
    code,
    violations: (JSON.parse(out) as { violations: { code: string; object?: string }[] }).violations,
  };
}

afterEach(() => vi.restoreAllMocks());

describe('vibe policy check and the operator', () => {
  it.each(Object.entries(plans))('give the same verdict on %s', async (_name, plan) => {
    const operator = await operatorVerdict(plan.manifests);
    const cli = await cliVerdict(plan.manifests);
    const codes = (list: { code: string; object?: string }[]) =>
      list.map((d) => `${d.code} ${d.object ?? ''}`);
    expect(codes(cli.violations)).toEqual(codes(operator.diagnostics));
    expect(cli.code === 0).toBe(operator.diagnostics.length === 0);
    expect(operator.diagnostics.length > 0).toBe(plan.refused);
  });
});
