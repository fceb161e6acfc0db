/**
 * What is applied is what was checked: the stored plan carries the hash of the manifests the
 * policy gate and the dry-run passed (and so does the accepted attempt's record). Before applying,
 * the manifests are hashed again; a plan edited after the checks, or stored without a hash, is
 * refused rather than applied.
 */
import { manifestsDigest } from '../../agent/checks.js';
import { ApplyError } from '../cluster/index.js';
import type { StoredAttempt, StoredPlan } from './attempt-store.js';

export function uncheckedPlanError(
  plan: StoredPlan,
  attempt: StoredAttempt | undefined,
): ApplyError | undefined {
  const refuse = (why: string) =>
    new ApplyError(
      'VIBE_APPLY_UNCHECKED_MANIFESTS',
      `plan ${plan.hash} was not applied: ${why}. Change the environment's spec (any field) to plan and check it again.`,
    );
  if (!plan.checkedSha256) return refuse('it carries no hash of checked manifests');
  if (manifestsDigest(plan.manifests) !== plan.checkedSha256) {
    return refuse('its manifests differ from the ones the policy gate and the dry-run passed');
  }
  if (attempt?.checkedSha256 && attempt.checkedSha256 !== plan.checkedSha256) {
    return refuse(`its manifests differ from the ones attempt ${attempt.attempt} passed the checks with`);
  }
  return undefined;
}
