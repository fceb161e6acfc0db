import { describe, expect, it } from 'vitest';
import type { VibeEnvironment } from '../api/vibe-environment.js';
import { nameFromIntent } from './names.js';
import { addedExtension, attemptView, environmentView, expectedExpiry } from './view.js';

const env = (annotations: Record<string, string> = {}): VibeEnvironment =>
  ({
    apiVersion: 'vibe.dev/v1alpha1',
    kind: 'VibeEnvironment',
    metadata: { name: 'web', namespace: 'team', creationTimestamp: '2026-01-01T00:00:00Z', annotations },
    spec: { intent: 'nginx', ttl: '4h', approval: 'Manual' },
    status: { phase: 'AwaitingApproval', plan: { hash: 'abc', objects: 3 } },
  }) as unknown as VibeEnvironment;

describe('environment views', () => {
  it('names an environment after the first words of its intent', () => {
    expect(nameFromIntent('A Redis and the web app on port 8080', () => 'x1')).toBe('redis-web-app-x1');
    expect(nameFromIntent('1.27 of nginx', () => 'x1')).toBe('env-1-27-nginx-x1');
    expect(nameFromIntent('!!!', () => 'x1')).toBe('env-x1');
  });

  it('adds an extension to what the annotation already adds', () => {
    expect(addedExtension(undefined, '2h')).toBe('2h');
    expect(addedExtension('2h', '30m')).toBe('2h30m');
    expect(addedExtension('not a duration', '1h')).toBe('1h');
  });

  it('computes the expiry from the creation time, the ttl and the extension', () => {
    expect(expectedExpiry(env({ 'vibe.dev/extend': '1h' }))).toBe('2026-01-01T05:00:00Z');
  });

  it('says whether the current plan is approved', () => {
    expect(environmentView(env()).plan?.approved).toBe(false);
    expect(environmentView(env({ 'vibe.dev/approve': 'abc' })).plan?.approved).toBe(true);
    expect(environmentView(env({ 'vibe.dev/approve': 'old' })).plan?.approved).toBe(false);
  });

  it('reads an attempt record and ignores what is not one', () => {
    expect(attemptView('nope', undefined)).toBeNull();
    const view = attemptView(
      {
        attempt: 2,
        author: 'offline',
        script: 'webService("w")',
        diagnostics: [{ gate: 'policy', code: 'VIBE_POLICY_X', message: 'no', object: 'Pod/p' }],
        usage: { inputTokens: 10, outputTokens: 5, costUsd: 0.5, roundTrips: 1 },
      },
      't',
    );
    expect(view).toMatchObject({ attempt: 2, tokens: 15, cost: '0.5000', roundTrips: 1 });
    expect(view?.diagnostics).toEqual([{ source: 'policy', code: 'VIBE_POLICY_X', message: 'no (Pod/p)' }]);
  });
});
