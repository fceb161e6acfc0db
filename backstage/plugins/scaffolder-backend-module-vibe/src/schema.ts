/** What the environment actions share (zod factories, as createTemplateAction takes them). */
import type { z as zod } from 'zod/v3';

type Z = typeof zod;

export const outputSchema = {
  name: (z: Z) => z.string().describe('The environment name.'),
  namespace: (z: Z) => z.string().describe('The namespace of the VibeEnvironment.'),
  phase: (z: Z) => z.string().describe('Its phase when the action finished.'),
  previewUrl: (z: Z) => z.string().optional().describe('Where its preview is served, once it has one.'),
  expiresAt: (z: Z) => z.string().optional().describe('When its TTL ends (RFC 3339).'),
};

/** The wait's bound, for the actions that wait. */
export const timeoutSecondsInput = (z: Z) =>
  z.number().int().min(1).max(3600).optional().describe('How long to wait, in seconds (default 600).');
