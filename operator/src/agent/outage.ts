/**
 * Whether planning failed because a part the agent needs is out (its sandbox, every model), not
 * because of the plan. The lifecycle waits and plans again for these; it learns of them here, so
 * it needs to know neither the sandbox's nor the model gateway's errors.
 */
import { SandboxSetupError } from '../sandbox/errors.js';
import { AuthorUnavailableError } from './script-author.js';

export interface PlannerOutage {
  /** The condition reason the environment shows while it waits. */
  reason: 'SandboxUnavailable' | 'ModelUnavailable';
  /** One sentence for the condition and the event. */
  message: string;
}

export function plannerOutage(err: unknown): PlannerOutage | undefined {
  if (err instanceof SandboxSetupError) {
    return {
      reason: 'SandboxUnavailable',
      message: `The sandbox cannot run the program (${err.code}): ${err.message}`,
    };
  }
  if (err instanceof AuthorUnavailableError) {
    return { reason: 'ModelUnavailable', message: `No model answered (${err.reason}): ${err.message}` };
  }
  return undefined;
}
