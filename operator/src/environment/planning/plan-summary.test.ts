import { describe, expect, it } from 'vitest';
import type { Manifest } from '../objects.js';
import { vibeEnvironmentStatusSchema } from '../../api/vibe-environment.js';
import { mirrorImages, planStatus, preferNodeImages, summarizePlan } from './plan-summary.js';

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

  it('gives status.plan the summary with its hash', () => {
    expect(planStatus('0123456789abcdef', [deployment('ghcr.io/acme/api:1'), cronJob])).toEqual({
      hash: '0123456789abcdef',
      objects: 2,
      kinds: ['CronJob', 'Deployment'],
      images: ['ghcr.io/acme/api:1', 'ghcr.io/acme/etl:7'],
    });
  });

  it('caps the image list in status.plan and counts what it leaves out', () => {
    const many = Array.from({ length: 20 }, (_, i) =>
      deployment(`ghcr.io/acme/app-${String(i).padStart(2, '0')}:1`),
    );
    const tooLong = deployment(`ghcr.io/acme/${'x'.repeat(600)}:1`);
    const plan = planStatus('0123456789abcdef', [...many, tooLong]);
    expect(plan.images).toHaveLength(16);
    expect(plan.images?.[0]).toBe('ghcr.io/acme/app-00:1');
    expect(plan.imagesOmitted).toBe(5);
    expect(plan.kindsOmitted).toBeUndefined();
    expect(vibeEnvironmentStatusSchema.safeParse({ plan }).success).toBe(true);
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
