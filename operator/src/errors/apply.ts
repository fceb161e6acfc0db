import type { ErrorFamily } from './entry.js';

export const APPLY_ERRORS = {
  title: 'Apply and isolation',
  about:
    "Server-side apply of a plan as the environment's applier identity, and its dry-run; they end in the Applied condition or, from the dry-run, in the next attempt's diagnostics.",
  codes: {
    VIBE_APPLY_CONFLICT: {
      message: '{object}: another field manager owns a field the plan sets',
      action: 'Retried by itself; if it stays, remove the other writer of that object.',
    },
    VIBE_APPLY_FAILED: {
      message: '{object}: the API server refused the object: {reason}',
      action: 'Read the reason; usually an outage that is retried by itself.',
    },
    VIBE_APPLY_FORBIDDEN: {
      message: "{object}: the environment's applier may not write it",
      action:
        'The plan writes a kind or namespace outside the applier Role; keep objects in the environment.',
    },
    VIBE_APPLY_IDENTITY_NOT_BOUND: {
      message: '{user} may not write in namespace {namespace} yet',
      action: 'Apply the isolation objects (Role and RoleBinding vibe-applier) before the plan.',
    },
    VIBE_APPLY_INVALID: {
      message: '{object}: the API server found the object invalid: {detail}',
      action: 'Fix the field the message names.',
    },
    VIBE_APPLY_INVALID_APPLYSET_ID: {
      message: 'the applyset id "{id}" is not a valid label value',
      action: 'Derive it with applySetIdFor(namespace).',
    },
    VIBE_APPLY_POD_SECURITY: {
      message: "{object}: the namespace's Pod Security level refuses the pod: {detail}",
      action:
        'Run as non-root with no privilege escalation, all capabilities dropped and a RuntimeDefault seccomp profile.',
    },
    VIBE_APPLY_QUOTA_EXCEEDED: {
      message: "{object}: the namespace's quota refuses it: {detail}",
      action: 'Request less CPU, memory or storage, or fewer pods.',
    },
    VIBE_APPLY_RESERVED_NAME: {
      message: '{kind}/{name} is an object the operator keeps in every environment namespace',
      action: 'Give the planned object another name.',
    },
    VIBE_APPLY_UNCHECKED_MANIFESTS: {
      message: 'plan {hash} was not applied: {why}',
      action: "Change the environment's spec (any field) to plan and check it again.",
    },
    VIBE_APPLY_UNKNOWN_KIND: {
      message: '{object}: the API server does not serve this kind',
      action: 'Use a kind the cluster serves, or install its CRD.',
    },
    VIBE_ISOLATION_NAMESPACE_OUTSIDE_PREFIX: {
      message: 'namespace {namespace} does not start with the environment prefix "{prefix}"',
      action: 'The operator isolates only namespaces it named; check the namespacePrefix setting.',
    },
  },
} as const satisfies ErrorFamily;
