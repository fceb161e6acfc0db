import type { CrdDefinition } from './crd.js';
import { buildCrd } from './crd.js';
import {
  SCHEDULE_KIND,
  SCHEDULE_PLURAL,
  vibeEnvironmentScheduleSpecSchema,
  vibeEnvironmentScheduleStatusSchema,
} from './vibe-environment-schedule.js';
import { KIND, PLURAL, vibeEnvironmentSpecSchema, vibeEnvironmentStatusSchema } from './vibe-environment.js';

export const crdDefinitions: CrdDefinition[] = [
  {
    kind: KIND,
    plural: PLURAL,
    singular: 'vibeenvironment',
    shortNames: ['venv', 've'],
    description:
      'An ephemeral environment described in natural language, planned by an agent and torn down when its TTL ends.',
    spec: vibeEnvironmentSpecSchema,
    status: vibeEnvironmentStatusSchema,
    printerColumns: [
      { name: 'Phase', type: 'string', jsonPath: '.status.phase' },
      { name: 'Preview', type: 'string', jsonPath: '.status.previewUrl' },
      { name: 'Expires', type: 'date', jsonPath: '.status.expiresAt' },
      { name: 'Namespace', type: 'string', jsonPath: '.status.namespace', priority: 1 },
      { name: 'Plan', type: 'string', jsonPath: '.status.plan.hash', priority: 1 },
      { name: 'Tokens', type: 'integer', jsonPath: '.status.usage.tokens', priority: 1 },
      { name: 'Cost', type: 'string', jsonPath: '.status.usage.cost', priority: 1 },
      { name: 'Message', type: 'string', jsonPath: '.status.message', priority: 1 },
      { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
    ],
  },
  {
    kind: SCHEDULE_KIND,
    plural: SCHEDULE_PLURAL,
    singular: 'vibeenvironmentschedule',
    shortNames: ['venvsched'],
    description: 'Creates VibeEnvironments on a cron schedule, like a CronJob creates Jobs.',
    spec: vibeEnvironmentScheduleSpecSchema,
    status: vibeEnvironmentScheduleStatusSchema,
    printerColumns: [
      { name: 'Schedule', type: 'string', jsonPath: '.spec.schedule' },
      { name: 'Suspend', type: 'boolean', jsonPath: '.spec.suspend' },
      { name: 'Last Schedule', type: 'date', jsonPath: '.status.lastScheduleTime' },
      { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
    ],
  },
];

/** Every CRD the operator serves, as objects ready to apply. */
export function allCrds() {
  return crdDefinitions.map(buildCrd);
}

export function crdFileName(def: CrdDefinition): string {
  return `${def.plural}.vibe.dev.yaml`;
}
