import { GROUP, VERSION } from '../api/group.js';
import { SCHEDULE_KIND, SCHEDULE_PLURAL } from '../api/vibe-environment-schedule.js';
import { KIND, PLURAL } from '../api/vibe-environment.js';
import type { Resource } from '../reconciler/resource.js';

export const VIBE_ENVIRONMENT_SCHEDULE: Resource = {
  group: GROUP,
  version: VERSION,
  plural: SCHEDULE_PLURAL,
  kind: SCHEDULE_KIND,
  namespaced: true,
};

/** The runs a schedule creates; declared here because this module may not import the environment controller. */
export const SCHEDULED_ENVIRONMENT: Resource = {
  group: GROUP,
  version: VERSION,
  plural: PLURAL,
  kind: KIND,
  namespaced: true,
};
