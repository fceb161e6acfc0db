/** The vibe backend plugin: add it to a Backstage backend with `backend.add(import('@vibe-operator/plugin-vibe-backend'))`. */
export { vibePlugin as default } from './plugin.js';
