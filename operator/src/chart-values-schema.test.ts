import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { configSchema } from './config.js';

const schema = JSON.parse(
  readFileSync(new URL('../../charts/vibe-operator/values.schema.json', import.meta.url), 'utf8'),
) as { properties: { operator: { properties: Record<string, unknown> } } };

/** Settings the chart decides itself (templates/_helpers.tpl) or that have no meaning in a pod. */
const CHART_OWNED = [
  'kubeconfig',
  'identity',
  'leaderElect',
  'leaderElectionNamespace',
  'leaderElectionId',
  'metricsPort',
  'sandboxNamespace',
  'sandboxImage',
  'sandboxPoolSize',
  'models',
];

describe("the chart's values.schema.json", () => {
  it('names every operator setting a user may set, and no other', () => {
    const settable = Object.keys(configSchema.shape)
      .filter((key) => !CHART_OWNED.includes(key))
      .sort();
    expect(Object.keys(schema.properties.operator.properties).sort()).toEqual(settable);
  });
});
