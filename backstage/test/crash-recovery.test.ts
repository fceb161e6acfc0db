/**
 * A scaffolder task whose backend is killed (SIGKILL) while vibe:environment:create waits: a second
 * backend on the same database recovers the task and starts it over, and the action's checkpoints
 * make it wait for the environment the first run created instead of creating a second one.
 */
import { startTestBackend, type TestBackend } from '@backstage/backend-test-utils';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeClient } from '../../operator/src/reconciler/kube-client.js';
import {
  createNamespace,
  deleteNamespace,
  installCrds,
  kubeconfigPath,
  testClient,
  waitFor,
} from '../../test/support/kube.js';
import { OperatorProcess } from '../../test/support/operator-process.js';
import { crashTestFeatures, RECOVERABLE_TEMPLATE } from './crash/features.js';
import { listEnvironments, previewPlan } from './environments.js';
import { ScaffolderApi } from './scaffolder-tasks.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../..');
const slowPlanner = path.join(here, 'card/slow-manifest-planner.ts');

let kube: KubeClient;
let ns: string;
let operator: OperatorProcess;
let dbDir: string;
let first: ChildProcess | undefined;
let second: TestBackend | undefined;

/** Starts the first backend in its own process and resolves with the port it serves on. */
function startFirstBackend(): Promise<number> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'crash/scaffolder-backend.ts')], {
    cwd: repoRoot,
    env: { ...process.env, VIBE_NAMESPACE: ns, VIBE_BACKSTAGE_DB_DIR: dbDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  first = child;
  const stderr: string[] = [];
  child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk.toString('utf8')));
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const match = out.match(/\{"port":(\d+)\}/);
      if (match) resolve(Number(match[1]));
    });
    child.on('exit', (code) =>
      reject(new Error(`the first backend exited with ${code}: ${stderr.join('').slice(-2000)}`)),
    );
  });
}

beforeAll(async () => {
  kube = testClient();
  await installCrds(kube);
  ns = await createNamespace(kube, 'backstage-crash');
  dbDir = mkdtempSync(path.join(tmpdir(), 'vibe-backstage-db-'));
  operator = await OperatorProcess.start(['--namespace', ns, '--planner-module', slowPlanner]);
  await operator.ready();
});

afterAll(async () => {
  first?.kill('SIGKILL');
  await second?.stop();
  await operator?.stop();
  if (ns) await deleteNamespace(kube, ns);
  kube?.close();
  if (dbDir) rmSync(dbDir, { recursive: true, force: true });
});

describe('a scaffolder task whose backend crashes mid-action', () => {
  it('is recovered by the next backend and creates no second environment', async () => {
    const port = await startFirstBackend();
    const firstApi = new ScaffolderApi({ server: { address: () => ({ port }) } } as unknown as TestBackend);
    const id = await firstApi.start(RECOVERABLE_TEMPLATE, {
      intent: previewPlan('web'),
      namePrefix: 'web',
      namespace: ns,
      wait: true,
      timeoutSeconds: 120,
    });
    // The action created the environment and waits while the operator plans it: crash now.
    const created = await waitFor('the first run to create the environment', async () => {
      const envs = await listEnvironments(kube, ns);
      return envs.length > 0 ? envs : undefined;
    });
    expect(created).toHaveLength(1);
    first?.kill('SIGKILL');

    second = await startTestBackend({
      features: crashTestFeatures({ kubeconfig: kubeconfigPath(), namespace: ns, dbDir }),
    });
    const api = new ScaffolderApi(second);
    const task = await api.finished(id, 90_000);
    expect(task.status, task.log.join('\n')).toBe('completed');
    const name = created[0]!.metadata.name;
    expect(task.output).toMatchObject({ name, namespace: ns, phase: 'Ready' });
    const envs = await listEnvironments(kube, ns);
    expect(envs.map((e) => e.metadata.uid)).toEqual([created[0]!.metadata.uid]);
    // The run after the recovery found the name and the creation in its checkpoints.
    const recovered = task.logSinceRecovery.join('\n');
    expect(recovered).not.toContain('Created vibeenvironment');
    expect(recovered).toContain(`vibeenvironment ${ns}/${name} is Ready`);
  });
});
