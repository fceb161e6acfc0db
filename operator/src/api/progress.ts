import { z } from 'zod';

/**
 * What the reconciler framework remembers about its handlers, kept in
 * status.progress of every resource it manages. Small by design: handler ids,
 * retry counts and times, never a copy of the object.
 */
export const handlerProgressSchema = z.object({
  id: z.string().min(1).max(253),
  retries: z.number().int().min(0).default(0),
  done: z.boolean().optional(),
  failed: z.boolean().optional(),
  delayedUntil: z.iso.datetime().optional(),
  message: z.string().max(4096).optional(),
});

export const progressSchema = z
  .object({
    handledGeneration: z
      .number()
      .int()
      .min(0)
      .optional()
      .describe('The metadata.generation whose create or update handlers all finished.'),
    cause: z.enum(['create', 'update', 'delete']).optional().describe('The cause being handled.'),
    handlers: z
      .array(handlerProgressSchema)
      .max(64)
      .optional()
      .meta({ 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['id'] }),
  })
  .describe('Handler bookkeeping of the operator framework.');

export type HandlerProgress = z.output<typeof handlerProgressSchema>;
export type Progress = z.output<typeof progressSchema>;
