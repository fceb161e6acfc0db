/**
 * The vibe scaffolder actions inside a real Backstage backend (startTestBackend with the scaffolder
 * plugin and this module) against the real API server, with an operator planning offline.
 */
import {
  coreServices,
  createServiceFactory,
  type BackendFeature,
  type ServiceFactory,
} from '@backstage/backend-plugin-api';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { mockServices, startTestBackend, type TestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import scaffolderModuleVibe from '@vibe-operator/plugin-scaffolder-backend-module-vibe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeClient } from '../../operator/src/reconciler/kube-client.js';
import {
  createNamespace,
  deleteNamespace,
  environment,
  environmentsPath,
  installCrds,
  kubeconfigPath,
  testClient,
} from '../../test/support/kube.js';
import { OperatorProcess } from '../../test/support/operator-process.js';
import { listEnvironments, manifestPlanner, previewPlan } from './environments.js';
import { ScaffolderApi } from './scaffolder-tasks.js';
import { oneStepTemplate, previewTemplate } from './templates.js';

let kube: KubeClient;
/** Watched by the operator. */
let ns: string;
/** Watched by no operator: environments there stay Pending. */
let idle: string;
let operator: OperatorProcess;
let backend: TestBackend;
let api: ScaffolderApi;

const CREATE_INPUTS = [
  'intent',
  'name',
  'namePrefix',
  'namespace',
  'ttl',
  'approval',
  'maxAttempts',
  'wait',
  'timeoutSeconds',
];

/** A backend with the scaffolder, this module, the suite's templates and, if given, a permission service. */
function scaffolderBackend(permissions?: ServiceFactory): Promise<TestBackend> {
  return startTestBackend({
    features: [
      // A CommonJS package: its types describe module.exports as the default, the runtime gives the plugin.
      import('@backstage/plugin-scaffolder-backend') as unknown as Promise<{ default: BackendFeature }>,
      scaffolderModuleVibe,
      catalogServiceMock.factory({
        entities: [
          previewTemplate(),
          oneStepTemplate('vibe-create', 'vibe:environment:create', CREATE_INPUTS),
          oneStepTemplate('vibe-wait', 'vibe:environment:wait', [
            'name',
            'namespace',
            'phase',
            'timeoutSeconds',
          ]),
          oneStepTemplate('vibe-extend', 'vibe:environment:extend', ['name', 'namespace', 'by']),
          oneStepTemplate('vibe-delete', 'vibe:environment:delete', ['name', 'namespace']),
        ],
      }),
      mockServices.rootConfig.factory({ data: { vibe: { kubeconfig: kubeconfigPath(), namespace: ns } } }),
      ...(permissions ? [permissions] : []),
    ],
  });
}

/** Allows everything the scaffolder itself asks about and denies every vibe permission. */
const denyVibe = createServiceFactory({
  service: coreServices.permissions,
  deps: {},
  factory: () => ({
    authorize: async (requests: Array<{ permission: { name: string } }>) =>
      requests.map((r) => ({
        result: r.permission.name.startsWith('vibe.') ? AuthorizeResult.DENY : AuthorizeResult.ALLOW,
      })),
    authorizeConditional: async (requests: unknown[]) =>
      requests.map(() => ({ result: AuthorizeResult.ALLOW })),
  }),
}) as ServiceFactory;

beforeAll(async () => {
  kube = testClient();
  await installCrds(kube);
  ns = await createNamespace(kube, 'backstage');
  idle = await createNamespace(kube, 'backstage-idle');
  operator = await OperatorProcess.start(['--namespace', ns, '--planner-module', manifestPlanner]);
  await operator.ready();
  backend = await scaffolderBackend();
  api = new ScaffolderApi(backend);
});

afterAll(async () => {
  await backend?.stop();
  await operator?.stop();
  for (const namespace of [ns, idle]) if (namespace) await deleteNamespace(kube, namespace);
  kube?.close();
});

describe('vibe:environment:create', () => {
  it('creates an environment and, with wait, outputs it Ready with its preview URL', async () => {
    const id = await api.start('template:default/vibe-create', {
      intent: previewPlan(),
      name: 'preview-ready',
      ttl: '2h',
      wait: true,
    });
    const task = await api.finished(id);
    expect(task.status, task.log.join('\n')).toBe('completed');
    expect(task.output).toMatchObject({
      name: 'preview-ready',
      namespace: ns,
      phase: 'Ready',
      previewUrl: `http://preview-ready-${ns}.vibe.localhost/`,
    });
    expect(Date.parse(String(task.output.expiresAt))).toBeGreaterThan(Date.now() + 60 * 60_000);
    expect(task.log.some((line) => line.includes(`vibeenvironment ${ns}/preview-ready is Ready`))).toBe(true);
    const envs = await listEnvironments(kube, ns);
    expect(envs.find((e) => e.metadata.name === 'preview-ready')?.spec).toMatchObject({
      ttl: '2h',
      approval: 'Auto',
    });
  });

  it('in a dry run returns the plan of the shipped template and creates nothing', async () => {
    const before = (await listEnvironments(kube, idle)).length;
    const template = previewTemplate();
    const result = await api.dryRun(template, {
      component: 'component:default/web',
      image: 'ghcr.io/acme/web:1.4',
      port: 8080,
      needs: ['postgres', 'redis'],
      public: true,
      ttl: '8h',
      namespace: idle,
      approval: 'Manual',
    });
    const log = result.log.map((l) => l.body.message).join('\n');
    expect(log).toMatch(
      new RegExp(
        `Dry run: would create vibeenvironment ${idle}/web-[a-z0-9]{4} \\(ttl 8h, approval Manual\\)`,
      ),
    );
    expect(log).toContain(
      'for the intent "ghcr.io/acme/web:1.4 on port 8080, public, with postgres and redis"',
    );
    expect(result.output).toMatchObject({
      links: [{ title: 'Open the preview' }, { title: 'The component', entityRef: 'component:default/web' }],
    });
    expect(JSON.stringify(result.output)).toContain(`**${idle}/web-`);
    expect(await listEnvironments(kube, idle)).toHaveLength(before);
  });

  it('a task retried after failing mid-action reuses its checkpoints and creates no second environment', async () => {
    const id = await api.start('template:default/vibe-create', {
      intent: 'postgres 16 for the checkout service',
      namespace: idle,
      wait: true,
      timeoutSeconds: 2,
    });
    const first = await api.finished(id);
    expect(first.status).toBe('failed');
    const created = await listEnvironments(kube, idle);
    expect(created).toHaveLength(1);
    const name = created[0]!.metadata.name;
    expect(first.log.join('\n')).toContain(`vibeenvironment ${idle}/${name} is still Pending after 2 s`);

    await api.retry(id);
    const second = await api.finished(id);
    expect(second.status).toBe('failed');
    const after = await listEnvironments(kube, idle);
    expect(after.map((e) => e.metadata.name)).toEqual([name]);
    expect(after[0]!.metadata.uid).toBe(created[0]!.metadata.uid);
    expect(second.log.filter((l) => l.includes(`Created vibeenvironment ${idle}/${name}`))).toHaveLength(1);
  });

  it('adopts the environment a run that crashed before its checkpoint created, and only that one', async () => {
    const intent = 'redis 7 for the session cache';
    // What a run leaves when it crashes after the API server stored the environment and before the
    // scaffolder stored the checkpoint.
    await kube.request({
      method: 'POST',
      path: environmentsPath(idle),
      body: environment('crashed', { intent }),
    });
    const adopted = await api.finished(
      await api.start('template:default/vibe-create', { intent, name: 'crashed', namespace: idle }),
    );
    expect(adopted.status, adopted.log.join('\n')).toBe('completed');
    expect(adopted.log.join('\n')).toContain(
      `vibeenvironment ${idle}/crashed was created by an earlier run of this task; using it.`,
    );
    expect(adopted.output).toMatchObject({ name: 'crashed', namespace: idle, phase: 'Pending' });
    expect((await listEnvironments(kube, idle)).filter((e) => e.metadata.name === 'crashed')).toHaveLength(1);

    const other = await api.finished(
      await api.start('template:default/vibe-create', {
        intent: 'something else',
        name: 'crashed',
        namespace: idle,
      }),
    );
    expect(other.status).toBe('failed');
    expect(other.log.join('\n')).toContain(
      `vibe:environment:create: vibeenvironment ${idle}/crashed already exists; pick another name (--name) or delete it first. (VIBE_CLIENT_EXISTS)`,
    );
    const env = (await listEnvironments(kube, idle)).find((e) => e.metadata.name === 'crashed');
    expect(env?.spec.intent).toBe(intent);
  });

  it('fails with a sentence naming the failing condition when the environment fails', async () => {
    const bad = JSON.stringify([{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'Not_A_Name' } }]);
    const id = await api.start('template:default/vibe-create', {
      intent: bad,
      name: 'preview-fails',
      maxAttempts: 1,
      wait: true,
      timeoutSeconds: 90,
    });
    const task = await api.finished(id);
    expect(task.status).toBe('failed');
    const log = task.log.join('\n');
    expect(log).toMatch(
      new RegExp(
        `vibe:environment:create: vibeenvironment ${ns}/preview-fails is Failed\\. Its \\w+ condition is False`,
      ),
    );
  });
});

