import { describe, expect, it } from 'vitest';
import { NO_USAGE } from '../../agent/author-usage.js';
import type { AgentOutcome } from '../../agent/loop.js';
import { EXIT, exitCodeFor } from './pipeline-options.js';

const outcome = (failure?: AgentOutcome['failure']): AgentOutcome => ({
  ok: failure === undefined,
  manifests: [],
  attempts: [],
  diagnostics: [],
  usage: NO_USAGE,
  ...(failure && { failure }),
});

describe('vibe plan exit codes', () => {
  it.each([
    ['success', undefined, EXIT.ok],
    ['a refused intent', { gate: 'author', code: 'VIBE_PLAN_REFUSED', message: 'm', refused: true }, 2],
    [
      'a script that does not type-check',
      { gate: 'typecheck', code: 'VIBE_AGENT_STUCK', message: 'm', refused: false },
      3,
    ],
    [
      'a script that failed in the sandbox',
      { gate: 'sandbox', code: 'VIBE_AGENT_BUDGET_EXHAUSTED', message: 'm', refused: false },
      3,
    ],
    [
      'policy violations',
      { gate: 'policy', code: 'VIBE_AGENT_BUDGET_EXHAUSTED', message: 'm', refused: false },
      4,
    ],
    [
      'a server-side dry-run refusal',
      { gate: 'dry-run', code: 'VIBE_AGENT_BUDGET_EXHAUSTED', message: 'm', refused: false },
      4,
    ],
  ] as const)('%s', (_name, failure, code) => {
    expect(exitCodeFor(outcome(failure))).toBe(code);
  });
});
