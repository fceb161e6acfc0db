/**
 * The runsc executor's warm pool against the real runsc: every run gets a runner of its own (nothing
 * one script leaves behind reaches the next), close() leaves no container in runsc's state, and what
 * a process killed with SIGKILL leaves there is removed by the next executor to start.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cacheDir } from '../../operator/src/sandbox/cache-dir.js';
import { findRunsc } from '../../operator/src/sandbox/find-runsc.js';
import { runscExecutor } from '../../operator/src/sandbox/runsc-executor.js';
import { bundleName, ownerOf } from '../../operator/src/sandbox/runsc-leftovers.js';
import type { SandboxExecutor, SandboxResult } from '../../operator/src/sandbox/types.js';
import { runscContainerIds, runscContainers } from '../support/runsc-state.js';

const ESCAPE = `const P = (console.log as any).constructor('return process')();\nconst req = (name: string) => P.getBuiltinModule(name);\n`;
const POOL_SIZE = 2;

/** Writes a marker into scratch and the runner's global, after reporting what it found of an earlier run. */
const PROBE = `import { worker } from '@vibe/sdk';\n${ESCAPE}
const fs = req('fs');
const found = fs.existsSync('/tmp/left-by-earlier-run') ? fs.readFileSync('/tmp/left-by-earlier-run', 'utf8') : 'nothing';
const global = (P as any).__leftByEarlierRun ?? 'nothing';
fs.writeFileSync('/tmp/left-by-earlier-run', 'a file');
(P as any).__leftByEarlierRun = 'a global';
worker('probe', { image: 'x:1', env: {
  FOUND_FILE: found,
  FOUND_GLOBAL: global,
  BOOT_ID: fs.readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim(),
} });`;

