/**
 * The environment client's operations, each once: name, input and output schemas (zod), and whether it
 * only reads or may destroy. The CLI, the MCP tools and the Code Mode API are all generated from here.
 */
import { z } from 'zod';
import { DURATION_PATTERN } from '../api/duration.js';
import { PHASES } from '../api/vibe-environment.js';

const name = z
  .string()
  .min(1)
  .max(253)
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/, {
    message: 'must be a lowercase DNS name such as web-1',
  })
  .describe('The environment name (a lowercase DNS name).');
const namespace = z
  .string()
  .min(1)
  .max(63)
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, { message: 'must be a lowercase DNS label such as team-a' })
  .optional()
  .describe("The namespace of the VibeEnvironment; the caller's default namespace when omitted.");
const duration = z
  .string()
  .min(1)
  .max(16)
  .regex(new RegExp(DURATION_PATTERN), { message: 'must be a duration such as 30m, 2h, 1h30m or 2d' });
const phase = z.enum(PHASES);
const target = { name, namespace };

export const environmentSchema = z
  .object({
    name: z.string(),
    namespace: z.string(),
    intent: z.string(),
    phase: z.string().describe('Pending until the operator first reports; then one of the lifecycle phases.'),
    message: z.string().optional().describe('The latest news from the operator.'),
    approval: z.enum(['Auto', 'Manual']),
    ttl: z.string(),
    extendedBy: z.string().optional().describe('What the vibe.dev/extend annotation adds to the TTL.'),
    createdAt: z.string().optional(),
    expiresAt: z.string().optional().describe('When the TTL ends (RFC 3339).'),
    previewUrl: z.string().optional(),
    environmentNamespace: z.string().optional().describe('The namespace the environment runs in.'),
    attempts: z.number().optional().describe('How many plans were tried.'),
    plan: z
      .object({
        hash: z.string(),
        objects: z.number(),
        kinds: z.array(z.string()).optional(),
        images: z.array(z.string()).optional(),
        approved: z.boolean().describe('Whether vibe.dev/approve names this plan (always true for Auto).'),
      })
      .optional()
      .describe('What a reviewer approves: the plan by its hash and what it creates and runs.'),
    usage: z.object({ tokens: z.number(), cost: z.string() }).optional(),
    sleepingSince: z.string().optional().describe('When the environment went to sleep (phase Sleeping).'),
    conditions: z.array(
      z.object({ type: z.string(), status: z.string(), reason: z.string(), message: z.string() }),
    ),
  })
  .describe('One environment as its status shows it.');
export type Environment = z.output<typeof environmentSchema>;

const attemptSchema = z.object({
  attempt: z.number(),
  author: z.string().describe('Who wrote the script: a model provider or the offline planner.'),
  model: z.string().optional(),
  tokens: z.number().optional(),
  cost: z.string().optional(),
  roundTrips: z.number().optional(),
  script: z.string().optional().describe('The TypeScript program the agent wrote.'),
  failure: z.string().optional().describe("The author's refusal or failure, when no script came back."),
  diagnostics: z
    .array(z.object({ source: z.string(), code: z.string(), message: z.string() }))
    .describe(
      'What the gates (type-check, sandbox, policy, dry-run) and the rollout said; empty when it passed.',
    ),
  gates: z
    .array(z.object({ gate: z.string(), ok: z.boolean() }))
    .optional()
    .describe('Each gate the script went through, in order.'),
  createdAt: z.string().optional(),
});

const eventSchema = z.object({
  type: z.string(),
  reason: z.string(),
  message: z.string(),
  object: z.string().describe('kind/name the event is about.'),
  count: z.number(),
  lastSeen: z.string().optional(),
});

const logLineSchema = z.object({ pod: z.string(), container: z.string(), text: z.string() });

export interface Operation<I extends z.ZodObject = z.ZodObject, O extends z.ZodObject = z.ZodObject> {
  readonly title: string;
  readonly description: string;
  readonly input: I;
  readonly output: O;
  /** Reads only: allowed in read-only mode. */
  readonly readOnly: boolean;
  /** Removes something that cannot be brought back: refused in non-destructive mode. */
  readonly destructive: boolean;
}

function operation<I extends z.ZodObject, O extends z.ZodObject>(op: Operation<I, O>): Operation<I, O> {
  return op;
}

