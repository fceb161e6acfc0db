import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { age, environmentTable, render, table } from './output.js';

const env = {
  name: 'web',
  namespace: 'team-a',
  intent: 'nginx',
  phase: 'Ready',
  approval: 'Manual' as const,
  ttl: '4h',
  createdAt: '2026-01-01T00:00:00Z',
  expiresAt: '2099-01-01T00:00:00Z',
  previewUrl: 'http://web.vibe.localhost/',
  plan: { hash: 'abc', objects: 2, approved: true },
  conditions: [],
};

describe('kubectl-like output', () => {
  it('pads columns to the widest cell and leaves no trailing spaces', () => {
    expect(
      table(
        ['A', 'LONG'],
        [
          ['xyz', ''],
          ['1', '2'],
        ],
      ),
    ).toBe('A     LONG\nxyz\n1     2\n');
  });

  it('prints ages as kubectl does', () => {
    const now = Date.parse('2026-01-03T00:00:00Z');
    expect(age('2026-01-02T23:59:15Z', now)).toBe('45s');
    expect(age('2026-01-02T23:30:00Z', now)).toBe('30m');
    expect(age('2026-01-02T19:00:00Z', now)).toBe('5h');
    expect(age('2026-01-01T00:00:00Z', now)).toBe('2d');
    expect(age(undefined, now)).toBe('<none>');
  });

  it('shows an environment row, with its namespace for -A', () => {
    const text = environmentTable([env], true);
    expect(text.split('\n')[0]).toMatch(/^NAMESPACE\s+NAME\s+PHASE\s+APPROVAL\s+URL\s+EXPIRES\s+AGE$/);
    expect(text.split('\n')[1]).toMatch(
      /^team-a\s+web\s+Ready\s+approved\s+http:\/\/web\.vibe\.localhost\/\s+in \d+d\s+\d+d$/,
    );
  });

  it('renders json and yaml of the value, and name and table from the views', () => {
    const views = { table: () => 'T\n', name: () => 'N\n' };
    expect(JSON.parse(render('json', env, views))).toEqual(env);
    expect(parse(render('yaml', env, views))).toEqual(env);
    expect(render('name', env, views)).toBe('N\n');
    expect(render('table', env, views)).toBe('T\n');
  });
});
