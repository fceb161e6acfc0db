import { defineConfig } from 'vitest/config';

// Test tiers, one runner: `unit` needs nothing, `integration` needs the
// control-plane tier of the local cluster, `cluster` needs the full node.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          // CI has two cores shared by the type-checker and esbuild; 5 s proved too tight.
          testTimeout: 30_000,
          include: [
            'operator/**/*.test.ts',
            'sandbox-runtime/**/*.test.ts',
            'test/replay/**/*.test.ts',
            // The architecture's lint rule, proven to bite on wrong imports.
            'lint/**/*.test.ts',
            // The local cluster's NetworkPolicy enforcer: its translation needs no cluster.
            'test/cluster/netpol/**/*.test.ts',
          ],
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'cluster',
          include: ['test/cluster/**/*.test.ts', 'test/e2e/**/*.test.ts'],
          exclude: ['test/cluster/suite/lifecycle.test.ts', 'test/cluster/netpol/**'],
          testTimeout: 300_000,
          hookTimeout: 300_000,
          fileParallelism: false,
        },
      },
      {
        // Stops and restarts the shared cluster: run alone, after the others.
        test: {
          name: 'cluster-lifecycle',
          include: ['test/cluster/suite/lifecycle.test.ts'],
          testTimeout: 600_000,
          hookTimeout: 600_000,
        },
      },
    ],
  },
});