describe('vibe:environment:wait, extend and delete', () => {
  it('wait outputs a Ready environment; extend moves its expiry; delete removes it', async () => {
    await kube.request({
      method: 'POST',
      path: environmentsPath(ns),
      body: environment('later', { intent: previewPlan('later'), ttl: '1h' }),
    });
    const waited = await api.finished(
      await api.start('template:default/vibe-wait', { name: 'later', timeoutSeconds: 60 }),
    );
    expect(waited.status, waited.log.join('\n')).toBe('completed');
    expect(waited.output).toMatchObject({
      name: 'later',
      phase: 'Ready',
      previewUrl: `http://later-${ns}.vibe.localhost/`,
    });
    const before = Date.parse(String(waited.output.expiresAt));

    const extended = await api.finished(
      await api.start('template:default/vibe-extend', { name: 'later', by: '3h' }),
    );
    expect(extended.status, extended.log.join('\n')).toBe('completed');
    expect(Date.parse(String(extended.output.expiresAt)) - before).toBe(3 * 3600_000);
    const env = (await listEnvironments(kube, ns)).find((e) => e.metadata.name === 'later');
    expect(env?.metadata.annotations?.['vibe.dev/extend']).toBe('3h');

    const deleted = await api.finished(
      await api.start('template:default/vibe-delete', { name: 'later', namespace: ns }),
    );
    expect(deleted.status, deleted.log.join('\n')).toBe('completed');
    expect(deleted.output).toMatchObject({ deleted: true });
    const gone = await listEnvironments(kube, ns);
    expect(gone.find((e) => e.metadata.name === 'later' && !e.metadata.deletionTimestamp)).toBeUndefined();
  });
});

describe('with the vibe permissions denied', () => {
  it('create, extend and delete fail with a sentence naming the permission, and change nothing', async () => {
    const denied = await scaffolderBackend(denyVibe);
    try {
      const deniedApi = new ScaffolderApi(denied);
      const before = await listEnvironments(kube, idle);
      const runs = [
        ['template:default/vibe-create', { intent: 'redis', name: 'never', namespace: idle }, 'create'],
        ['template:default/vibe-extend', { name: 'crashed', namespace: idle, by: '1h' }, 'extend'],
        ['template:default/vibe-delete', { name: 'crashed', namespace: idle }, 'delete'],
      ] as const;
      for (const [template, values, verb] of runs) {
        const task = await deniedApi.finished(await deniedApi.start(template, values));
        expect(task.status).toBe('failed');
        expect(task.log.join('\n')).toContain(
          `you may not ${verb} environments (vibe:environment:${verb}): the permission policy denies vibe.environment.${verb}`,
        );
      }
      const after = await listEnvironments(kube, idle);
      expect(after.map((e) => [e.metadata.name, e.metadata.resourceVersion])).toEqual(
        before.map((e) => [e.metadata.name, e.metadata.resourceVersion]),
      );
    } finally {
      await denied.stop();
    }
  });
});
