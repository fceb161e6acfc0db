import type { ErrorFamily } from './entry.js';

export const AGENT_ERRORS = {
  title: 'Agent and planning',
  about:
    "The Code Mode agent's loop and the planner contract; they end in the Planned condition and the environment's events.",
  codes: {
    VIBE_AGENT_ANSWER_TRUNCATED: {
      message: 'the model ran out of output tokens before finishing the program',
      action: "Raise the provider's maxOutputTokens in the models configuration.",
    },
    VIBE_AGENT_AUTHOR_UNAVAILABLE: {
      message: 'no model answered ({reason}): {detail}',
      action: 'Planning waits and retries by itself; fix what the model gateway code in the message names.',
    },
    VIBE_AGENT_BAD_TOOL_CALL: {
      message: 'call {n} ({tool}): {problem}',
      action: 'Fed back to the model as a diagnostic; if it persists, use another model.',
    },
    VIBE_AGENT_BUDGET_EXHAUSTED: {
      message: 'the budget of {maxAttempts} attempts is spent: {last diagnostic}',
      action: 'Raise spec.budget.maxAttempts or change the intent.',
    },
    VIBE_AGENT_FAILED: {
      message: 'the agent gave up without saying why',
      action: "Read the environment's attempts (`vibe attempts NAME`) and change the intent.",
    },
    VIBE_AGENT_OFFLINE_CANNOT_REVISE: {
      message: 'the offline planner writes one script per intent and cannot revise it',
      action: 'Rephrase the intent or use a model planner.',
    },
    VIBE_AGENT_STUCK: {
      message: 'the same {gate} error came back {count} times, even after asking for a rewrite; stopping',
      action: 'Change the intent (the model keeps failing the same way) or use another model.',
    },
    VIBE_AGENT_TOKEN_BUDGET_EXHAUSTED: {
      message:
        'the environment has spent {spent} of the {maxTokens} model tokens spec.budget.maxTokens allows over all its planning rounds',
      action: "Raise spec.budget.maxTokens; the budget spans the environment's whole life (ADR 0065).",
    },
    VIBE_AGENT_TOO_MANY_TURNS: {
      message: 'the model was still calling tools after {maxTurns} turns',
      action: 'Use Code Mode (the default) or a simpler intent.',
    },
    VIBE_PLAN_NOT_UNDERSTOOD: {
      message: 'the offline planner does not understand "{phrase}": {why}',
      action:
        'Name images, ports and building blocks the offline planner knows (docs/models.md), or use a model.',
    },
    VIBE_PLAN_REFUSED: {
      message: 'the planner refused the intent: {why}',
      action: 'Ask for something the policy allows (docs/policy.md).',
    },
    VIBE_PLAN_UNCHECKED: {
      message: 'the plan did not pass the checks',
      action: "Read the Planned condition's message and the attempts; change the intent.",
    },
    VIBE_PLANNER_MODULE_INVALID: {
      message: 'the planner module {path} {why}; it must export createPlanner(): Planner',
      action: 'Fix the module given to --planner-module.',
    },
  },
} as const satisfies ErrorFamily;
