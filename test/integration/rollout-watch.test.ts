import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LABEL_APPLYSET_PART_OF } from '../../operator/src/api/labels.js';
import { RolloutWatch } from '../../operator/src/environment/index.js';
import { PATCH, type KubeClient } from '../../operator/src/reconciler/kube-client.js';
import { createNamespace, deleteNamespace, testClient, waitFor } from '../support/kube.js';

/** The watch that wakes rollouts in progress: which workload changes wake which environment. */
describe('RolloutWatch', () => {
  let client: KubeClient;
  let followed: string;
  let other: string;
  let watch: RolloutWatch;
  const woken: string[] = [];
  const count = (key: string) => woken.filter((k) => k === key).length;

  const deployment = (name: string, labelled: boolean) => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, labels: labelled ? { [LABEL_APPLYSET_PART_OF]: 'applyset-test-v1' } : {} },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: 'main', image: 'localhost/vibe/busybox:test' }] },
      },
    },
  });
  const create = (namespace: string, name: string, labelled = true) =>
    client.request({
      method: 'POST',
      path: `/apis/apps/v1/namespaces/${namespace}/deployments`,
      body: deployment(name, labelled),
    });

  beforeAll(async () => {
    client = testClient();
    followed = await createNamespace(client, 'rollout-watch');
    other = await createNamespace(client, 'rollout-watch-other');
    watch = new RolloutWatch({ client, logger: pino({ level: 'silent' }), wake: (key) => woken.push(key) });
    watch.start();
    await watch.synced;
  });

  afterAll(async () => {
    await watch?.stop();
    for (const ns of [followed, other]) if (ns) await deleteNamespace(client, ns);
    client?.close();
  });

  it('wakes the environment that follows a namespace when a labelled workload there changes', async () => {
    watch.follow(followed, 'users/a');
    watch.follow(other, 'users/b');
    // Deployments arrive through one watch in order: once a's wake is seen, the unlabelled one was passed over.
    await create(other, 'unlabelled', false);
    await create(followed, 'web');
    await waitFor('a wake for users/a', async () => count('users/a') > 0 || undefined);
    expect(count('users/b')).toBe(0);
  });

  it('stops waking an environment once its namespace is forgotten', async () => {
    watch.forget(followed);
    const before = count('users/a');
    await client.request({
      method: 'PATCH',
      path: `/apis/apps/v1/namespaces/${followed}/deployments/web`,
      contentType: PATCH.merge,
      body: { spec: { replicas: 2 } },
    });
    await create(other, 'api');
    await waitFor('a wake for users/b', async () => count('users/b') > 0 || undefined);
    expect(count('users/a')).toBe(before);
  });
});
