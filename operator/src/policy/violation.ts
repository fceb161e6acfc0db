/** One broken rule: which object, which field, what is wrong and what to change. */
export interface Violation {
  readonly code: `VIBE_POLICY_${string}`;
  /** `Kind/name` of the object, or `environment` for rules about the whole set. */
  readonly object: string;
  /** Dotted path of the field at fault, e.g. `spec.template.spec.hostNetwork`. */
  readonly field: string;
  readonly message: string;
  readonly fix: string;
}

export function describeViolation(v: Violation): string {
  return `${v.object} ${v.field}: ${v.message} Fix: ${v.fix}`;
}
