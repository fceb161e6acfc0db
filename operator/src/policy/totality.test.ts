/**
 * The gate is a total function: whatever it is given, it returns a verdict with coded violations
 * and never throws, hangs or changes its input. fast-check generates the inputs.
 */
import fc from 'fast-check';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { readManifests } from '../cli/tools/read-manifests.js';
import { DEFAULT_POLICY } from './document.js';
import { evaluatePolicy, type PolicyResult } from './evaluate.js';

type Obj = Record<string, unknown>;
const CONTEXT = {
  namespace: 'env-1',
  preview: { hosts: ['web.vibe.test'] },
  quota: { cpu: '2', memory: '4Gi' },
};

const hardened = (): Obj => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', labels: { app: 'web' } },
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: 'web' } },
    template: {
      metadata: { labels: { app: 'web' } },
      spec: {
        containers: [
          {
            name: 'web',
            image: 'ghcr.io/acme/web:1',
            ports: [{ containerPort: 8080 }],
            securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
          },
        ],
        volumes: [{ name: 'tmp', emptyDir: {} }],
      },
    },
  },
});

function wellFormed(result: PolicyResult): void {
  expect(Array.isArray(result.violations)).toBe(true);
  for (const v of result.violations) {
    expect(v.code).toMatch(/^VIBE_POLICY_[A-Z_]+$/);
    expect(typeof v.object).toBe('string');
    expect(typeof v.field).toBe('string');
    expect(v.message.length).toBeGreaterThan(0);
    expect(v.fix.length).toBeGreaterThan(0);
  }
}

/** Every object and list inside a value, with the key path to it. */
function containers(value: unknown, path: (string | number)[] = []): (string | number)[][] {
  if (typeof value !== 'object' || value === null) return [];
  const here = [path];
  for (const [k, v] of Object.entries(value))
    here.push(...containers(v, [...path, Array.isArray(value) ? Number(k) : k]));
  return here;
}

function setAt(root: Obj, path: (string | number)[], key: string, value: unknown): Obj {
  const copy = structuredClone(root);
  let node: Record<string | number, unknown> = copy;
  for (const p of path) node = node[p] as Record<string | number, unknown>;
  node[Array.isArray(node) ? Math.min(Number.parseInt(key, 10) || 0, node.length) : key] = value;
  return copy;
}

/** One valid object of every kind the default policy allows, for the mutation property. */
const BASES: Obj[] = [
  hardened(),
  {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web' },
    spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] },
  },
  {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name: 'web' },
    spec: {
      rules: [
        {
          host: 'web.vibe.test',
          http: {
            paths: [
              { path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } },
            ],
          },
        },
      ],
    },
  },
  {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    metadata: { name: 'web' },
    spec: {
      hostnames: ['web.vibe.test'],
      rules: [
        { matches: [{ path: { type: 'PathPrefix', value: '/' } }], backendRefs: [{ name: 'web', port: 80 }] },
      ],
    },
  },
  {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: 'np' },
    spec: {
      podSelector: {},
      egress: [{ to: [{ podSelector: { matchLabels: { app: 'db' } } }], ports: [{ port: 53 }] }],
    },
  },
  {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: 'web' },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
      maxReplicas: 3,
      metrics: [
        {
          type: 'Resource',
          resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } },
        },
      ],
    },
  },
  {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name: 'web' },
    spec: { maxUnavailable: 1, selector: { matchLabels: { app: 'web' } } },
  },
  {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name: 'data' },
    spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
  },
  { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'creds' }, type: 'Opaque', stringData: { a: 'b' } },
  {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name: 'nightly' },
    spec: {
      schedule: '0 2 * * *',
      jobTemplate: {
        spec: { template: { spec: (hardened().spec as { template: { spec: Obj } }).template.spec } },
      },
    },
  },
];
const SPOTS = BASES.flatMap((base, index) => containers(base).map((path) => ({ index, path })));

