import { describe, expect, it } from 'vitest';
import { transform } from 'esbuild';
import { DEFAULT_LIMITS, type JournalEntry } from './protocol.js';
import { runProgram } from './run-program.js';

async function run(body: string, journal: JournalEntry[] = []) {
  const { code } = await transform(`export default async function program(api: any) {\n${body}\n}`, {
    loader: 'ts',
    format: 'cjs',
  });
  return runProgram(code, { operations: ['list', 'extend'], journal, now: 1000 }, DEFAULT_LIMITS);
}

describe('runProgram', () => {
  it('reports the calls made together, then finishes once they are answered', async () => {
    const body = `const [a, b] = await Promise.all([api.list({}), api.list({ namespace: 'x' })]);
      await api.extend({ name: a.items[0], by: '1h' });
      return [a.items.length, b.items.length, Date.now()];`;
    const first = await run(body);
    expect(first).toMatchObject({
      ok: true,
      program: {
        done: false,
        calls: [
          { op: 'list', input: '{}' },
          { op: 'list', input: '{"namespace":"x"}' },
        ],
      },
    });
    const journal: JournalEntry[] = [
      { op: 'list', input: '{}', output: { items: ['web'] } },
      { op: 'list', input: '{"namespace":"x"}', output: { items: [] } },
    ];
    expect(await run(body, journal)).toMatchObject({
      program: { done: false, calls: [{ op: 'extend', input: '{"name":"web","by":"1h"}' }] },
    });
    journal.push({ op: 'extend', input: '{"name":"web","by":"1h"}', output: {} });
    expect(await run(body, journal)).toMatchObject({
      ok: true,
      program: { done: true, value: [1, 0, 1000] },
    });
  });

  it('hands a refused call to the program as an error with its code', async () => {
    const body = `try { await api.extend({}); } catch (e) { return e.code; }`;
    const result = await run(body, [{ op: 'extend', input: '{}', error: { code: 'VIBE_X', message: 'no' } }]);
    expect(result).toMatchObject({ program: { done: true, value: 'VIBE_X' } });
  });

  it('refuses a program that does not repeat its calls', async () => {
    const result = await run('return api.list({ namespace: "b" });', [
      { op: 'list', input: '{"namespace":"a"}', output: {} },
    ]);
    expect(result).toMatchObject({ ok: false, code: 'VIBE_PROGRAM_NOT_REPEATABLE' });
  });

  it('names what the sandbox does not have', async () => {
    expect(await run('return process.env.HOME;')).toMatchObject({ ok: false, code: 'VIBE_PROGRAM_REFUSED' });
    expect(await run('return require("node:fs");')).toMatchObject({
      ok: false,
      code: 'VIBE_PROGRAM_REFUSED',
    });
    expect(await run('await new Promise(() => {});')).toMatchObject({
      ok: false,
      code: 'VIBE_PROGRAM_STALLED',
    });
  });
});
