import { describe, expect, it } from 'vitest';
import type { VibeEnvironmentSchedule } from '../api/vibe-environment-schedule.js';
import { parseVibeEnvironmentSpec, type VibeEnvironment } from '../api/vibe-environment.js';
import { ScheduleError } from './errors.js';
import { assertNameFits, isRunOf, runEnvironment, runName } from './run-environment.js';
import { runState, toRun } from './run.js';

const schedule: VibeEnvironmentSchedule = {
  apiVersion: 'vibe.dev/v1alpha1',
  kind: 'VibeEnvironmentSchedule',
  metadata: { name: 'nightly', namespace: 'team-a', uid: 'uid-1' },
  spec: {
    schedule: '0 2 * * *',
    concurrencyPolicy: 'Forbid',
    suspend: false,
    successfulHistoryLimit: 3,
    failedHistoryLimit: 1,
    template: {
      metadata: { labels: { team: 'a', 'vibe.dev/schedule': 'spoofed' }, annotations: { note: 'hi' } },
      spec: parseVibeEnvironmentSpec({ intent: 'a web app', ttl: '2h' }),
    },
  },
};
const scheduledAt = new Date('2026-11-24T02:00:00Z');

describe('runEnvironment', () => {
  it('names the run after the schedule and the scheduled minute in unix minutes', () => {
    expect(runName('nightly', scheduledAt)).toBe('nightly-29924760');
    expect(runName('nightly', new Date(scheduledAt.getTime() + 59_999))).toBe('nightly-29924760');
  });

  it('builds the template, labelled, annotated and owned by the schedule', () => {
    const env = runEnvironment(schedule, scheduledAt);
    expect(env).toEqual({
      apiVersion: 'vibe.dev/v1alpha1',
      kind: 'VibeEnvironment',
      metadata: {
        name: 'nightly-29924760',
        namespace: 'team-a',
        labels: { team: 'a', 'vibe.dev/schedule': 'nightly' },
        annotations: { note: 'hi', 'vibe.dev/scheduled-time': '2026-11-24T02:00:00Z' },
        ownerReferences: [
          {
            apiVersion: 'vibe.dev/v1alpha1',
            kind: 'VibeEnvironmentSchedule',
            name: 'nightly',
            uid: 'uid-1',
            controller: true,
            blockOwnerDeletion: true,
          },
        ],
      },
      spec: schedule.spec.template.spec,
    });
    expect(env.spec).not.toBe(schedule.spec.template.spec);
    expect(isRunOf(env, schedule)).toBe(true);
    expect(toRun(env)).toEqual({ name: 'nightly-29924760', scheduledAt, state: 'active' });
  });

  it('does not count an environment owned by an earlier schedule of the same name', () => {
    const env = runEnvironment(
      { ...schedule, metadata: { ...schedule.metadata, uid: 'uid-0' } },
      scheduledAt,
    );
    expect(isRunOf(env, schedule)).toBe(false);
  });

  it('refuses a name too long for the label, saying what to do', () => {
    const long = { ...schedule, metadata: { ...schedule.metadata, name: 'n'.repeat(64) } };
    expect(() => assertNameFits(long)).toThrow(ScheduleError);
    expect(() => assertNameFits(long)).toThrow(
      /has 64 characters.*Recreate the schedule under a shorter name/,
    );
    expect(() => assertNameFits(schedule)).not.toThrow();
  });
});

describe('runState', () => {
  const env = (phase?: string, deleting = false) =>
    ({
      metadata: { name: 'e', ...(deleting ? { deletionTimestamp: '2026-01-01T00:00:00Z' } : {}) },
      status: phase ? { phase } : undefined,
    }) as VibeEnvironment;

  it.each([
    [undefined, 'active'],
    ['Planning', 'active'],
    ['AwaitingApproval', 'active'],
    ['Progressing', 'active'],
    ['Ready', 'succeeded'],
    ['Expired', 'succeeded'],
    ['Failed', 'failed'],
  ])('phase %s is %s', (phase, state) => {
    expect(runState(env(phase))).toBe(state);
  });

  it('a run being deleted is neither active nor history', () => {
    expect(runState(env('Ready', true))).toBe('deleting');
    expect(runState(env('Planning', true))).toBe('deleting');
  });
});
