import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../policy/index.js';
import { extractScript, sdkTypings, systemPrompt, turnMessages } from './prompt.js';
import { scriptFromToolCalls } from './tool-calls.js';
import { typecheck } from './typecheck-gate.js';

describe('Code Mode prompt', () => {
  it('holds the SDK declarations, the policy and the cluster facts', () => {
    const prompt = systemPrompt(DEFAULT_POLICY, {
      ingressClass: 'nginx',
      storageClasses: ['local-path'],
      previewDomain: 'preview.test',
    });
    expect(sdkTypings()).toContain("declare module '@vibe/sdk'");
    expect(sdkTypings()).toContain('export function webService(name: string, spec: WebServiceSpec): Ref;');
    expect(prompt).toContain('Service types allowed: ClusterIP.');
    expect(prompt).toContain('Ingress class: nginx');
    expect(prompt).toContain('https://<name>.preview.test');
  });

  it('keeps the intent alone in the first turn and sends the last program and its diagnostics after it', () => {
    const previous = {
      script: 'bad()',
      diagnostics: [
        { gate: 'typecheck' as const, code: 'TS2304', message: "Cannot find name 'bad'.", line: 1 },
      ],
    };
    expect(turnMessages({ intent: 'an api', attempt: 1, rewrite: false })).toEqual([
      { role: 'user', content: 'an api' },
    ]);
    const patch = turnMessages({ intent: 'an api', attempt: 2, previous, rewrite: false });
    expect(patch.map((m) => m.role)).toEqual(['user', 'assistant', 'user']);
    expect(patch[0]).toEqual({ role: 'user', content: 'an api' });
    expect(patch[1]!.content).toBe('```ts\nbad()\n```');
    expect(patch[2]!.content).toContain("[typecheck] TS2304 (line 1): Cannot find name 'bad'.");
    expect(patch[2]!.content).toContain('Fix the program');
    const rewrite = turnMessages({ intent: 'an api', attempt: 3, previous, rewrite: true });
    expect(rewrite[2]!.content).toContain('Do not patch the program');
  });

  it('takes the last fenced program from an answer', () => {
    expect(extractScript('Here:\n```ts\nfirst()\n```\nbetter:\n```typescript\nsecond()\n```')).toBe(
      'second()\n',
    );
    expect(extractScript('plain()')).toBe('plain()\n');
  });
});

describe('tool-calling baseline', () => {
  it('writes tool calls as the equivalent script, which type-checks', async () => {
    const result = scriptFromToolCalls([
      { name: 'postgres', input: { name: 'db' } },
      {
        name: 'webService',
        input: { name: 'api', spec: { image: 'ghcr.io/acme/api:1', port: 8080, uses: ['db'] } },
      },
    ]);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.script).toBe(
      `import { postgres, webService } from '@vibe/sdk';\n\npostgres("db");\nwebService("api", {"image":"ghcr.io/acme/api:1","port":8080,"uses":["db"]});\n`,
    );
    expect(await typecheck(result.script)).toEqual([]);
  });

  it('refuses unknown tools and malformed inputs', () => {
    const result = scriptFromToolCalls([
      { name: 'deleteCluster', input: {} },
      { name: 'redis', input: 'cache' },
    ]);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.diagnostics.map((d) => d.message)).toEqual([
      expect.stringContaining('there is no tool "deleteCluster"'),
      'call 2 (redis): the input must be a JSON object.',
    ]);
  });
});
