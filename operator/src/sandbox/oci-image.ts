/**
 * Writes the sandbox rootfs as an OCI image archive (oci-layout, one gzip layer) without a registry
 * or a container engine, for `ctr images import` on the local cluster. The image matches the
 * Dockerfile in sandbox-runtime/image/.
 */
import { basename } from 'node:path';
import { writeOciArchive, type OciArchive } from './oci-archive.js';
import { IN_SANDBOX, SANDBOX_UID } from './rootfs.js';
import { RUNNER_NODE_FLAGS } from './runner-bundle.js';

export const IMAGE_REPOSITORY = 'vibe.dev/sandbox-runtime';

/** The image a rootfs becomes: `vibe.dev/sandbox-runtime:<the rootfs's input hash>`. */
export function localImageReference(rootfs: string): string {
  return `${IMAGE_REPOSITORY}:${basename(rootfs).replace(/^sandbox-rootfs-/, '')}`;
}

/** How the sandbox image starts: the runner from its snapshot; the executor appends script and input. */
const SANDBOX_CONFIG = {
  User: `${SANDBOX_UID}:${SANDBOX_UID}`,
  WorkingDir: IN_SANDBOX.scratch,
  Entrypoint: [IN_SANDBOX.node, ...RUNNER_NODE_FLAGS, '--snapshot-blob', IN_SANDBOX.snapshot],
};

/**
 * Writes `<rootfs>` as `out` (a tar in OCI image layout), by default tagged with its localImageReference.
 * A `version` becomes the image's version label, so another version is another image.
 */
export function writeOciImage(
  rootfs: string,
  out: string,
  reference: string = localImageReference(rootfs),
  version?: string,
): OciArchive {
  const labels = version === undefined ? {} : { Labels: { 'org.opencontainers.image.version': version } };
  return writeOciArchive(rootfs, out, reference, { ...SANDBOX_CONFIG, ...labels });
}
