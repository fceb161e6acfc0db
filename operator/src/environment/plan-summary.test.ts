import { describe, expect, it } from 'vitest';
import type { Manifest } from './planner.js';
import { mirrorImages, preferNodeImages, summarizePlan } from './plan-summary.js';

const deployment = (image: string): Manifest => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web' },
  spec: { template: { spec: { containers: [{ name: 'c', image, imagePullPolicy: 'Always' }] } } },
});
const cronJob: Manifest = {
  apiVersion: 'batch/v1',
  kind: 'CronJob',
  metadata: { name: 'etl' },
  spec: {
    jobTemplate: {
      spec: { template: { spec: { containers: [{ name: 'c', image: 'ghcr.io/acme/etl:7' }] } } },
    },
  },
};

describe('plan summary', () => {
  it('lists objects, kinds and images for a reviewer', () => {
    const plan = [
      deployment('localhost/vibe/busybox:test'),
      cronJob,
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' } },
    ];
    expect(summarizePlan(plan)).toEqual({
      objects: 3,
      kinds: ['CronJob', 'Deployment', 'Service'],
      images: ['ghcr.io/acme/etl:7', 'localhost/vibe/busybox:test'],
    });
  });

  it('never pulls node-local images and leaves the others alone', () => {
    const [local, remote] = preferNodeImages(
      [deployment('localhost/vibe/busybox:test'), deployment('ghcr.io/acme/api:1')],
      ['localhost/'],
    );
    const policy = (m: Manifest) =>
      (m.spec as { template: { spec: { containers: Array<{ imagePullPolicy: string }> } } }).template.spec
        .containers[0]!.imagePullPolicy;
    expect(policy(local!)).toBe('IfNotPresent');
    expect(policy(remote!)).toBe('Always');
  });

  it('points images at a mirror by prefix', () => {
    const mirrored = mirrorImages(
      [deployment('docker.io/library/postgres:15-alpine'), deployment('ghcr.io/acme/api:1')],
      [{ from: 'docker.io/library/', to: 'localhost/vibe/' }],
    );
    expect(summarizePlan(mirrored).images).toEqual([
      'ghcr.io/acme/api:1',
      'localhost/vibe/postgres:15-alpine',
    ]);
  });
});
