/**
 * The catalogue of every `VIBE_*` error code: one entry per code (message template and what to do),
 * in families that become the sections of docs/errors.md. A code is defined here and nowhere else;
 * code that compares or re-raises a code it does not raise itself takes it from `CODE`.
 */
import { AGENT_ERRORS } from './agent.js';
import { APPLY_ERRORS } from './apply.js';
import { CLI_ERRORS } from './cli.js';
import { CLIENT_ERRORS } from './client.js';
import type { ErrorFamily } from './entry.js';
import { MODEL_ERRORS } from './models.js';
import { OPERATOR_ERRORS } from './operator.js';
import { POLICY_ERRORS } from './policy.js';
import { PREVIEW_ERRORS } from './preview.js';
import { ROLLOUT_ERRORS } from './rollout.js';
import { SANDBOX_ERRORS } from './sandbox.js';
import { SLEEP_ERRORS } from './sleep.js';

/** The families in the order docs/errors.md lists them. */
export const ERROR_FAMILIES: readonly ErrorFamily[] = [
  OPERATOR_ERRORS,
  AGENT_ERRORS,
  MODEL_ERRORS,
  SANDBOX_ERRORS,
  POLICY_ERRORS,
  APPLY_ERRORS,
  ROLLOUT_ERRORS,
  PREVIEW_ERRORS,
  SLEEP_ERRORS,
  CLIENT_ERRORS,
  CLI_ERRORS,
];

type Codes<F> = F extends { codes: infer C } ? keyof C : never;

/** Every code the operator, the sandbox runtime and the `vibe` commands raise. */
export type ErrorCode =
  | Codes<typeof OPERATOR_ERRORS>
  | Codes<typeof AGENT_ERRORS>
  | Codes<typeof MODEL_ERRORS>
  | Codes<typeof SANDBOX_ERRORS>
  | Codes<typeof POLICY_ERRORS>
  | Codes<typeof APPLY_ERRORS>
  | Codes<typeof ROLLOUT_ERRORS>
  | Codes<typeof PREVIEW_ERRORS>
  | Codes<typeof SLEEP_ERRORS>
  | Codes<typeof CLIENT_ERRORS>
  | Codes<typeof CLI_ERRORS>;

/** Codes that appear in more than one family: the catalogue's check refuses any. */
export function codesDefinedTwice(families: readonly ErrorFamily[] = ERROR_FAMILIES): string[] {
  const seen = new Set<string>();
  const twice = new Set<string>();
  for (const family of families) {
    for (const code of Object.keys(family.codes)) {
      if (seen.has(code)) twice.add(code);
      seen.add(code);
    }
  }
  return [...twice].sort();
}

/** Each code as a value, for code that names a code it does not raise: `CODE.VIBE_AGENT_STUCK`. */
export const CODE: { readonly [C in ErrorCode]: C } = Object.freeze(
  Object.fromEntries(
    ERROR_FAMILIES.flatMap((family) => Object.keys(family.codes)).map((code) => [code, code]),
  ),
) as { readonly [C in ErrorCode]: C };
