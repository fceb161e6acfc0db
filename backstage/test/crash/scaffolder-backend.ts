/**
 * The crash suite's first backend, in a process of its own so the suite can kill it mid-task with
 * SIGKILL. Prints {"port": N} once it serves.
 */
import { startTestBackend } from '@backstage/backend-test-utils';
import type { AddressInfo } from 'node:net';
import { crashTestFeatures } from './features.js';

const env = (name: string) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set; the crash suite sets it.`);
  return value;
};

const backend = await startTestBackend({
  features: crashTestFeatures({
    kubeconfig: env('KUBECONFIG'),
    namespace: env('VIBE_NAMESPACE'),
    dbDir: env('VIBE_BACKSTAGE_DB_DIR'),
  }),
});
console.log(JSON.stringify({ port: (backend.server.address() as AddressInfo).port }));
