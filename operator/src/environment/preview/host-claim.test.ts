import { describe, expect, it } from 'vitest';
import { parseVibeEnvironmentSpec, type VibeEnvironment } from '../../api/vibe-environment.js';
import type { KubeClient } from '../../reconciler/kube-client.js';
import { previewHostHolder } from './host-claim.js';

const settings = {
  ingressClassName: 'vibe',
  hostTemplate: '{name}-{namespace}.{previewDomain}',
  previewDomain: 'vibe.test',
};
const env = (namespace: string, name: string, created: string, host?: string): VibeEnvironment => ({
  apiVersion: 'vibe.dev/v1alpha1',
  kind: 'VibeEnvironment',
  metadata: { name, namespace, uid: `${namespace}/${name}`, creationTimestamp: created },
  spec: parseVibeEnvironmentSpec({ intent: 'x', preview: { enabled: true, ...(host ? { host } : {}) } }),
});
const listing = (items: VibeEnvironment[]) =>
  ({ request: () => Promise.resolve({ items }) }) as unknown as KubeClient;

describe('previewHostHolder', () => {
  const first = env('team-a', 'shop', '2026-01-01T00:00:00Z');
  const copycat = env('team-b', 'spy', '2026-01-02T00:00:00Z', 'shop-team-a.vibe.test');

  it('names the environment that asked for the host first', async () => {
    const holder = await previewHostHolder(listing([first, copycat]), copycat, settings);
    expect(holder?.metadata.name).toBe('shop');
  });

  it('leaves the first claimant its host', async () => {
    expect(await previewHostHolder(listing([first, copycat]), first, settings)).toBeUndefined();
  });

  it('ignores environments with other hosts or without a preview', async () => {
    const other = env('team-c', 'blog', '2025-01-01T00:00:00Z');
    expect(await previewHostHolder(listing([other, first]), first, settings)).toBeUndefined();
  });
});
