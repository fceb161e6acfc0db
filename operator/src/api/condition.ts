import { z } from 'zod';

/** The shape of metav1.Condition, so kubectl wait and dashboards read ours as they read built-ins. */
export const conditionSchema = z.object({
  type: z
    .string()
    .min(1)
    .max(316)
    .describe('The aspect of the object this condition reports on, in CamelCase (e.g. Ready).'),
  status: z.enum(['True', 'False', 'Unknown']).describe('Whether the condition holds.'),
  reason: z.string().min(1).max(1024).describe('A CamelCase word for the last transition, for machines.'),
  message: z.string().max(32768).default('').describe('What happened and what to do about it, for humans.'),
  observedGeneration: z
    .number()
    .int()
    .min(0)
    .optional()
    .describe('The metadata.generation this condition was computed from.'),
  lastTransitionTime: z.iso.datetime().describe('When status last changed.'),
});

export type Condition = z.output<typeof conditionSchema>;
export type ConditionStatus = Condition['status'];

export const conditionsSchema = z
  .array(conditionSchema)
  .max(32)
  .optional()
  .meta({ 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['type'] })
  .describe('The latest observations of the object, one per type.');

export interface ConditionUpdate {
  type: string;
  status: ConditionStatus;
  reason: string;
  message?: string;
  observedGeneration?: number;
}

/**
 * Returns the list with one condition set. lastTransitionTime moves only when
 * status changes, as metav1.Condition requires; the input is not modified.
 */
export function setCondition(
  conditions: readonly Condition[] | undefined,
  update: ConditionUpdate,
  now: Date = new Date(),
): Condition[] {
  const list = [...(conditions ?? [])];
  const index = list.findIndex((c) => c.type === update.type);
  const previous = index >= 0 ? list[index] : undefined;
  const next: Condition = {
    type: update.type,
    status: update.status,
    reason: update.reason,
    message: update.message ?? '',
    ...(update.observedGeneration === undefined ? {} : { observedGeneration: update.observedGeneration }),
    lastTransitionTime:
      previous && previous.status === update.status ? previous.lastTransitionTime : rfc3339(now),
  };
  if (index >= 0) list[index] = next;
  else list.push(next);
  return list;
}

export function findCondition(conditions: readonly Condition[] | undefined, type: string) {
  return conditions?.find((c) => c.type === type);
}

/** RFC 3339 with second precision, the form the API server stores for metav1.Time. */
export function rfc3339(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
