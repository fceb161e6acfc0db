import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildOperatorImage, buildSandboxImage } from './build-images.js';

const work = mkdtempSync(join(tmpdir(), 'vibe-images-test-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The files of an OCI archive's only layer, and its image config. */
function inspect(archive: string): { files: string[]; config: Record<string, unknown> } {
  const dir = mkdtempSync(join(work, 'inspect-'));
  execFileSync('tar', ['-xf', archive, '-C', dir]);
  const blob = (digest: string) => readFileSync(join(dir, 'blobs', 'sha256', digest.slice('sha256:'.length)));
  const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as {
    manifests: { digest: string }[];
  };
  const manifest = JSON.parse(blob(index.manifests[0]!.digest).toString()) as {
    config: { digest: string };
    layers: { digest: string }[];
  };
  const files = execFileSync(
    'tar',
    ['-tzf', join(dir, 'blobs', 'sha256', manifest.layers[0]!.digest.slice(7))],
    {
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    },
  )
    .split('\n')
    .filter(Boolean);
  const config = (JSON.parse(blob(manifest.config.digest).toString()) as { config: Record<string, unknown> })
    .config;
  return { files, config };
}

describe('make images', () => {
  it('builds the operator image twice from scratch to the same digest', { timeout: 300_000 }, async () => {
    const first = await buildOperatorImage(join(work, 'operator-a.oci.tar'), '0.0.0-test');
    const second = await buildOperatorImage(join(work, 'operator-b.oci.tar'), '0.0.0-test');
    expect(first.reference).toBe('localhost/vibe/operator:0.0.0-test');
    expect(second.digest).toBe(first.digest);
    expect(
      readFileSync(join(work, 'operator-b.oci.tar')).equals(readFileSync(join(work, 'operator-a.oci.tar'))),
    ).toBe(true);
  });

  it('puts node, its libraries, the bundle and esbuild in the operator image, and no shell', async () => {
    const { files, config } = inspect(join(work, 'operator-a.oci.tar'));
    expect(files).toEqual(
      expect.arrayContaining(['./bin/node', './app/vibe.mjs', './app/esbuild', './etc/passwd']),
    );
    expect(files.filter((f) => /(^|\/)(sh|bash|dash|busybox|apt|dpkg|npm|gcc|cc)$/.test(f))).toEqual([]);
    expect(files.filter((f) => f.startsWith('./usr/bin/') || f.startsWith('./sbin/'))).toEqual([]);
    expect(config).toMatchObject({
      User: '65532:65532',
      Entrypoint: ['/bin/node', '--max-semi-space-size=2', '--optimize-for-size', '/app/vibe.mjs'],
      Env: expect.arrayContaining(['ESBUILD_BINARY_PATH=/app/esbuild']),
    });
  });

  it('writes the sandbox image twice to the same digest', { timeout: 300_000 }, async () => {
    const first = await buildSandboxImage(join(work, 'sandbox-a.oci.tar'), '0.0.0-test');
    const second = await buildSandboxImage(join(work, 'sandbox-b.oci.tar'), '0.0.0-test');
    expect(first.reference).toBe('localhost/vibe/sandbox:0.0.0-test');
    expect(second.digest).toBe(first.digest);
    // Another version is another image (a rolling upgrade needs one), not only another name.
    const other = await buildSandboxImage(join(work, 'sandbox-c.oci.tar'), '0.0.1-test');
    expect(other.digest).not.toBe(first.digest);
    const { files, config } = inspect(join(work, 'sandbox-a.oci.tar'));
    expect(files).toEqual(
      expect.arrayContaining(['./bin/node', './runner/runner.cjs', './runner/runner.blob']),
    );
    expect(config).toMatchObject({ User: '65534:65534' });
  });
});
