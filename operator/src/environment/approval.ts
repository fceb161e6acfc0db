import { ANNOTATION_APPROVE } from '../api/labels.js';
import type { VibeEnvironment } from '../api/vibe-environment.js';

export type Approval =
  { state: 'approved' } | { state: 'waiting'; message: string } | { state: 'stale'; message: string };

/**
 * Whether a plan may be applied. An approval names the plan it approves, so a
 * plan that changed after a person looked at it is never applied on an old "yes".
 */
export function approvalOf(env: VibeEnvironment, planHash: string): Approval {
  if (env.spec.approval !== 'Manual') return { state: 'approved' };
  const given = env.metadata.annotations?.[ANNOTATION_APPROVE];
  const how = `kubectl annotate vibeenvironment ${env.metadata.name} --overwrite ${ANNOTATION_APPROVE}=${planHash}`;
  if (given === undefined || given === '') {
    return { state: 'waiting', message: `The plan ${planHash} waits for approval; approve it with: ${how}` };
  }
  if (given === planHash) return { state: 'approved' };
  return {
    state: 'stale',
    message: `The approval names plan ${given}, but the current plan is ${planHash}; review status.plan and approve it with: ${how}`,
  };
}
