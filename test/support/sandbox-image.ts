/**
 * The pod executor's image on the local cluster: built from the local sandbox rootfs without a
 * registry and imported into the node's containerd, where pods find it with IfNotPresent.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cacheDir } from '../../operator/src/sandbox/cache-dir.js';
import { writeOciImage } from '../../operator/src/sandbox/oci-image.js';
import { ensureRootfs } from '../../operator/src/sandbox/rootfs.js';

/** Builds and imports the sandbox-runtime image; returns its reference. */
export async function importSandboxImage(): Promise<string> {
  const work = mkdtempSync(join(tmpdir(), 'vibe-image-'));
  try {
    const archive = join(work, 'sandbox-runtime.oci.tar');
    const image = writeOciImage(await ensureRootfs(cacheDir()), archive).reference;
    execFileSync('bash', ['test/cluster/images.sh', 'import', archive], { stdio: 'inherit' });
    return image;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
