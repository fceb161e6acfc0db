import { createApiRef } from '@backstage/frontend-plugin-api';
import type { VibeApi } from './api.js';

/** The vibe backend plugin's client, as the app provides it. */
export const vibeApiRef = createApiRef<VibeApi>().with({ id: 'vibe', pluginId: 'vibe' });
