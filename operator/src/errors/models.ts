import type { ErrorFamily } from './entry.js';

export const MODEL_ERRORS = {
  title: 'Model gateway',
  about:
    "Calls to model providers after the gateway's retries and fallbacks (docs/models.md); an environment shows them as ModelUnavailable while planning waits, the `vibe plan` command prints them.",
  codes: {
    VIBE_MODEL_ALL_PROVIDERS_FAILED: {
      message: 'No model provider answered. {each provider and why}',
      action: "Fix the first provider's failure, or add a fallback provider.",
    },
    VIBE_MODEL_API_KEY_MISSING: {
      message: "Model provider '{name}' has no API key (or its apiKeyFile cannot be read)",
      action:
        "Set the provider's apiKey or apiKeyFile from a Secret, or ANTHROPIC_API_KEY / OPENAI_API_KEY for the CLI.",
    },
    VIBE_MODEL_AUTH_FAILED: {
      message: '{provider} refused the API key (HTTP {status})',
      action: "Replace the provider's API key.",
    },
    VIBE_MODEL_BAD_RESPONSE: {
      message: "Model provider '{provider}' ({model}) {what was wrong with the answer}",
      action: "Use another model, or check that the server speaks the provider's API.",
    },
    VIBE_MODEL_BUDGET_EXHAUSTED: {
      message: 'the session has spent its token budget ({spent} of {maxTokens})',
      action: 'Raise spec.budget.maxTokens (environments) or the budget in the models configuration.',
    },
    VIBE_MODEL_ENV_MISSING: {
      message: 'The openai-compatible planner needs OPENAI_BASE_URL and VIBE_OPENAI_MODEL',
      action: 'Set them and run again, or give the operator a models configuration.',
    },
    VIBE_MODEL_NO_PROVIDER: {
      message: 'The model gateway has no provider',
      action: 'List at least one under providers (offline needs no key).',
    },
    VIBE_MODEL_RATE_LIMITED: {
      message: '{provider} is rate-limiting the operator (HTTP 429)',
      action: "Retried with back-off; raise the account's limits or add a fallback provider.",
    },
    VIBE_MODEL_REQUEST_REJECTED: {
      message: '{provider} rejected the request (HTTP {status})',
      action: 'Check the model name and maxOutputTokens.',
    },
    VIBE_MODEL_SERVER_ERROR: {
      message: '{provider} failed (HTTP {status})',
      action: 'Retried with back-off; add a fallback provider if it persists.',
    },
    VIBE_MODEL_TIMEOUT: {
      message: '{provider} did not answer within {timeoutMs} ms',
      action: "Raise the provider's timeoutMs, or use a faster model.",
    },
    VIBE_MODEL_UNREACHABLE: {
      message: '{provider} cannot be reached: {detail}',
      action: "Check the provider's baseURL and the operator's network egress.",
    },
  },
} as const satisfies ErrorFamily;
