import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../operator/src/reconciler/errors.js';
import type { KubeClient } from '../../operator/src/reconciler/kube-client.js';
import {
  createNamespace,
  deleteNamespace,
  environment,
  environmentsPath,
  installCrds,
  testClient,
} from '../support/kube.js';

/** Bad VibeEnvironments must be stopped by the API server itself, with a message a user can act on. */
describe('VibeEnvironment schema', () => {
  let client: KubeClient;
  let ns: string;

  beforeAll(async () => {
    client = testClient();
    await installCrds(client);
    ns = await createNamespace(client, 'schema');
  });

  afterAll(async () => {
    if (ns) await deleteNamespace(client, ns);
    client?.close();
  });

  const create = (name: string, spec: Record<string, unknown>) =>
    client.request({
      method: 'POST',
      path: environmentsPath(ns),
      body: environment(name, spec),
      query: { fieldValidation: 'Strict' },
    });

  const rejection = async (name: string, spec: Record<string, unknown>) => {
    const err = await create(name, spec).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    return err as ApiError;
  };

  it('accepts a minimal environment and fills in the defaults', async () => {
    const created = await create('ok', { intent: 'a redis' });
    expect((created as { spec: unknown }).spec).toEqual({
      intent: 'a redis',
      ttl: '4h',
      onExpiry: 'Delete',
      approval: 'Auto',
      preview: { enabled: true },
      budget: { maxAttempts: 3, maxTokens: 200000 },
      resources: { cpu: '2', memory: '4Gi', storage: '10Gi', pods: 20 },
    });
  });

  it.each([
    [
      'empty intent',
      { intent: '' },
      /spec.intent: Invalid value: "": spec.intent in body should be at least 1 chars long/,
    ],
    ['missing intent', { ttl: '1h' }, /spec.intent: Required value/],
    [
      'too-long intent',
      { intent: 'x'.repeat(8001) },
      /spec.intent: Too long: may not be (longer|more) than 8000/,
    ],
    [
      'ttl "banana"',
      { intent: 'x', ttl: 'banana' },
      /spec.ttl: Invalid value: "banana": ttl must be a duration such as 30m, 4h, 1h30m or 2d/,
    ],
    [
      'ttl above the maximum',
      { intent: 'x', ttl: '31d' },
      /spec.ttl: Invalid value: "31d": ttl must be at most 30d/,
    ],
    ['ttl above the maximum in hours', { intent: 'x', ttl: '721h' }, /ttl must be at most 30d/],
    [
      'negative budget',
      { intent: 'x', budget: { maxAttempts: -1 } },
      /spec.budget.maxAttempts: Invalid value: -1: spec.budget.maxAttempts in body should be greater than or equal to 1/,
    ],
    [
      'negative token budget',
      { intent: 'x', budget: { maxTokens: -5 } },
      /spec.budget.maxTokens in body should be greater than or equal to 0/,
    ],
    ['unknown field', { intent: 'x', colour: 'blue' }, /HTTP 400: .*unknown field "spec.colour"/],
    [
      'bad quantity',
      { intent: 'x', resources: { memory: 'lots' } },
      /resources.memory must be a quantity such as 500m, 2 or 4Gi/,
    ],
    [
      'unknown approval',
      { intent: 'x', approval: 'Sometimes' },
      /spec.approval: Unsupported value: "Sometimes": supported values: "Auto", "Manual"/,
    ],
    [
      'host without preview',
      { intent: 'x', preview: { enabled: false, host: 'a.dev' } },
      /preview.host needs preview.enabled: true/,
    ],
  ])('rejects %s with a readable message', async (_case, spec, message) => {
    const err = await rejection(`bad-${Math.floor(Math.random() * 1e6)}`, spec);
    // Strict field validation answers 400 Bad Request for unknown fields, schema violations 422.
    expect([400, 422]).toContain(err.status);
    expect(err.message).toMatch(message);
  });

  it('rejects a schedule with an unknown concurrency policy', async () => {
    const err = await client
      .request({
        method: 'POST',
        path: `/apis/vibe.dev/v1alpha1/namespaces/${ns}/vibeenvironmentschedules`,
        body: {
          apiVersion: 'vibe.dev/v1alpha1',
          kind: 'VibeEnvironmentSchedule',
          metadata: { name: 'nightly' },
          spec: {
            schedule: '0 3 * * *',
            concurrencyPolicy: 'Sometimes',
            template: { spec: { intent: 'x' } },
          },
        },
      })
      .catch((e: unknown) => e);
    expect((err as ApiError).status).toBe(422);
    expect((err as ApiError).message).toMatch(/spec.concurrencyPolicy: Unsupported value: "Sometimes"/);
  });
});
