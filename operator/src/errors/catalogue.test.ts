import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CODE, codesDefinedTwice, ERROR_FAMILIES } from './catalogue.js';
import type { ErrorFamily } from './entry.js';
import { catalogueProblems, ERRORS_DOC, renderErrorsDoc } from './errors-doc.js';
import { codesInSource, codesInText } from './source-codes.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const entry = { message: 'm', action: 'a' };
const family = (codes: Record<string, typeof entry>): ErrorFamily => ({ title: 't', about: 'a', codes });

describe('the error catalogue', () => {
  it('lists every code the source uses, each once, and docs/errors.md is what it produces', () => {
    const source = codesInSource(root);
    expect(source.used.size).toBeGreaterThan(150);
    expect(catalogueProblems(source, readFileSync(path.join(root, ERRORS_DOC), 'utf8'))).toEqual([]);
  });

  it('gives every catalogued code as a value, and nothing else', () => {
    expect(CODE.VIBE_AGENT_STUCK).toBe('VIBE_AGENT_STUCK');
    const all = ERROR_FAMILIES.flatMap((f) => Object.keys(f.codes)).sort();
    expect(Object.keys(CODE).sort()).toEqual(all);
    expect(Object.values(CODE).sort()).toEqual(all);
    expect(Object.isFrozen(CODE)).toBe(true);
  });

  it('finds codes in string and template literals and CODE, not in comments or identifiers', () => {
    const { words, named } = codesInText(
      [
        '// VIBE_IN_A_COMMENT',
        "const VIBE_IDENTIFIER = 1; const CACHE = process.env['VIBE_CACHE'];",
        "throw new E('VIBE_A_LITERAL', `no ${x} VIBE_IN_TEMPLATE here`);",
        'if (c === CODE.VIBE_FROM_CATALOGUE) {}',
        "const SECOND_HOME = 'VIBE_NAMED_AGAIN';",
      ].join('\n'),
    );
    expect(words.sort()).toEqual([
      'VIBE_A_LITERAL',
      'VIBE_CACHE',
      'VIBE_FROM_CATALOGUE',
      'VIBE_IN_TEMPLATE',
      'VIBE_NAMED_AGAIN',
    ]);
    expect(named).toEqual(["SECOND_HOME = 'VIBE_NAMED_AGAIN'"]);
  });

  it('fails on a code missing from the catalogue, defined twice, named outside it, unused, or a drifted page', () => {
    const families = [family({ VIBE_ONE: entry, VIBE_TWO: entry }), family({ VIBE_TWO: entry })];
    expect(codesDefinedTwice(families)).toEqual(['VIBE_TWO']);
    const source = {
      used: new Map([
        ['VIBE_ONE', ['a.ts']],
        ['VIBE_NEW', ['b.ts']],
      ]),
      namedOutside: ["c.ts: X = 'VIBE_ONE'"],
    };
    expect(catalogueProblems(source, 'stale page', families)).toEqual([
      'VIBE_TWO is defined in two families of the catalogue',
      "c.ts: X = 'VIBE_ONE' defines a code outside the catalogue; import CODE from operator/src/errors instead",
      'VIBE_NEW (b.ts) is not in the catalogue (operator/src/errors)',
      'VIBE_TWO is in the catalogue but the source never uses it',
      'docs/errors.md is not what the catalogue produces; run make errors',
    ]);
    expect(
      catalogueProblems(
        { used: new Map([['VIBE_ONE', ['a.ts']]]), namedOutside: [] },
        renderErrorsDoc([families[0]!]),
        [families[0]!],
      ),
    ).toEqual(['VIBE_TWO is in the catalogue but the source never uses it']);
  });

  it('renders one section per family with every code', () => {
    const doc = renderErrorsDoc();
    for (const f of ERROR_FAMILIES) {
      expect(doc).toContain(`## ${f.title}`);
      for (const code of Object.keys(f.codes)) expect(doc).toContain(`| \`${code}\` |`);
    }
  });
});
