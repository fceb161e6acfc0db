import { z } from 'zod';
import { conditionsSchema } from './condition.js';
import { SCHEMA_MAX_TTL_DAYS, durationValidations } from './duration.js';
import { API_VERSION } from './group.js';
import type { ObjectMeta } from './object-meta.js';
import { progressSchema } from './progress.js';
import { quantity } from './quantity.js';

export const KIND = 'VibeEnvironment';
export const PLURAL = 'vibeenvironments';

export const PHASES = [
  'Pending',
  'Planning',
  'AwaitingApproval',
  'Applying',
  'Progressing',
  'Ready',
  'Sleeping',
  'Failed',
  'Expired',
  'Terminating',
] as const;
export type Phase = (typeof PHASES)[number];

/** How far back a sleep window's cron expressions are searched for their latest time: a week and a day. */
export const SLEEP_WINDOW_LOOKBACK_DAYS = 8;

const cronField = (field: string) =>
  z
    .string()
    .min(1)
    .max(100)
    .describe(
      `${field}: a five-field cron expression (minute hour day-of-month month day-of-week) or a macro.`,
    );

export const sleepSpecSchema = z
  .object({
    afterIdle: z
      .string()
      .max(16)
      .optional()
      .meta({ 'x-kubernetes-validations': durationValidations('sleep.afterIdle', SCHEMA_MAX_TTL_DAYS) })
      .describe('Sleep after this long without a request through the preview (e.g. 30m); never when empty.'),
    schedule: z
      .array(
        z.object({
          sleep: cronField('When the window begins and the environment falls asleep'),
          wake: cronField('When the window ends and the environment wakes'),
        }),
      )
      .max(8)
      .optional()
      .describe(
        'Sleep windows: the environment sleeps from each sleep time to the next wake time; a request wakes it early.',
      ),
    timeZone: z
      .string()
      .max(64)
      .optional()
      .describe("The IANA time zone of the schedule (e.g. Europe/Berlin); the operator's when empty."),
    pauseTtl: z
      .boolean()
      .default(false)
      .describe('Stop counting the TTL while asleep; by default the TTL keeps running.'),
  })
  .describe('When the environment scales its workloads to zero and how it wakes; off when empty.');

export type SleepSpec = z.output<typeof sleepSpecSchema>;

export const vibeEnvironmentSpecSchema = z
  .object({
    intent: z
      .string()
      .min(1)
      .max(8000)
      .describe(
        'What the environment should be, in plain language (e.g. "a redis and a web app on port 8080").',
      ),
    ttl: z
      .string()
      .max(16)
      .default('4h')
      .meta({ 'x-kubernetes-validations': durationValidations('ttl', SCHEMA_MAX_TTL_DAYS) })
      .describe('How long the environment lives after creation: 30m, 4h, 1h30m, 2d.'),
    onExpiry: z
      .enum(['Delete', 'Retain'])
      .default('Delete')
      .describe('Delete removes the environment at expiry; Retain keeps it in phase Expired.'),
    approval: z
      .enum(['Auto', 'Manual'])
      .default('Auto')
      .describe('Manual waits for a person to approve the plan before anything is applied.'),
    preview: z
      .object({
        enabled: z.boolean().default(true).describe('Expose the environment at a preview URL.'),
        host: z
          .string()
          .max(253)
          .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/)
          .optional()
          .describe('The preview host name; generated when empty.'),
        ingressClassName: z.string().max(253).optional().describe('The IngressClass for the preview.'),
      })
      .meta({
        'x-kubernetes-validations': [
          { rule: '!has(self.host) || self.enabled', message: 'preview.host needs preview.enabled: true' },
        ],
      })
      .default({ enabled: true }),
    model: z
      .object({
        provider: z
          .string()
          .max(63)
          .optional()
          .describe(
            'The model provider, e.g. anthropic, openai or offline; the operator default when empty.',
          ),
        name: z.string().max(253).optional().describe('The model name; the provider default when empty.'),
      })
      .optional(),
    budget: z
      .object({
        maxAttempts: z
          .number()
          .int()
          .min(1)
          .max(20)
          .default(3)
          .describe('How many plans the agent may try before the environment fails.'),
        maxTokens: z
          .number()
          .int()
          .min(0)
          .max(10_000_000)
          .default(200_000)
          .describe(
            'The model tokens the environment may spend in total, over every planning round of its life.',
          ),
      })
      .default({ maxAttempts: 3, maxTokens: 200_000 }),
    resources: z
      .object({
        cpu: quantity('resources.cpu').default('2'),
        memory: quantity('resources.memory').default('4Gi'),
        storage: quantity('resources.storage').default('10Gi'),
        pods: z.number().int().min(1).max(1000).default(20),
      })
      .default({ cpu: '2', memory: '4Gi', storage: '10Gi', pods: 20 })
      .describe("The environment namespace's resource quota."),
    sleep: sleepSpecSchema.optional(),
  })
  .describe('The desired environment.');

