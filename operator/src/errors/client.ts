import type { ErrorFamily } from './entry.js';

export const CLIENT_ERRORS = {
  title: 'Environment client (vibe commands, MCP tools)',
  about:
    "Operations on VibeEnvironments with the caller's own credentials; the `vibe` commands print them and exit non-zero.",
  codes: {
    VIBE_CLIENT_CONFLICT: {
      message: '{object} changed while it was being updated',
      action: 'Run the command again.',
    },
    VIBE_CLIENT_EXISTS: {
      message: '{object} already exists',
      action: 'Pick another name or delete the existing environment.',
    },
    VIBE_CLIENT_FAILED: {
      message: 'the API server refused the request: {detail}',
      action: 'Read the detail; run the command again once the cluster answers.',
    },
    VIBE_CLIENT_FORBIDDEN: {
      message: 'you may not {verb} {object}',
      action: 'Ask for RBAC on vibeenvironments in that namespace.',
    },
    VIBE_CLIENT_INVALID: {
      message: '{operation}: {field} {problem}',
      action: "Fix the field; the operation's input schema says what it takes.",
    },
    VIBE_CLIENT_NOT_FOUND: {
      message: '{object} does not exist',
      action: 'Check the name and the namespace (`vibe list`).',
    },
    VIBE_CLIENT_NOT_MANUAL: {
      message: '{object} has approval: Auto, so its plans need no approval',
      action: 'Create it with --approval manual to review plans.',
    },
    VIBE_CLIENT_NOT_READY: {
      message: '{object} is {phase}; only a Ready environment can sleep',
      action: 'Wait for phase Ready (`vibe get NAME`), then put it to sleep.',
    },
    VIBE_CLIENT_NO_PLAN: {
      message: '{object} has no plan yet (phase {phase})',
      action: 'Wait for phase AwaitingApproval (`vibe get NAME` shows it).',
    },
    VIBE_CLIENT_STALE_PLAN: {
      message: '{object} now has plan {hash}, not the reviewed {reviewed}',
      action: 'Review the new plan and approve again.',
    },
    VIBE_CLIENT_TIMEOUT: {
      message: '{object} is still {phase} after {seconds} s',
      action: 'Wait longer, or look at `vibe get NAME` and its events.',
    },
    VIBE_CLIENT_UNAUTHORIZED: {
      message: 'the API server does not accept your credentials',
      action: 'Log in again or fix the kubeconfig.',
    },
    VIBE_CLIENT_UNREACHABLE: {
      message: 'the API server at {server} does not answer',
      action: 'Check the kubeconfig and that the cluster is up.',
    },
  },
} as const satisfies ErrorFamily;
