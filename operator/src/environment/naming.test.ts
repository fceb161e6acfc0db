import { describe, expect, it } from 'vitest';
import { environmentNamespace, planHash } from './naming.js';

describe('environment naming', () => {
  it('keeps short names readable and cuts long ones to 63 characters with a distinguishing hash', () => {
    expect(environmentNamespace('vibe-', 'team-a', 'web')).toBe('vibe-team-a-web');
    const long1 = environmentNamespace('vibe-', 'a'.repeat(40), `${'b'.repeat(40)}-1`);
    const long2 = environmentNamespace('vibe-', 'a'.repeat(40), `${'b'.repeat(40)}-2`);
    expect(long1).toHaveLength(63);
    expect(long1).not.toBe(long2);
    expect(long1).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
  });

  it('hashes exactly the inputs a plan depends on', () => {
    const base = { intent: 'a redis', plannerId: 'static/v1' };
    expect(planHash(base)).toBe(planHash({ ...base }));
    expect(planHash(base)).not.toBe(planHash({ ...base, intent: 'a redis!' }));
    expect(planHash(base)).not.toBe(planHash({ ...base, plannerId: 'static/v2' }));
    expect(planHash(base)).not.toBe(planHash({ ...base, model: { name: 'm' } }));
    expect(planHash(base)).toMatch(/^[0-9a-f]{16}$/);
  });
});
