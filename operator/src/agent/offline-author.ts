/** The offline planner as a script author: one deterministic script, no revisions. */
import { compileIntent } from '../models/index.js';
import { NO_USAGE } from './author-usage.js';
import type { Authored, AuthorRequest, ScriptAuthor } from './script-author.js';

export const offlineAuthor: ScriptAuthor = {
  name: 'offline',
  free: true,
  async write(request: AuthorRequest): Promise<Authored> {
    if (request.attempt > 1) {
      return {
        ok: false,
        refused: false,
        code: 'VIBE_AGENT_OFFLINE_CANNOT_REVISE',
        message:
          'the offline planner writes one script per intent and cannot revise it; rephrase the intent or use a model planner.',
      };
    }
    const result = compileIntent(request.intent);
    if (result.ok) return { ok: true, script: result.script, usage: NO_USAGE };
    return { ok: false, refused: true, code: result.code, message: result.message };
  },
};
