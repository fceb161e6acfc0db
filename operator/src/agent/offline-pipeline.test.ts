/**
 * The offline planner's scripts through the real gates (type-check, process executor, policy): every
 * sample-style intent must produce manifests with no policy violation.
 */

import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../policy/index.js';
import { processExecutor } from '../sandbox/process-executor.js';
import { runAgent } from './loop.js';
import { offlineAuthor } from './offline-author.js';
import { temporaryDirectory } from '../../../test/support/temp-dir.js';

const executor = processExecutor({
  cacheDir: process.env.VIBE_CACHE ?? temporaryDirectory('vibe-cache-'),
});

const intents = [
  'A preview of my API, image ghcr.io/acme/orders-api:pr-42 listening on port 8080, with a Postgres database. Make it public.',
  'Staging environment: frontend ghcr.io/acme/web:3.0 (port 3000, public), backend ghcr.io/acme/api:3.0 on port 8000 with 2 replicas, MySQL and Redis.',
  'A nightly job at 02:30 running ghcr.io/acme/etl:7 that reads from a postgres database',
  'Kafka, nats, rabbitmq, memcached, mongodb, mariadb, valkey and an object store with a consumer ghcr.io/acme/consumer:0.9',
  'create a static site that says "Hello team"',
];

describe('offline planner through the gates', () => {
  it.each(intents)(
    '%s',
    async (intent) => {
      const outcome = await runAgent({
        intent,
        author: offlineAuthor,
        executor,
        policy: DEFAULT_POLICY,
        namespace: 'env-test',
        maxAttempts: 1,
      });
      expect(outcome.diagnostics).toEqual([]);
      expect(outcome.ok).toBe(true);
      expect(outcome.manifests.length).toBeGreaterThan(1);
      expect(
        outcome.manifests.every((m) => (m.metadata as { namespace?: string }).namespace === 'env-test'),
      ).toBe(true);
    },
    30_000,
  );
});
