import { transformSync } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from './protocol.js';
import { runScript } from './run-script.js';

const cjs = (ts: string) => transformSync(ts, { loader: 'ts', format: 'cjs' }).code;
const run = (ts: string, limits = DEFAULT_LIMITS) => runScript(cjs(ts), {}, limits);

describe('runScript', () => {
  it('synthesizes the environment the script declares and keeps its console output apart', () => {
    const result = run(
      `import { webService } from '@vibe/sdk';\nconsole.log('planning', 1);\nwebService('api', { image: 'x:1' });`,
    );
    expect(result.ok).toBe(true);
    expect(result.ok && result.manifests.map((m) => (m as { kind: string }).kind)).toEqual([
      'Deployment',
      'Service',
    ]);
    expect(result.logs).toEqual(['planning 1']);
  });

  it('refuses every import but @vibe/sdk', () => {
    const result = run(`import { readFileSync } from 'node:fs';\nreadFileSync('/etc/passwd');`);
    expect(result).toMatchObject({ ok: false, kind: 'runtime', code: 'VIBE_SANDBOX_IMPORT_REFUSED' });
  });

  it('gives the script no process, Buffer or raw memory', () => {
    const result = run(
      `import { worker } from '@vibe/sdk';\nworker('w', { image: 'x:1', env: { T: [typeof process, typeof Buffer, typeof ArrayBuffer, typeof WebAssembly].join(',') } });`,
    );
    expect(result.ok && JSON.stringify(result.manifests)).toContain(
      '"value":"undefined,undefined,undefined,undefined"',
    );
  });

  it('reports SDK errors with their code', () => {
    const result = run(
      `import { webService } from '@vibe/sdk';\nwebService('api', { image: 'x:1', port: 0 });`,
    );
    expect(result).toMatchObject({ ok: false, kind: 'runtime', code: 'VIBE_SDK_INVALID_SPEC' });
  });

  it('stops a loop at the time limit', () => {
    const result = run('while (true) {}', { ...DEFAULT_LIMITS, timeoutMs: 200 });
    expect(result).toMatchObject({ ok: false, kind: 'limit', code: 'VIBE_SANDBOX_TIMEOUT' });
  });

  it('refuses an empty environment and too many objects', () => {
    expect(run('const x = 1;')).toMatchObject({ ok: false, code: 'VIBE_SANDBOX_EMPTY_ENVIRONMENT' });
    const many = run(
      `import { worker } from '@vibe/sdk';\nfor (let i = 0; i < 5; i++) worker('w' + i, { image: 'x:1' });`,
      { ...DEFAULT_LIMITS, maxObjects: 3 },
    );
    expect(many).toMatchObject({ ok: false, kind: 'limit', code: 'VIBE_SANDBOX_TOO_MANY_OBJECTS' });
  });

  it('bounds what the script may log', () => {
    const result = run(
      `import { worker } from '@vibe/sdk';\nfor (let i = 0; i < 1000; i++) console.log('x'.repeat(100));\nworker('w', { image: 'x:1' });`,
      { ...DEFAULT_LIMITS, maxLogBytes: 1000 },
    );
    expect(result.logs.length).toBe(11);
    expect(result.logs[10]).toMatch(/truncated/);
  });
});