/**
 * Bounds on the lists in status.plan: the whole status must stay small however
 * large a plan is. What does not fit is counted, never silently dropped.
 */
export const PLAN_LIST_LIMITS = { kinds: 32, kindLength: 63, images: 16, imageLength: 512 } as const;

export const vibeEnvironmentStatusSchema = z
  .object({
    phase: z.enum(PHASES).optional().describe('Where the environment is in its lifecycle.'),
    message: z.string().max(4096).optional().describe('The latest news, for humans.'),
    conditions: conditionsSchema,
    observedGeneration: z.number().int().min(0).optional(),
    namespace: z.string().max(63).optional().describe('The namespace the environment was applied into.'),
    previewUrl: z.string().max(2048).optional(),
    expiresAt: z.iso.datetime().optional().describe('When the TTL ends.'),
    attempts: z.number().int().min(0).optional().describe('How many plans were tried.'),
    plan: z
      .object({
        hash: z.string().max(128).describe('A hash of the intent and planner inputs the plan answers.'),
        objects: z.number().int().min(0).describe('How many objects the plan creates.'),
        kinds: z
          .array(z.string().max(PLAN_LIST_LIMITS.kindLength))
          .max(PLAN_LIST_LIMITS.kinds)
          .optional()
          .describe('The kinds of object the plan creates, sorted.'),
        kindsOmitted: z
          .number()
          .int()
          .min(1)
          .optional()
          .describe('How many kinds the capped kinds list leaves out.'),
        images: z
          .array(z.string().max(PLAN_LIST_LIMITS.imageLength))
          .max(PLAN_LIST_LIMITS.images)
          .optional()
          .describe('The container images the plan runs, sorted.'),
        imagesOmitted: z
          .number()
          .int()
          .min(1)
          .optional()
          .describe('How many images the capped images list leaves out.'),
      })
      .optional()
      .describe('What a reviewer approves: the plan by its hash, and what it creates and runs.'),
    usage: z
      .object({
        tokens: z
          .number()
          .int()
          .min(0)
          .default(0)
          .describe(
            'Model tokens spent by every attempt of the environment, counted against spec.budget.maxTokens.',
          ),
        cost: z.string().max(32).default('0').describe('Model cost in US dollars, as a decimal string.'),
      })
      .optional()
      .describe('What the environment spent on models over its life.'),
    progress: progressSchema.optional(),
    sleep: z
      .object({
        since: z.iso
          .datetime()
          .optional()
          .describe('When the environment went to sleep (set while Sleeping).'),
        reason: z
          .enum(['Idle', 'Schedule', 'Requested'])
          .optional()
          .describe('Why it sleeps: no request for sleep.afterIdle, a sleep window, or vibe sleep.'),
        lastRequest: z.iso
          .datetime()
          .optional()
          .describe('The latest request seen through the preview (to the minute).'),
        pausedSeconds: z
          .number()
          .int()
          .min(0)
          .optional()
          .describe('Time spent asleep that the TTL does not count (sleep.pauseTtl).'),
      })
      .optional()
      .describe('Sleep and wake bookkeeping.'),
  })
  .describe('What the operator observed and did.');

export type VibeEnvironmentSpec = z.output<typeof vibeEnvironmentSpecSchema>;
export type VibeEnvironmentStatus = z.output<typeof vibeEnvironmentStatusSchema>;

export interface VibeEnvironment {
  apiVersion: typeof API_VERSION;
  kind: typeof KIND;
  metadata: ObjectMeta;
  spec: VibeEnvironmentSpec;
  status?: VibeEnvironmentStatus;
}

/** Reads a spec as the API server would have stored it, defaults filled in. */
export function parseVibeEnvironmentSpec(spec: unknown): VibeEnvironmentSpec {
  return vibeEnvironmentSpecSchema.parse(spec);
}