function envOf(result: SandboxResult): Record<string, string> {
  if (!result.ok) throw new Error(`the probe failed: ${result.code}: ${result.message}`);
  const text = JSON.stringify(result.manifests);
  const pairs = [...text.matchAll(/\{"name":"([A-Z_]+)","value":"([^"]*)"\}/g)];
  return Object.fromEntries(pairs.map((m) => [m[1]!, m[2]!]));
}

describe('runsc executor with a warm pool', () => {
  const runsc = findRunsc();
  const stateRoot = join(cacheDir(), 'runsc-state');
  const listIds = runscContainerIds;
  let executor: SandboxExecutor;
  let ready = 0;
  let discarded = 0;
  const counts = { hit: 0, miss: 0 };
  const baseline = new Set<string>();

  const poolFull = async () => {
    for (let i = 0; i < 600 && ready < POOL_SIZE; i++) await new Promise((r) => setTimeout(r, 50));
    expect(ready).toBe(POOL_SIZE);
  };

  beforeAll(() => {
    if (!runsc)
      throw new Error(
        'runsc is not installed: run `make cluster-build` (or set VIBE_RUNSC) before these tests.',
      );
    for (const id of listIds()) baseline.add(id);
    executor = runscExecutor({
      runsc,
      cacheDir: cacheDir(),
      poolSize: POOL_SIZE,
      poolObserver: {
        ready: (count) => (ready = count),
        hit: () => counts.hit++,
        miss: () => counts.miss++,
        discarded: () => discarded++,
      },
    });
  });

  afterAll(async () => {
    await executor?.close?.();
  });

  it('never reuses a runner: the second script sees nothing of the first', async () => {
    await poolFull();
    const first = envOf(await executor.run({ source: PROBE }));
    await poolFull();
    const second = envOf(await executor.run({ source: PROBE }));
    // Both runs came from the pool, so both ran in runners booted before their script was known.
    expect(counts).toEqual({ hit: 2, miss: 0 });
    expect(first).toMatchObject({ FOUND_FILE: 'nothing', FOUND_GLOBAL: 'nothing' });
    expect(second).toMatchObject({ FOUND_FILE: 'nothing', FOUND_GLOBAL: 'nothing' });
    expect(first.BOOT_ID).toMatch(/^[0-9a-f-]{36}$/);
    expect(second.BOOT_ID).not.toBe(first.BOOT_ID);
  });

  it('runs a script with other limits in a runner of its own, outside the pool', async () => {
    await poolFull();
    const result = await executor.run({ source: PROBE, limits: { memoryMiB: 256 } });
    expect(envOf(result)).toMatchObject({ FOUND_FILE: 'nothing' });
    expect(counts.miss).toBe(1);
    expect(ready).toBe(POOL_SIZE);
  });

  it('discards a runner killed while waiting and hands out a live one', async () => {
    await poolFull();
    // The runner of the previous test may still be on its way out, listed but gone when killed.
    const victim = listIds()
      .filter((id) => !baseline.has(id))
      .find((id) => {
        try {
          execFileSync(runsc!, ['--root', stateRoot, 'kill', id, 'KILL'], { stdio: 'ignore' });
          return true;
        } catch {
          return false;
        }
      });
    if (!victim) throw new Error('no waiting runner of the pool could be killed');
    for (let i = 0; i < 100 && listIds().includes(victim); i++) await new Promise((r) => setTimeout(r, 50));
    expect(listIds()).not.toContain(victim);
    // runsc forgets the container before the pool's own wait on it returns and counts the discard.
    for (let i = 0; i < 100 && discarded === 0; i++) await new Promise((r) => setTimeout(r, 50));
    expect(discarded).toBe(1);
    await poolFull();
    const result = await executor.run({ source: PROBE });
    expect(envOf(result)).toMatchObject({ FOUND_FILE: 'nothing' });
  });

  it('shrinks to zero on close and leaves no container in runsc state', async () => {
    await poolFull();
    const ours = listIds().filter((id) => !baseline.has(id));
    expect(ours.length).toBeGreaterThanOrEqual(POOL_SIZE);
    await executor.close?.();
    expect(ready).toBe(0);
    const left = listIds();
    expect(ours.filter((id) => left.includes(id))).toEqual([]);
  });
});

/** A process that fills a pool of POOL_SIZE runners, says so, and then waits to be killed. */
const POOL_OWNER = `
import { runscExecutor } from ${JSON.stringify(pathToFileURL(join(import.meta.dirname, '../../operator/src/sandbox/runsc-executor.ts')).href)};
runscExecutor({ runsc: process.env.RUNSC, cacheDir: process.env.CACHE, poolSize: ${POOL_SIZE},
  poolObserver: { ready: (n) => { if (n === ${POOL_SIZE}) console.log('pool ready'); } } });
setInterval(() => undefined, 60_000);
`;

describe('runners of a process killed with SIGKILL', () => {
  it('are removed with their bundles by the next executor to start', async () => {
    const runsc = findRunsc();
    if (!runsc) throw new Error('runsc is not installed: run `make cluster-build` (or set VIBE_RUNSC).');
    const owner = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', POOL_OWNER], {
      env: { ...process.env, RUNSC: runsc, CACHE: cacheDir() },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const filled = new Promise<void>((resolve, reject) => {
      owner.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('pool ready') && resolve());
      owner.on('exit', (code) =>
        reject(new Error(`the pool's owner exited with ${code} before its pool filled`)),
      );
    });
    await filled;
    const theirs = () => runscContainers().filter((c) => ownerOf(c.id) === owner.pid);
    const runners = theirs().map((c) => c.id);
    expect(runners).toHaveLength(POOL_SIZE);
    const exited = new Promise((resolve) => owner.once('exit', resolve));
    owner.kill('SIGKILL');
    await exited;
    // Without the owner's write end of stdin the runners read end-of-file and stop; nobody deletes them.
    for (let i = 0; i < 100 && theirs().some((c) => c.status !== 'stopped'); i++)
      await new Promise((r) => setTimeout(r, 100));
    expect(theirs().map((c) => c.status)).toEqual(runners.map(() => 'stopped'));
    expect(runners.every((id) => existsSync(join(cacheDir(), bundleName(id))))).toBe(true);

    const removed: string[] = [];
    const next = runscExecutor({
      runsc,
      cacheDir: cacheDir(),
      onLeftoversRemoved: (ids) => removed.push(...ids),
    });
    try {
      expect(envOf(await next.run({ source: PROBE }))).toMatchObject({ FOUND_FILE: 'nothing' });
    } finally {
      await next.close?.();
    }
    expect(removed).toEqual(expect.arrayContaining(runners));
    expect(theirs()).toEqual([]);
    expect(runners.filter((id) => existsSync(join(cacheDir(), bundleName(id))))).toEqual([]);
  });
});
