import { GROUP, VERSION } from '../api/group.js';
import { KIND, PLURAL } from '../api/vibe-environment.js';
import type { Resource } from '../reconciler/resource.js';

export const VIBE_ENVIRONMENT: Resource = {
  group: GROUP,
  version: VERSION,
  plural: PLURAL,
  kind: KIND,
  namespaced: true,
};
