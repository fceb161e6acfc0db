/**
 * The vibe frontend plugin for Backstage's new frontend system: the API that calls the backend plugin
 * and an entity card shown on entities with the vibe.dev/environments annotation.
 */
import {
  ApiBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import { EntityCardBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { ENVIRONMENTS_ANNOTATION } from '@vibe-operator/plugin-vibe-common';
import { VibeClient } from './api.js';
import { vibeApiRef } from './api-ref.js';

const vibeApi = ApiBlueprint.make({
  params: (define) =>
    define({
      api: vibeApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new VibeClient(() => discoveryApi.getBaseUrl('vibe'), fetchApi.fetch.bind(fetchApi)),
    }),
});

const environmentsCard = EntityCardBlueprint.make({
  name: 'environments',
  params: {
    filter: (entity) => Boolean(entity.metadata.annotations?.[ENVIRONMENTS_ANNOTATION]),
    loader: () => import('./components/EntityEnvironmentsCard.js').then((m) => <m.EntityEnvironmentsCard />),
  },
});

export const vibePlugin = createFrontendPlugin({
  pluginId: 'vibe',
  title: 'Vibe environments',
  extensions: [vibeApi, environmentsCard],
});
