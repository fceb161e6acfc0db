/**
 * The scaffolder backend of the crash suite, the same in the process that is killed and in the one
 * that recovers: its database is a file in dbDir, task recovery is on and a task is stale after 2 s
 * without a heartbeat.
 */
import type { BackendFeature } from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import scaffolderModuleVibe from '@vibe-operator/plugin-scaffolder-backend-module-vibe';
import { oneStepTemplate } from '../templates.js';

export const RECOVERABLE_TEMPLATE = 'template:default/vibe-create-recoverable';

function recoverableTemplate(): Entity {
  const template = oneStepTemplate('vibe-create-recoverable', 'vibe:environment:create', [
    'intent',
    'namePrefix',
    'namespace',
    'wait',
    'timeoutSeconds',
  ]);
  return {
    ...template,
    spec: { ...template.spec, EXPERIMENTAL_recovery: { EXPERIMENTAL_strategy: 'startOver' } },
  };
}

export function crashTestFeatures(options: { kubeconfig: string; namespace: string; dbDir: string }) {
  return [
    // A CommonJS package: its types describe module.exports as the default, the runtime gives the plugin.
    import('@backstage/plugin-scaffolder-backend') as unknown as Promise<{ default: BackendFeature }>,
    scaffolderModuleVibe,
    catalogServiceMock.factory({ entities: [recoverableTemplate()] }),
    mockServices.rootConfig.factory({
      data: {
        backend: { database: { client: 'better-sqlite3', connection: { directory: options.dbDir } } },
        scaffolder: { taskRecovery: { enabled: true, staleTimeout: { seconds: 2 } } },
        vibe: { kubeconfig: options.kubeconfig, namespace: options.namespace },
      },
    }),
  ];
}
