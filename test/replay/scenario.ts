import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { z } from 'zod';

/**
 * A scenario scripts what the replay server answers, one list per API: each
 * request gets the first step not served yet (among those whose `match` it
 * fits). Each step is an HTTP error, a model answer (text and/or tool calls,
 * formatted by the server for the API asked), or a raw recorded body.
 */

const headers = z.record(z.string(), z.string());

/**
 * Serves the step only to a request whose JSON body contains this text (e.g. a
 * phrase of one environment's intent), so concurrent conversations each get
 * their own answers. Steps without it serve any request.
 */
const match = z.string().min(1).optional();

const errorStep = z.strictObject({
  status: z.number().int().min(400).max(599),
  headers: headers.optional(),
  /** The API's error message; the body is shaped like each API's error. */
  message: z.string().optional(),
  delayMs: z.number().int().nonnegative().optional(),
  match,
});

const usage = z.strictObject({
  input: z.number().int().nonnegative().optional(),
  output: z.number().int().nonnegative().optional(),
  cacheCreation: z.number().int().nonnegative().optional(),
  cacheRead: z.number().int().nonnegative().optional(),
});

const answerStep = z.strictObject({
  text: z.string().optional(),
  /** Read from a file next to the scenario, for scripts too long to keep in JSON. */
  textFile: z.string().optional(),
  toolCalls: z
    .array(z.strictObject({ name: z.string(), input: z.unknown(), id: z.string().optional() }))
    .optional(),
  /** Estimated from the request and answer sizes (4 characters a token) when absent. */
  usage: usage.optional(),
  stopReason: z.enum(['end', 'max_tokens', 'tool_use']).optional(),
  headers: headers.optional(),
  delayMs: z.number().int().nonnegative().optional(),
  match,
});

const rawStep = z.strictObject({
  /** A body sent exactly as recorded. */
  raw: z.json(),
  status: z.number().int().min(100).max(599).default(200),
  headers: headers.optional(),
  delayMs: z.number().int().nonnegative().optional(),
  match,
});

export const stepSchema = z.union([rawStep, errorStep, answerStep]);

export const scenarioSchema = z.strictObject({
  name: z.string().default('unnamed'),
  anthropic: z.array(stepSchema).default([]),
  openai: z.array(stepSchema).default([]),
  /** What to do once a list is used up: answer with its last entry again, or fail the request. */
  whenExhausted: z.enum(['repeat-last', 'fail']).default('fail'),
});

export type ScenarioInput = z.input<typeof scenarioSchema>;
export type Scenario = z.infer<typeof scenarioSchema>;
export type Step = z.infer<typeof stepSchema>;
export type ErrorStep = z.infer<typeof errorStep>;
export type AnswerStep = z.infer<typeof answerStep>;
export type RawStep = z.infer<typeof rawStep>;
export type ReplayApi = 'anthropic' | 'openai';

export function isRawStep(step: Step): step is RawStep {
  return 'raw' in step;
}

export function isErrorStep(step: Step): step is ErrorStep {
  return 'status' in step && !('raw' in step);
}

/** Validates a scenario and inlines `textFile`s, resolved against `baseDir`. */
export function parseScenario(input: unknown, baseDir: string = process.cwd()): Scenario {
  const scenario = scenarioSchema.parse(input);
  const inline = (step: Step): Step => {
    if (isRawStep(step) || isErrorStep(step) || step.textFile === undefined) return step;
    const { textFile, ...rest } = step;
    return { ...rest, text: readFileSync(resolve(baseDir, textFile), 'utf8') };
  };
  return { ...scenario, anthropic: scenario.anthropic.map(inline), openai: scenario.openai.map(inline) };
}

export function loadScenario(file: string): Scenario {
  return parseScenario(JSON.parse(readFileSync(file, 'utf8')), dirname(file));
}
