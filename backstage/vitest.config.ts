import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// The Backstage suites: a real Backstage backend against the control-plane tier of the local cluster.
// The root is this folder, whichever folder vitest is started from: only these suites run.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  test: {
    name: 'backstage',
    include: ['test/**/*.test.ts'],
    testTimeout: 180_000,
    hookTimeout: 180_000,
    fileParallelism: false,
  },
});
