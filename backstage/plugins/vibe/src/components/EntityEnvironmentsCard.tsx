/** The card on an entity's page: the entity from the page, the API from the app. */
import { useApi } from '@backstage/frontend-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import { vibeApiRef } from '../api-ref.js';
import { VibeEnvironmentsCard } from './VibeEnvironmentsCard.js';

export function EntityEnvironmentsCard() {
  const { entity } = useEntity();
  const api = useApi(vibeApiRef);
  return (
    <VibeEnvironmentsCard
      api={api}
      entity={{
        kind: entity.kind.toLowerCase(),
        namespace: entity.metadata.namespace ?? 'default',
        name: entity.metadata.name,
      }}
    />
  );
}
