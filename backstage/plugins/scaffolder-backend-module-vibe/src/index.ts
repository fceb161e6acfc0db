/** Scaffolder actions for vibe environments: add this module to a Backstage backend. */
export { scaffolderModuleVibe as default } from './module.js';
export { createEnvironmentAction } from './create.js';
export { deleteEnvironmentAction } from './delete.js';
export { extendEnvironmentAction } from './extend.js';
export { waitEnvironmentAction } from './wait.js';
