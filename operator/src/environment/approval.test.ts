import { describe, expect, it } from 'vitest';
import { parseVibeEnvironmentSpec, type VibeEnvironment } from '../api/vibe-environment.js';
import { approvalOf } from './approval.js';

function env(approval: 'Auto' | 'Manual', approve?: string): VibeEnvironment {
  return {
    apiVersion: 'vibe.dev/v1alpha1',
    kind: 'VibeEnvironment',
    metadata: { name: 'web', ...(approve ? { annotations: { 'vibe.dev/approve': approve } } : {}) },
    spec: parseVibeEnvironmentSpec({ intent: 'x', approval }),
  };
}

describe('approvalOf', () => {
  it('approves every plan of an Auto environment', () => {
    expect(approvalOf(env('Auto'), 'abc')).toEqual({ state: 'approved' });
  });

  it('waits for a Manual plan and says how to approve it', () => {
    const approval = approvalOf(env('Manual'), 'abc123');
    expect(approval.state).toBe('waiting');
    expect(approval.state !== 'approved' && approval.message).toContain(
      'kubectl annotate vibeenvironment web --overwrite vibe.dev/approve=abc123',
    );
  });

  it('applies a Manual plan once its own hash is written', () => {
    expect(approvalOf(env('Manual', 'abc123'), 'abc123')).toEqual({ state: 'approved' });
  });

  it('refuses an approval of another plan, naming both hashes', () => {
    const approval = approvalOf(env('Manual', 'old999'), 'abc123');
    expect(approval.state).toBe('stale');
    expect(approval.state !== 'approved' && approval.message).toContain(
      'The approval names plan old999, but the current plan is abc123',
    );
  });
});
