import { describe, expect, it } from 'vitest';
import { type VibeEnvironment, parseVibeEnvironmentSpec } from '../api/vibe-environment.js';
import { computeExpiry } from './expiry.js';

const created = Date.parse('2026-01-01T00:00:00Z');
const DAY = 86_400_000;

function env(ttl: string, extend?: string): VibeEnvironment {
  return {
    apiVersion: 'vibe.dev/v1alpha1',
    kind: 'VibeEnvironment',
    metadata: {
      name: 'web',
      namespace: 'team',
      creationTimestamp: new Date(created).toISOString(),
      ...(extend ? { annotations: { 'vibe.dev/extend': extend } } : {}),
    },
    spec: parseVibeEnvironmentSpec({ intent: 'x', ttl }),
  };
}

describe('computeExpiry', () => {
  it('is the creation time plus the ttl', () => {
    expect(computeExpiry(env('2h'), 7 * DAY, created)).toEqual({
      ok: true,
      expiresAt: created + 2 * 3_600_000,
    });
  });

  it('adds the extend annotation to the ttl', () => {
    expect(computeExpiry(env('2h', '2h'), 7 * DAY, created)).toEqual({
      ok: true,
      expiresAt: created + 4 * 3_600_000,
    });
  });

  it('refuses a ttl above the maximum, naming both', () => {
    const expiry = computeExpiry(env('8d'), 7 * DAY, created);
    expect(expiry).toMatchObject({ ok: false, reason: 'TtlAboveMaximum' });
    expect(!expiry.ok && expiry.message).toContain("ttl 8d is above this operator's maximum of 7d");
  });

  it('caps an extension at the maximum lifetime and says so', () => {
    const expiry = computeExpiry(env('6d', '2d'), 7 * DAY, created);
    expect(expiry).toMatchObject({ ok: true, expiresAt: created + 7 * DAY });
    expect(expiry.ok && expiry.message).toContain('maximum lifetime of 7d');
  });

  it('ignores an extension that is not a duration and says so', () => {
    const expiry = computeExpiry(env('1h', 'tomorrow'), 7 * DAY, created);
    expect(expiry).toMatchObject({ ok: true, expiresAt: created + 3_600_000 });
    expect(expiry.ok && expiry.message).toContain('"tomorrow" is not a duration');
  });
});
