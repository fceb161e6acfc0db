import { describe, expect, it } from 'vitest';
import { readManifests } from './read-manifests.js';

const configMap = (data: string) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\ndata:\n  ${data}\n`;
const codeOf = (text: string) => {
  const read = readManifests(text);
  return read.ok ? 'ok' : read.code;
};

describe('reading manifests as kubectl does', () => {
  it('reads multi-document YAML, JSON lists, plans and Lists', () => {
    const two = readManifests(`${configMap('a: "1"')}---\n${configMap('b: "2"')}`);
    expect(two.ok && two.manifests).toHaveLength(2);
    const plan = readManifests(JSON.stringify({ manifests: [{ kind: 'ConfigMap' }, { kind: 'Secret' }] }));
    expect(plan.ok && plan.manifests.map((m) => (m as { kind: string }).kind)).toEqual([
      'ConfigMap',
      'Secret',
    ]);
    const list = readManifests('kind: List\nitems:\n- kind: Service\n');
    expect(list.ok && list.manifests).toEqual([{ kind: 'Service' }]);
    expect(readManifests('---\n---\n')).toEqual({ ok: true, manifests: [] });
  });

  it('accepts values both YAML versions read the same way', () => {
    const read = readManifests(configMap('a: "yes"\n  b: "0755"\n  c: hello'));
    expect(read.ok && read.manifests[0]).toMatchObject({ data: { a: 'yes', b: '0755', c: 'hello' } });
    expect(codeOf('spec:\n  replicas: 3\n  paused: true\n  ratio: 1.5\n')).toBe('ok');
  });

  it.each([
    ['yes', 'a: yes'],
    ['on', 'a: on'],
    ['off', 'a: off'],
    ['y', 'a: y'],
    ['an octal 0755', 'mode: 0755'],
    ['underscores', 'a: 1_000'],
    ['0o17', 'a: 0o17'],
    ['an on key', 'on: x'],
  ])('refuses %s, which kubectl reads differently from YAML 1.2', (_name, line) => {
    expect(codeOf(configMap(line))).toBe('VIBE_MANIFEST_AMBIGUOUS');
  });

  it('names the ambiguous field', () => {
    const read = readManifests(configMap('mode: 0644'));
    expect(read.ok).toBe(false);
    expect(!read.ok && read.message).toMatch(/data\.mode/);
  });

  it('refuses duplicate keys, which kubectl and other readers resolve differently', () => {
    expect(codeOf('metadata: {name: a, name: b}\n')).toBe('VIBE_MANIFEST_DUPLICATE_KEY');
    expect(codeOf('{"kind": "Pod", "kind": "Secret"}')).toBe('VIBE_MANIFEST_DUPLICATE_KEY');
  });

  it('refuses alias bombs, cyclic aliases and deep nesting without crashing', () => {
    let bomb = 'a: &a ["x","x","x","x","x","x","x","x","x"]\n';
    let previous = 'a';
    for (const name of 'bcdefghij') {
      bomb += `${name}: &${name} [${Array(9).fill(`*${previous}`).join(',')}]\n`;
      previous = name;
    }
    expect(codeOf(bomb)).toBe('VIBE_MANIFEST_ALIASES');
    expect(codeOf('a: &a [*a]\n')).toBe('VIBE_MANIFEST_CYCLIC');
    expect(codeOf('['.repeat(100_000) + ']'.repeat(100_000))).toBe('VIBE_MANIFEST_TOO_DEEP');
    expect(codeOf(Array.from({ length: 400 }, (_, i) => `${' '.repeat(i)}a:`).join('\n'))).toBe(
      'VIBE_MANIFEST_TOO_DEEP',
    );
    expect(codeOf('x'.repeat(9 * 1024 * 1024))).toBe('VIBE_MANIFEST_TOO_LARGE');
  });

  it('reads merge keys as kubectl does', () => {
    const read = readManifests('base: &b {cpu: 100m}\nlimits:\n  <<: *b\n  memory: 1Gi\n');
    expect(read.ok && read.manifests[0]).toMatchObject({ limits: { cpu: '100m', memory: '1Gi' } });
  });

  it('refuses syntax errors and values JSON cannot hold', () => {
    expect(codeOf('a: [1, 2\n')).toBe('VIBE_MANIFEST_SYNTAX');
    expect(codeOf('a: !!binary aGVsbG8=\n')).not.toBe('ok');
    expect(codeOf('a: 1e400\n')).toBe('VIBE_MANIFEST_NOT_JSON');
  });
});
