/** The vibe backend plugin: serves the entity card and registers the vibe permissions. */
import { coreServices, createBackendPlugin } from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { vibePermissions } from '@vibe-operator/plugin-vibe-common';
import { vibeClientServiceRef } from '@vibe-operator/plugin-vibe-node';
import { createRouter } from './router.js';

export const vibePlugin = createBackendPlugin({
  pluginId: 'vibe',
  register(env) {
    env.registerInit({
      deps: {
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        config: coreServices.rootConfig,
        catalog: catalogServiceRef,
        vibe: vibeClientServiceRef,
      },
      async init({ httpRouter, httpAuth, permissions, permissionsRegistry, config, catalog, vibe }) {
        permissionsRegistry.addPermissions(vibePermissions);
        httpRouter.use(createRouter({ client: vibe.client, catalog, httpAuth, permissions, config }));
      },
    });
  },
});
