import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { allCrds } from './crds.js';
import { renderCrds } from './generate-crds.js';

const crdsDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../crds');

function walk(node: unknown, visit: (n: Record<string, unknown>, at: string) => void, at = ''): void {
  if (typeof node !== 'object' || node === null) return;
  const n = node as Record<string, unknown>;
  visit(n, at);
  for (const [k, v] of Object.entries(n.properties ?? {})) walk(v, visit, `${at}.${k}`);
  if (n.items) walk(n.items, visit, `${at}[]`);
  if (typeof n.additionalProperties === 'object') walk(n.additionalProperties, visit, `${at}{}`);
}

describe('CRDs', () => {
  it('match the files in crds/ (no drift)', () => {
    for (const [name, text] of renderCrds())
      expect(readFileSync(path.join(crdsDir, name), 'utf8')).toBe(text);
  });

  it('are structural: every node typed or int-or-string, no zod leftovers', () => {
    let nodes = 0;
    for (const crd of allCrds()) {
      const schema = crd.spec.versions[0]?.schema.openAPIV3Schema;
      walk(schema, (n, at) => {
        nodes++;
        const typed = typeof n.type === 'string' || n['x-kubernetes-int-or-string'] === true;
        expect(typed, `${crd.metadata.name}${at} has no type`).toBe(true);
        expect(n.anyOf, `${at} uses anyOf`).toBeUndefined();
        expect(n.$schema).toBeUndefined();
        expect(n.maximum).not.toBe(Number.MAX_SAFE_INTEGER);
      });
    }
    expect(nodes).toBeGreaterThan(60);
  });

  it('bound the intent and validate ttl with CEL', () => {
    const ve = allCrds()[0]!.spec.versions[0]!.schema.openAPIV3Schema.properties.spec as {
      properties: Record<string, Record<string, unknown>>;
      required: string[];
    };
    expect(ve.required).toEqual(['intent']);
    expect(ve.properties.intent).toMatchObject({ minLength: 1, maxLength: 8000 });
    const rules = ve.properties.ttl!['x-kubernetes-validations'] as Array<{ message: string }>;
    expect(rules.map((r) => r.message)).toEqual([
      'ttl must be a duration such as 30m, 4h, 1h30m or 2d',
      'ttl must be at most 30d',
    ]);
  });
});
