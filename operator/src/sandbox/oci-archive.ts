/**
 * Writes a directory as a single-layer OCI image archive (an oci-layout tar) without a registry or a
 * container engine, for `ctr images import`. Reproducible: the same directory and config give the same
 * bytes, hence the same manifest digest (sorted names, times at the epoch, owners root, a fixed gzip level).
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { tempSibling } from './temp-name.js';

/** The `config` object of an OCI image config: what a runtime starts the container with. */
export interface OciRuntimeConfig {
  readonly User: string;
  readonly WorkingDir: string;
  readonly Entrypoint: readonly string[];
  readonly Env?: readonly string[];
  readonly Labels?: Readonly<Record<string, string>>;
}

export interface OciArchive {
  /** `repository:tag`, what containerd names the image after import. */
  readonly reference: string;
  /** The manifest's digest: containerd's and every registry's identity of the image. */
  readonly digest: string;
  /** The compressed layer's size in bytes: what a node pulls. */
  readonly layerBytes: number;
  /** The archive's size in bytes. */
  readonly archiveBytes: number;
}

const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');

function blob(dir: string, data: Buffer | string): { digest: string; size: number } {
  const hex = sha256(data);
  writeFileSync(join(dir, 'blobs', 'sha256', hex), data);
  return { digest: `sha256:${hex}`, size: Buffer.byteLength(data) };
}

/** A tar of `dir` whose bytes depend only on the names, modes and contents under it. */
function reproducibleTar(dir: string, out: string | '-'): Buffer {
  return execFileSync(
    'tar',
    ['-C', dir, '--sort=name', '--mtime=@0', '--owner=0', '--group=0', '--numeric-owner', '-cf', out, '.'],
    { maxBuffer: 1024 * 1024 * 1024 },
  );
}

/** Writes `rootfs` as `out`, an OCI archive of the image `reference` (`repository:tag`). */
export function writeOciArchive(
  rootfs: string,
  out: string,
  reference: string,
  config: OciRuntimeConfig,
): OciArchive {
  const tag = reference.slice(reference.lastIndexOf(':') + 1);
  const work = mkdtempSync(join(dirname(out), '.oci-'));
  try {
    const layout = join(work, 'layout');
    mkdirSync(join(layout, 'blobs', 'sha256'), { recursive: true });
    const layerTar = reproducibleTar(rootfs, '-');
    const layer = blob(layout, gzipSync(layerTar, { level: 6 }));
    const imageConfig = blob(
      layout,
      JSON.stringify({
        architecture: 'amd64',
        os: 'linux',
        config,
        rootfs: { type: 'layers', diff_ids: [`sha256:${sha256(layerTar)}`] },
      }),
    );
    const manifest = blob(
      layout,
      JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...imageConfig },
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
    reproducibleTar(layout, partial);
    renameSync(partial, out);
    return { reference, digest: manifest.digest, layerBytes: layer.size, archiveBytes: statSync(out).size };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
