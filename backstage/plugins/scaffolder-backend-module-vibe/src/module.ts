/** The scaffolder backend module that adds the vibe environment actions. */
import { coreServices, createBackendModule } from '@backstage/backend-plugin-api';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { vibeClientServiceRef } from '@vibe-operator/plugin-vibe-node';
import { createEnvironmentAction } from './create.js';
import { deleteEnvironmentAction } from './delete.js';
import { extendEnvironmentAction } from './extend.js';
import { waitEnvironmentAction } from './wait.js';

export const scaffolderModuleVibe = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'vibe',
  register(reg) {
    reg.registerInit({
      deps: {
        scaffolder: scaffolderActionsExtensionPoint,
        vibe: vibeClientServiceRef,
        permissions: coreServices.permissions,
      },
      async init({ scaffolder, vibe, permissions }) {
        scaffolder.addActions(
          createEnvironmentAction(vibe.client, permissions),
          waitEnvironmentAction(vibe.client),
          extendEnvironmentAction(vibe.client, permissions),
          deleteEnvironmentAction(vibe.client, permissions),
        );
      },
    });
  },
});
