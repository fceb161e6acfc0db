import { z } from 'zod';
import { conditionsSchema } from './condition.js';
import type { API_VERSION } from './group.js';
import { progressSchema } from './progress.js';
import type { ObjectMeta } from './object-meta.js';
import { vibeEnvironmentSpecSchema } from './vibe-environment.js';

export const SCHEDULE_KIND = 'VibeEnvironmentSchedule';
export const SCHEDULE_PLURAL = 'vibeenvironmentschedules';

export const vibeEnvironmentScheduleSpecSchema = z
  .object({
    schedule: z
      .string()
      .min(1)
      .max(128)
      .describe('A cron expression (five fields, or @hourly, @daily, @weekly, @monthly).'),
    timeZone: z
      .string()
      .max(64)
      .optional()
      .describe('An IANA time zone for the schedule, e.g. Europe/Berlin; the operator time zone when empty.'),
    startingDeadlineSeconds: z
      .number()
      .int()
      .min(0)
      .optional()
      .describe('How late a run may start; later runs are skipped and counted as missed.'),
    concurrencyPolicy: z
      .enum(['Allow', 'Forbid', 'Replace'])
      .default('Forbid')
      .describe('What to do when the previous environment still lives at the next run.'),
    suspend: z.boolean().default(false).describe('Stop creating environments; those alive stay.'),
    successfulHistoryLimit: z.number().int().min(0).max(100).default(3),
    failedHistoryLimit: z.number().int().min(0).max(100).default(1),
    template: z
      .object({
        metadata: z
          .object({
            labels: z.record(z.string(), z.string()).optional(),
            annotations: z.record(z.string(), z.string()).optional(),
          })
          .optional(),
        spec: vibeEnvironmentSpecSchema,
      })
      .describe('The VibeEnvironment each run creates.'),
  })
  .describe('When and what to create.');

export const vibeEnvironmentScheduleStatusSchema = z.object({
  lastScheduleTime: z.iso.datetime().optional(),
  lastSuccessfulTime: z.iso.datetime().optional(),
  active: z
    .array(z.object({ name: z.string(), uid: z.string().optional() }))
    .max(1000)
    .optional()
    .describe('The environments this schedule created that still live.'),
  conditions: conditionsSchema,
  observedGeneration: z.number().int().min(0).optional(),
  progress: progressSchema.optional(),
});

export type VibeEnvironmentScheduleSpec = z.output<typeof vibeEnvironmentScheduleSpecSchema>;
export type VibeEnvironmentScheduleStatus = z.output<typeof vibeEnvironmentScheduleStatusSchema>;

export interface VibeEnvironmentSchedule {
  apiVersion: typeof API_VERSION;
  kind: typeof SCHEDULE_KIND;
  metadata: ObjectMeta;
  spec: VibeEnvironmentScheduleSpec;
  status?: VibeEnvironmentScheduleStatus;
}
