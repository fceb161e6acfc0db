/**
 * Escape and abuse tests under the real runsc executor. Each script first escapes the runner's vm
 * context to the runner's own `process` (the vm is not the boundary, gVisor is), then tries to reach
 * the host. Every attempt must be contained and reported as a clear diagnostic.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cacheDir } from '../../operator/src/sandbox/cache-dir.js';
import { findRunsc } from '../../operator/src/sandbox/find-runsc.js';
import { runscExecutor } from '../../operator/src/sandbox/runsc-executor.js';
import type { SandboxExecutor, SandboxResult } from '../../operator/src/sandbox/types.js';

/** Gives the script the runner's real `process` and every built-in module, as an attacker would get them. */
const ESCAPE = `const P = (console.log as any).constructor('return process')();\nconst req = (name: string) => P.getBuiltinModule(name);\n`;
const DECLARE = `import { webService } from '@vibe/sdk';\n`;

function everything(result: SandboxResult): string {
  return JSON.stringify(result);
}

describe('runsc executor contains hostile scripts', () => {
  let executor: SandboxExecutor;
  let hostDir: string;
  let canaryPath: string;
  let listener: Server;
  let listenerPort: number;
  let connections = 0;
  const canary = `canary-${process.pid}-${Date.now()}`;
  const fakeKey = `sk-ant-test-${process.pid}-fake`;

  beforeAll(async () => {
    const runsc = findRunsc();
    if (!runsc)
      throw new Error(
        'runsc is not installed: run `make cluster-build` (or set VIBE_RUNSC) before these tests.',
      );
    executor = runscExecutor({ runsc, cacheDir: cacheDir() });
    hostDir = mkdtempSync(join(tmpdir(), 'vibe-escape-'));
    canaryPath = join(hostDir, 'canary.txt');
    writeFileSync(canaryPath, canary);
    listener = createServer((socket) => {
      connections++;
      socket.destroy();
    });
    await new Promise<void>((resolve) => listener.listen(0, '0.0.0.0', resolve));
    listenerPort = (listener.address() as { port: number }).port;
    process.env.ANTHROPIC_API_KEY = fakeKey;
  });

  afterAll(async () => {
    delete process.env.ANTHROPIC_API_KEY;
    rmSync(hostDir, { recursive: true, force: true });
    await new Promise<void>((resolve) => listener.close(() => resolve()));
  });

  it('runs an honest script (the baseline the others are compared with)', async () => {
    const result = await executor.run({
      source: `${DECLARE}webService('api', { image: 'ghcr.io/acme/api:1' });`,
    });
    expect(result.ok).toBe(true);
    expect(result.ok && result.manifests.map((m) => m.kind)).toEqual(['Deployment', 'Service']);
  });

  it('cannot read a file planted on the host', async () => {
    const source = `${DECLARE}${ESCAPE}
let seen = '';
for (const path of [${JSON.stringify(canaryPath)}, '/proc/1/root${canaryPath}', '/etc/hostname']) {
  try { seen += req('fs').readFileSync(path, 'utf8'); } catch (e) { seen += (e as any).code + ';'; }
}
webService('api', { image: 'x:1', env: { SEEN: seen } });`;
    const result = await executor.run({ source });
    expect(everything(result)).not.toContain(canary);
    expect(result.ok).toBe(true);
    expect(everything(result)).toContain('ENOENT');
  });

  it('cannot open a socket to a listener on the host', async () => {
    const hosts = [
      '127.0.0.1',
      ...Object.values(networkInterfaces())
        .flat()
        .filter((n) => n && n.family === 'IPv4')
        .map((n) => n!.address),
    ];
    const source = `${DECLARE}${ESCAPE}
const errors: string[] = [];
for (const host of ${JSON.stringify([...new Set(hosts)])}) {
  req('net').connect(${listenerPort}, host).on('error', (e: any) => errors.push(e.code)).on('connect', () => errors.push('CONNECTED'));
}
webService('api', { image: 'x:1' });`;
    const result = await executor.run({ source, limits: { wallMs: 8_000 } });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(connections).toBe(0);
    expect(result.ok).toBe(true);
  });

  it('cannot spawn a host program', async () => {
    const marker = join(hostDir, 'spawned');
    const source = `${DECLARE}${ESCAPE}
req('child_process').execFileSync('/bin/sh', ['-c', 'touch ${marker}']);
webService('api', { image: 'x:1' });`;
    const result = await executor.run({ source });
    expect(existsSync(marker)).toBe(false);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.code).toBe('VIBE_SANDBOX_SCRIPT_ERROR');
    expect(!result.ok && result.message).toMatch(/ENOENT/);
  });

  it('refuses an import of node:child_process with a clear diagnostic', async () => {
    const source = `import { execSync } from 'node:child_process';\n${DECLARE}execSync('id');\nwebService('api', { image: 'x:1' });`;
    const result = await executor.run({ source });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.code).toBe('VIBE_SANDBOX_IMPORT_REFUSED');
    expect(!result.ok && result.message).toContain('"node:child_process" is not allowed');
  });

  it('stops an infinite loop at the script time limit', async () => {
    const result = await executor.run({ source: 'while (true) {}', limits: { scriptMs: 1_000 } });
    expect(result.ok).toBe(false);
    expect(!result.ok && [result.kind, result.code]).toEqual(['limit', 'VIBE_SANDBOX_TIMEOUT']);
  });

  it('stops a loop that escapes the vm timeout at the wall-clock limit', async () => {
    const source = `${DECLARE}${ESCAPE}
const spin = () => { const t = Date.now(); while (Date.now() - t < 50) {} P.nextTick(spin); };
P.nextTick(spin);
webService('api', { image: 'x:1' });`;
    const result = await executor.run({ source, limits: { wallMs: 4_000 } });
    expect(result.ok).toBe(false);
    expect(!result.ok && [result.kind, result.code]).toEqual(['limit', 'VIBE_SANDBOX_WALL_TIMEOUT']);
  });

  it('stops an 8 GiB allocation at the memory limit', async () => {
    const source = `${ESCAPE}
const B = req('buffer').Buffer;
const chunks: unknown[] = [];
for (let i = 0; i < 32; i++) chunks.push(B.alloc(256 * 1024 * 1024, 1));`;
    const result = await executor.run({ source, limits: { memoryMiB: 256 } });
    expect(result.ok).toBe(false);
    expect(!result.ok && [result.kind, result.code]).toEqual(['limit', 'VIBE_SANDBOX_MEMORY_LIMIT']);
  });

  it('stops a script that prints 1 GiB at the output limit', async () => {
    const source = `${ESCAPE}
const line = 'x'.repeat(1024 * 1024);
for (let i = 0; i < 1024; i++) req('fs').writeSync(1, line);`;
    const result = await executor.run({ source, limits: { maxOutputBytes: 1024 * 1024 } });
    expect(result.ok).toBe(false);
    expect(!result.ok && [result.kind, result.code]).toEqual(['limit', 'VIBE_SANDBOX_OUTPUT_LIMIT']);
  });

  it("cannot read the operator's environment", async () => {
    const source = `${DECLARE}${ESCAPE}
let environ = '';
try { environ = req('fs').readFileSync('/proc/self/environ', 'utf8'); } catch (e) { environ = String(e); }
webService('api', { image: 'x:1', env: { ENV: JSON.stringify(P.env), ENVIRON: environ } });`;
    const result = await executor.run({ source });
    expect(result.ok).toBe(true);
    expect(everything(result)).not.toContain(fakeKey);
    expect(everything(result)).not.toContain('ANTHROPIC_API_KEY');
  });

  it('cannot write outside its scratch space', async () => {
    const target = join(hostDir, 'written');
    const source = `${DECLARE}${ESCAPE}
const fs = req('fs');
const outcomes: string[] = [];
for (const path of [${JSON.stringify(target)}, '/bin/evil', '/in/evil', '/etc/passwd', '/tmp/ok']) {
  try { fs.writeFileSync(path, 'x'); outcomes.push(path + ':written'); } catch (e) { outcomes.push(path + ':' + (e as any).code); }
}
webService('api', { image: 'x:1', env: { OUT: outcomes.join(' ') } });`;
    const result = await executor.run({ source });
    expect(existsSync(target)).toBe(false);
    expect(result.ok).toBe(true);
    const out = everything(result);
    expect(out).toContain('/tmp/ok:written');
    for (const path of ['/bin/evil', '/in/evil', '/etc/passwd', target])
      expect(out).not.toContain(`${path}:written`);
  });

  it('leaves the operator process unaffected', async () => {
    expect(process.env.ANTHROPIC_API_KEY).toBe(fakeKey);
    const result = await executor.run({
      source: `${DECLARE}webService('after', { image: 'ghcr.io/acme/api:1' });`,
    });
    expect(result.ok).toBe(true);
  });
});