export const operations = {
  create: operation({
    title: 'Create an environment',
    description:
      'Creates a VibeEnvironment from an intent in plain language; the operator plans, checks and applies it.',
    input: z.object({
      intent: z.string().min(1).max(8000).describe('What the environment should be, in plain language.'),
      name: name.optional().describe('The environment name; generated from the intent when omitted.'),
      namespace,
      ttl: duration.optional().describe('How long it lives: 30m, 4h, 1h30m, 2d (default 4h).'),
      approval: z
        .enum(['Auto', 'Manual'])
        .optional()
        .describe('Manual waits for a person to approve the plan before anything is applied.'),
      maxAttempts: z.number().int().min(1).max(20).optional().describe('How many plans the agent may try.'),
      maxTokens: z.number().int().min(0).max(10_000_000).optional().describe('Model tokens it may spend.'),
      preview: z.boolean().optional().describe('Expose a preview URL (default true).'),
    }),
    output: environmentSchema,
    readOnly: false,
    destructive: false,
  }),
  list: operation({
    title: 'List environments',
    description: 'Lists VibeEnvironments in a namespace, or in every namespace the caller may list.',
    input: z.object({
      namespace,
      allNamespaces: z.boolean().optional().describe('List in every namespace.'),
    }),
    output: z.object({ items: z.array(environmentSchema) }),
    readOnly: true,
    destructive: false,
  }),
  get: operation({
    title: 'Get an environment',
    description: 'Phase, conditions, preview URL, expiry, plan summary and usage of one environment.',
    input: z.object(target),
    output: environmentSchema,
    readOnly: true,
    destructive: false,
  }),
  wait: operation({
    title: 'Wait for a phase',
    description:
      'Waits until the environment reaches one of the phases (or Failed), then returns it; fails on timeout.',
    input: z.object({
      ...target,
      phases: z.array(phase).min(1).default(['Ready']).describe('The phases to wait for.'),
      timeoutSeconds: z.number().int().min(1).max(3600).default(600),
    }),
    output: environmentSchema,
    readOnly: true,
    destructive: false,
  }),
  extend: operation({
    title: 'Extend the lifetime',
    description: 'Lets the environment live longer: adds the duration to what vibe.dev/extend already adds.',
    input: z.object({ ...target, by: duration.describe('How much longer: 30m, 2h, 1d.') }),
    output: environmentSchema,
    readOnly: false,
    destructive: false,
  }),
  approve: operation({
    title: 'Approve the plan',
    description:
      'Approves the current plan of a Manual environment by writing its hash to vibe.dev/approve. With hash, ' +
      'refuses when the plan changed since it was reviewed.',
    input: z.object({
      ...target,
      hash: z.string().max(128).optional().describe('The plan hash that was reviewed (status.plan.hash).'),
    }),
    output: environmentSchema,
    readOnly: false,
    destructive: false,
  }),
  sleep: operation({
    title: 'Put to sleep',
    description:
      'Scales every workload of a Ready environment to zero, keeping its volumes (phase Sleeping); a request ' +
      'to its preview or wake brings it back.',
    input: z.object(target),
    output: environmentSchema,
    readOnly: false,
    destructive: false,
  }),
  wake: operation({
    title: 'Wake up',
    description:
      'Wakes a sleeping environment: its workloads get their replicas back and it becomes Ready again.',
    input: z.object(target),
    output: environmentSchema,
    readOnly: false,
    destructive: false,
  }),
  delete: operation({
    title: 'Delete an environment',
    description: 'Deletes the environment: its namespace and everything in it go.',
    input: z.object(target),
    output: z.object({ name: z.string(), namespace: z.string(), deleted: z.boolean() }),
    readOnly: false,
    destructive: true,
  }),
  attempts: operation({
    title: 'Show the attempts',
    description:
      'Every plan the agent tried: the script, the diagnostics of each gate, the model and the tokens spent.',
    input: z.object(target),
    output: z.object({ attempts: z.array(attemptSchema) }),
    readOnly: true,
    destructive: false,
  }),
  logs: operation({
    title: 'Read workload logs',
    description: "The latest log lines of every container in the environment's namespace.",
    input: z.object({
      ...target,
      tailLines: z.number().int().min(1).max(5000).default(100).describe('Lines per container.'),
    }),
    output: z.object({ lines: z.array(logLineSchema) }),
    readOnly: true,
    destructive: false,
  }),
  events: operation({
    title: 'List events',
    description: 'Events about the environment and about the objects in its namespace, oldest first.',
    input: z.object(target),
    output: z.object({ events: z.array(eventSchema) }),
    readOnly: true,
    destructive: false,
  }),
};

export type Operations = typeof operations;
export type OperationName = keyof Operations;
export type InputOf<N extends OperationName> = z.input<Operations[N]['input']>;
export type OutputOf<N extends OperationName> = z.output<Operations[N]['output']>;
export type Attempt = z.output<typeof attemptSchema>;
export type EnvironmentEvent = z.output<typeof eventSchema>;
export type LogLine = z.output<typeof logLineSchema>;
