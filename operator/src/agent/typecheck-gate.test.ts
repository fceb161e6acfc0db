import { describe, expect, it } from 'vitest';
import { typecheck } from './typecheck-gate.js';

describe('type-check gate', () => {
  it('accepts a script written against @vibe/sdk', async () => {
    const script = `import { postgres, webService } from '@vibe/sdk';
const db = postgres('db', { version: '16' });
webService('api', { image: 'ghcr.io/acme/api:1', port: 8080, public: true, uses: [db], env: { A: 'b' } });`;
    expect(await typecheck(script)).toEqual([]);
  });

  it('reports wrong types, unknown fields, unknown blocks and other imports with their lines', async () => {
    const script = `import { webService, lambda } from '@vibe/sdk';
import { readFileSync } from 'node:fs';
webService('api', { image: 'x:1', port: '80' });
webService('web', { image: 'x:1', colour: 'red' });`;
    const found = await typecheck(script);
    expect(found.map((d) => [d.code, d.line])).toEqual([
      ['TS2305', 1],
      ['TS2307', 2],
      ['TS2322', 3],
      ['TS2353', 4],
    ]);
    expect(found.every((d) => d.gate === 'typecheck' && d.message.length > 10)).toBe(true);
  });

  it('reports syntax errors', async () => {
    expect(
      (await typecheck(`import { webService } from '@vibe/sdk';\nwebService('api', {`))[0],
    ).toMatchObject({
      code: 'TS1005',
      line: 2,
    });
  });
});
