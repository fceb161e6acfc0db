import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { temporaryDirectory } from '../../../../test/support/temp-dir.js';
import { RESERVED_OBJECTS } from '../../environment/isolation.js';
import { DEFAULT_POLICY, evaluatePolicy } from '../../policy/index.js';
import { command } from './policy.js';
import { readManifests } from './read-manifests.js';

const HOSTILE = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 1
  template:
    spec:
      serviceAccountName: vibe-applier
      volumes:
        - name: token
          projected:
            sources:
              - serviceAccountToken: { path: token }
      containers:
        - name: web
          image: ghcr.io/acme/web:1
          securityContext: { capabilities: { drop: [ALL] } }
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: vibe-default-deny
spec:
  podSelector: {}
  ingress:
    - from: [{ namespaceSelector: {} }]
`;

async function run(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => out.push(String(chunk)) > 0);
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => err.push(String(chunk)) > 0);
  const code = await command.run(args);
  vi.restoreAllMocks();
  return { code, out: out.join(''), err: err.join('') };
}

function file(text: string): string {
  const path = join(temporaryDirectory('vibe-policy-'), 'plan.yaml');
  writeFileSync(path, text);
  return path;
}

afterEach(() => vi.restoreAllMocks());

describe('vibe policy check', () => {
  it('gives the same verdict as the gate the operator runs', async () => {
    const { code, out } = await run(['check', file(HOSTILE), '--namespace', 'env-1', '-o', 'json']);
    const read = readManifests(HOSTILE);
    if (!read.ok) throw new Error(read.message);
    const direct = evaluatePolicy(read.manifests, DEFAULT_POLICY, {
      namespace: 'env-1',
      reservedObjects: RESERVED_OBJECTS,
    });
    expect(code).toBe(4);
    const printed = JSON.parse(out) as { violations: { code: string; field: string }[] };
    expect(printed.violations).toEqual(direct.violations);
    expect(printed.violations.map((v) => [v.code, v.field])).toEqual([
      ['VIBE_POLICY_SERVICE_ACCOUNT', 'spec.template.spec.serviceAccountName'],
      [
        'VIBE_POLICY_PROJECTED_TOKEN',
        'spec.template.spec.volumes[0].projected.sources[0].serviceAccountToken',
      ],
      ['VIBE_POLICY_RESERVED_OBJECT', 'metadata.name'],
      ['VIBE_POLICY_NETWORK_PEER', 'spec.ingress[0].from[0].namespaceSelector'],
    ]);
  });

  it('checks hosts against the preview hosts it is given', async () => {
    const ingress = `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: { name: web }
spec:
  rules:
    - host: shop.example.com
      http: { paths: [] }
`;
    const unbound = await run(['check', file(ingress)]);
    expect(unbound.code).toBe(0);
    const bound = await run(['check', file(ingress), '--preview-host', 'web-env.vibe.test']);
    expect(bound.code).toBe(4);
    expect(bound.out).toContain('VIBE_POLICY_INGRESS_HOST Ingress/web spec.rules[0].host');
  });

  it('refuses a file kubectl would read differently, naming the field', async () => {
    const { code, err } = await run([
      'check',
      file('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {debug: on}\n'),
    ]);
    expect(code).toBe(4);
    expect(err).toMatch(/VIBE_MANIFEST_AMBIGUOUS: .*data\.debug/);
  });
});