describe('policy gate totality', () => {
  it('returns a verdict for any list of JSON values', () => {
    fc.assert(
      fc.property(fc.array(fc.jsonValue({ maxDepth: 6 }), { maxLength: 8 }), (input) => {
        const before = JSON.stringify(input);
        wellFormed(evaluatePolicy(input, DEFAULT_POLICY, CONTEXT));
        expect(JSON.stringify(input)).toBe(before);
      }),
      { numRuns: 300 },
    );
  });

  it('returns a verdict for anything JavaScript can hold', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.anything({
            withBigInt: true,
            withBoxedValues: true,
            withDate: true,
            withMap: true,
            withSet: true,
            withNullPrototype: true,
            withObjectString: true,
            withSparseArray: true,
            withTypedArray: true,
            withUnicodeString: true,
          }),
          { maxLength: 5 },
        ),
        (input) => wellFormed(evaluatePolicy(input, DEFAULT_POLICY, CONTEXT)),
      ),
      { numRuns: 300 },
    );
  });

  it('returns a verdict when any field of a valid object of any kind holds any value', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...SPOTS),
        fc.oneof(
          fc.string({ maxLength: 12 }),
          fc.constantFrom('hostNetwork', 'kind', 'spec', 'metadata', '__proto__', 'constructor', '0'),
        ),
        fc.jsonValue({ maxDepth: 4 }),
        ({ index, path }, key, value) => {
          const plan = BASES.map((base, i) => (i === index ? setAt(base, path, key, value) : base));
          wellFormed(evaluatePolicy(plan, DEFAULT_POLICY, CONTEXT));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('accepts the objects it mutates', () => {
    expect(evaluatePolicy(BASES, DEFAULT_POLICY, CONTEXT).violations).toEqual([]);
  });

  it('refuses cycles, accessors, proxies, depth and shared-reference blow-ups with a code', () => {
    const cyclic: Obj = hardened();
    (cyclic.spec as Obj).self = cyclic;
    const getter = hardened();
    Object.defineProperty(getter, 'metadata', {
      enumerable: true,
      get: () => {
        throw new Error('boom');
      },
    });
    const proxy = new Proxy(hardened(), {
      ownKeys: () => {
        throw new Error('boom');
      },
    });
    let deep: Obj = {};
    const deepRoot = deep;
    for (let i = 0; i < 100_000; i++) deep = (deep.x = {}) as Obj;
    let shared: unknown = ['leaf'];
    for (let i = 0; i < 40; i++) shared = [shared, shared];

    const code = (input: unknown[]) =>
      evaluatePolicy(input, DEFAULT_POLICY, CONTEXT).violations.map((v) => v.code);
    expect(code([cyclic])).toEqual(['VIBE_POLICY_CYCLIC']);
    expect(code([getter])).toEqual(['VIBE_POLICY_NOT_JSON']);
    expect(code([proxy])).toEqual(['VIBE_POLICY_UNREADABLE']);
    expect(code([{ ...hardened(), metadata: deepRoot }])).toEqual(['VIBE_POLICY_TOO_DEEP']);
    expect(code([{ ...hardened(), data: shared }])).toEqual(['VIBE_POLICY_TOO_LARGE']);
    expect(code([{ kind: 1n }])).toEqual(['VIBE_POLICY_NOT_JSON']);
    expect(code([{ kind: Number.NaN }])).toEqual(['VIBE_POLICY_NOT_JSON']);
    expect(code('not a list' as unknown as unknown[])).toEqual(['VIBE_POLICY_NOT_AN_OBJECT']);
  });

  it('reads any text as manifests or refuses it with a code', () => {
    const yamlish = fc.oneof(
      fc.string({ maxLength: 200 }),
      fc.jsonValue({ maxDepth: 5 }).map((v) => stringify(v)),
      fc
        .array(
          fc.constantFrom(
            'a: ',
            '&x ',
            '*x',
            '<<: ',
            '[',
            ']',
            '{',
            '}',
            '- ',
            '\n',
            '  ',
            'yes',
            '0755',
            '"',
            "'",
            '---\n',
            '!!str ',
            '? ',
            ': ',
            ',',
          ),
          { maxLength: 60 },
        )
        .map((parts) => parts.join('')),
    );
    fc.assert(
      fc.property(yamlish, (text) => {
        const read = readManifests(text);
        if (!read.ok) expect(read.code).toMatch(/^VIBE_MANIFEST_[A-Z_]+$/);
        else wellFormed(evaluatePolicy(read.manifests, DEFAULT_POLICY, CONTEXT));
      }),
      { numRuns: 500 },
    );
  });
});
