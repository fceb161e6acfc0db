import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { temporaryDirectory } from '../../../../test/support/temp-dir.js';
import { command } from './policy.js';

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
  it("prints the gate's violations, code and field, and exits 4", async () => {
    const { code, out } = await run(['check', file(HOSTILE), '--namespace', 'env-1', '-o', 'json']);
    expect(code).toBe(4);
    const printed = JSON.parse(out) as { violations: { code: string; field: string }[] };
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

  it('refuses a file kubectl would read differently, naming the field', async () => {
    const { code, err } = await run([
      'check',
      file('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {debug: on}\n'),
    ]);
    expect(code).toBe(4);
    expect(err).toMatch(/VIBE_MANIFEST_AMBIGUOUS: .*data\.debug/);
  });
});
