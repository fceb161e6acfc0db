/** The vibe entity card: install the package in a Backstage app on the new frontend system. */
export { vibePlugin as default } from './plugin.js';
export { vibeApiRef } from './api-ref.js';
export { VibeClient, type EnvironmentView, type VibeApi } from './api.js';
export { VibeEnvironmentsCard } from './components/VibeEnvironmentsCard.js';
