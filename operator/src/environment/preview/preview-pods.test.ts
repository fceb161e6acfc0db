import { describe, expect, it } from 'vitest';
import type { Manifest } from '../objects.js';
import { LABEL_PREVIEW_EXPOSED } from '../../api/labels.js';
import { markExposedPods } from './preview-pods.js';

const deployment = (name: string, labels: Record<string, string>): Manifest => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name },
  spec: { selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [] } } },
});
const service = (name: string, selector?: Record<string, string>): Manifest => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name },
  spec: { ...(selector ? { selector } : {}), ports: [{ port: 80 }] },
});
const ingress = (name: string, backend: string): Manifest => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'Ingress',
  metadata: { name },
  spec: {
    rules: [
      {
        http: {
          paths: [
            { path: '/', pathType: 'Prefix', backend: { service: { name: backend, port: { number: 80 } } } },
          ],
        },
      },
    ],
  },
});
const templateLabels = (m: Manifest | undefined) =>
  (m?.spec as { template: { metadata: { labels: Record<string, string> } } }).template.metadata.labels;

describe('markExposedPods', () => {
  const plan = [
    deployment('web', { app: 'web', tier: 'front' }),
    deployment('db', { app: 'db' }),
    service('web', { app: 'web' }),
    service('db', { app: 'db' }),
  ];

  it('labels the pod templates behind an Ingress backend and leaves the others alone', () => {
    const route = ingress('web', 'web');
    const out = markExposedPods([...plan, route], [route]);
    expect(templateLabels(out[0])).toEqual({ app: 'web', tier: 'front', [LABEL_PREVIEW_EXPOSED]: 'true' });
    expect(templateLabels(out[1])).toEqual({ app: 'db' });
    // The selector stays as the plan wrote it: labelling a template never orphans its pods.
    expect((out[0]?.spec as { selector: unknown }).selector).toEqual({
      matchLabels: { app: 'web', tier: 'front' },
    });
    expect(templateLabels(plan[0])).toEqual({ app: 'web', tier: 'front' });
  });

  it("follows an HTTPRoute's Service backendRefs and a bare pod's own labels", () => {
    const pod: Manifest = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'db-0', labels: { app: 'db' } },
    };
    const route: Manifest = {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: { name: 'db' },
      spec: {
        rules: [
          {
            backendRefs: [
              { name: 'db', port: 80 },
              { name: 'web', kind: 'Other', group: 'x.io' },
            ],
          },
        ],
      },
    };
    const out = markExposedPods([...plan, pod, route], [route]);
    expect(out[4]?.metadata.labels).toEqual({ app: 'db', [LABEL_PREVIEW_EXPOSED]: 'true' });
    expect(templateLabels(out[1])).toEqual({ app: 'db', [LABEL_PREVIEW_EXPOSED]: 'true' });
    expect(templateLabels(out[0])).toEqual({ app: 'web', tier: 'front' });
  });

  it('exposes nothing through a Service without a selector or one the plan does not declare', () => {
    const routes = [ingress('a', 'external'), ingress('b', 'absent')];
    const out = markExposedPods([...plan, service('external'), ...routes], routes);
    expect(out.slice(0, 2).map(templateLabels)).toEqual([{ app: 'web', tier: 'front' }, { app: 'db' }]);
  });
});
