import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findRunsc } from './find-runsc.js';
import { ociSpec } from './oci-spec.js';
import { interpret } from './result.js';
import type { BoundedRun } from './spawn-bounded.js';
import { transpile } from './transpile.js';
import { DEFAULT_SANDBOX_LIMITS } from './types.js';
import { RUNNER_READY_LINE } from './runner-input.js';
import { READY_LINE } from '../../../sandbox-runtime/runner/protocol.js';
import { temporaryDirectory } from '../../../test/support/temp-dir.js';

// The spec is untyped JSON; the assertions index into it freely.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;

const run = (over: Partial<BoundedRun>): BoundedRun => ({
  stdout: '',
  stderr: '',
  exitCode: 0,
  signal: null,
  timedOut: false,
  outputExceeded: false,
  ...over,
});

describe('interpret', () => {
  it('takes the last line as the result and ignores what the script printed before it', () => {
    const result = interpret(
      run({ stdout: 'noise\n{"ok":true,"manifests":[{"kind":"Service"}],"logs":[]}\n' }),
      DEFAULT_SANDBOX_LIMITS,
      5,
    );
    expect(result).toEqual({ ok: true, manifests: [{ kind: 'Service' }], logs: [], durationMs: 5 });
  });

  it('does not believe a malformed result', () => {
    const result = interpret(
      run({ stdout: '{"ok":true,"manifests":"all of them"}', exitCode: 0 }),
      DEFAULT_SANDBOX_LIMITS,
      1,
    );
    expect(result).toMatchObject({ ok: false, code: 'VIBE_SANDBOX_CRASHED' });
  });

  it('names the limit that stopped a run', () => {
    expect(interpret(run({ timedOut: true }), DEFAULT_SANDBOX_LIMITS, 1)).toMatchObject({
      kind: 'limit',
      code: 'VIBE_SANDBOX_WALL_TIMEOUT',
    });
    expect(interpret(run({ outputExceeded: true }), DEFAULT_SANDBOX_LIMITS, 1)).toMatchObject({
      kind: 'limit',
      code: 'VIBE_SANDBOX_OUTPUT_LIMIT',
    });
    expect(interpret(run({ exitCode: 137 }), DEFAULT_SANDBOX_LIMITS, 1)).toMatchObject({
      kind: 'limit',
      code: 'VIBE_SANDBOX_MEMORY_LIMIT',
    });
    expect(
      interpret(run({ exitCode: 134, stderr: 'FATAL ERROR: Reached heap limit' }), DEFAULT_SANDBOX_LIMITS, 1),
    ).toMatchObject({ code: 'VIBE_SANDBOX_MEMORY_LIMIT' });
  });

  it('reports a crash with the end of stderr', () => {
    const result = interpret(
      run({ exitCode: 1, stderr: 'a\nb\nSegmentation fault\n' }),
      DEFAULT_SANDBOX_LIMITS,
      1,
    );
    expect(result).toMatchObject({
      ok: false,
      code: 'VIBE_SANDBOX_CRASHED',
      message: expect.stringContaining('Segmentation fault'),
    });
  });
});

describe('transpile', () => {
  it('turns TypeScript into CommonJS', async () => {
    const out = await transpile(
      `import { worker } from '@vibe/sdk';\nconst n: number = 1;\nworker('w', { image: 'x:' + n });`,
    );
    expect(out.ok && out.code).toContain('require("@vibe/sdk")');
  });

  it('reports syntax errors with their position', async () => {
    expect(await transpile('const = 1;')).toEqual({
      ok: false,
      message: expect.stringMatching(/^script\.ts:1:7: /),
    });
  });
});

describe('findRunsc', () => {
  const dir = temporaryDirectory('vibe-runsc-');
  const fake = join(dir, 'runsc');
  writeFileSync(fake, '#!/bin/sh\n');
  chmodSync(fake, 0o755);

  it('prefers VIBE_RUNSC, then PATH, then $VIBE_CACHE/bin', () => {
    expect(findRunsc({ VIBE_RUNSC: fake, PATH: '' })).toBe(fake);
    expect(findRunsc({ PATH: dir })).toBe(fake);
    const cache = temporaryDirectory('vibe-cache-');
    expect(findRunsc({ PATH: '', VIBE_CACHE: cache })).toBeUndefined();
  });

  it('does not look further when VIBE_RUNSC names a missing file', () => {
    expect(findRunsc({ VIBE_RUNSC: join(dir, 'missing'), PATH: dir })).toBeUndefined();
  });
});

describe('ociSpec', () => {
  it('isolates the run: read-only root, no network, no capabilities, no operator environment', () => {
    const spec = ociSpec({ rootfs: '/r', limits: DEFAULT_SANDBOX_LIMITS }) as Json;
    expect(spec.root).toEqual({ path: '/r', readonly: true });
    expect(spec.process.user).toEqual({ uid: 65534, gid: 65534 });
    expect(spec.process.env).toEqual(['PATH=/bin', 'HOME=/tmp']);
    expect(Object.values(spec.process.capabilities).flat()).toEqual([]);
    expect(spec.process.noNewPrivileges).toBe(true);
    expect(spec.linux.namespaces.map((n: { type: string }) => n.type)).toContain('network');
    expect(spec.linux.resources.memory.limit).toBe(512 * 1024 * 1024);
    // The request arrives on stdin: no host directory is mounted into the sandbox.
    expect(spec.mounts.map((m: { type: string }) => m.type)).toEqual(['proc', 'tmpfs']);
    expect(spec.process.args.at(-1)).toBe('-');
    const pooled = ociSpec({ rootfs: '/r', limits: DEFAULT_SANDBOX_LIMITS, warmUp: true }) as Json;
    expect(pooled.process.args.slice(-2)).toEqual(['-', '--warm-up']);
  });
});

describe('the runner protocol', () => {
  it('names the same ready line on both sides', () => {
    expect(RUNNER_READY_LINE).toBe(READY_LINE);
  });
});
