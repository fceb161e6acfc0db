/**
 * Writes the sandbox rootfs as an OCI image archive (oci-layout, one gzip layer) without a registry
 * or a container engine, for `ctr images import` on the local cluster. The image matches the
 * Dockerfile in sandbox-runtime/image/.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { IN_SANDBOX, SANDBOX_UID } from './rootfs.js';
import { tempSibling } from './temp-name.js';
import { RUNNER_NODE_FLAGS } from './runner-bundle.js';

export const IMAGE_REPOSITORY = 'vibe.dev/sandbox-runtime';

const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');

function blob(dir: string, data: Buffer | string): { digest: string; size: number } {
  const hex = sha256(data);
  writeFileSync(join(dir, 'blobs', 'sha256', hex), data);
  return { digest: `sha256:${hex}`, size: Buffer.byteLength(data) };
}

/** The image a rootfs becomes: `vibe.dev/sandbox-runtime:<the rootfs's input hash>`. */
export function localImageReference(rootfs: string): string {
  return `${IMAGE_REPOSITORY}:${basename(rootfs).replace(/^sandbox-rootfs-/, '')}`;
}

/** Writes `<rootfs>` as `out` (a tar in OCI image layout) tagged with its localImageReference. */
export function writeOciImage(rootfs: string, out: string): string {
  const reference = localImageReference(rootfs);
  const tag = reference.slice(IMAGE_REPOSITORY.length + 1);
  const work = mkdtempSync(join(dirname(out), '.oci-'));
  try {
    mkdirSync(join(work, 'layout', 'blobs', 'sha256'), { recursive: true });
    const layout = join(work, 'layout');
    // A reproducible layer: sorted names, fixed times and owners.
    const layerTar = execFileSync(
      'tar',
      [
        '-C',
        rootfs,
        '--sort=name',
        '--mtime=@0',
        '--owner=0',
        '--group=0',
        '--numeric-owner',
        '-cf',
        '-',
        '.',
      ],
      { maxBuffer: 1024 * 1024 * 1024 },
    );
    const layer = blob(layout, gzipSync(layerTar, { level: 6 }));
    const config = blob(
      layout,
      JSON.stringify({
        architecture: 'amd64',
        os: 'linux',
        config: {
          User: `${SANDBOX_UID}:${SANDBOX_UID}`,
          WorkingDir: IN_SANDBOX.scratch,
          Entrypoint: [IN_SANDBOX.node, ...RUNNER_NODE_FLAGS, '--snapshot-blob', IN_SANDBOX.snapshot],
        },
        rootfs: { type: 'layers', diff_ids: [`sha256:${sha256(layerTar)}`] },
      }),
    );
    const manifest = blob(
      layout,
      JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...config },
        layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', ...layer }],
      }),
    );
    writeFileSync(join(layout, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
    writeFileSync(
      join(layout, 'index.json'),
      JSON.stringify({
        schemaVersion: 2,
        manifests: [
          {
            mediaType: 'application/vnd.oci.image.manifest.v1+json',
            ...manifest,
            annotations: { 'org.opencontainers.image.ref.name': tag, 'io.containerd.image.name': reference },
          },
        ],
      }),
    );
    const partial = tempSibling(out);
    execFileSync('tar', [
      '-C',
      layout,
      '--sort=name',
      '--mtime=@0',
      '--owner=0',
      '--group=0',
      '-cf',
      partial,
      '.',
    ]);
    renameSync(partial, out);
    return reference;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
