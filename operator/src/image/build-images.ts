/**
 * `make images`: the operator and sandbox images as OCI archives, built without a container engine
 * from the host's node binary and this checkout, then imported into the local node's containerd.
 *
 *   npx tsx operator/src/image/build-images.ts [--version V] [--out DIR] [--no-import]
 *   npx tsx operator/src/image/build-images.ts --operator-rootfs DIR   (operator/image/Dockerfile's step)
 *
 * Prints one line per image: reference, manifest digest, compressed layer size.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { cacheDir } from '../sandbox/cache-dir.js';
import { writeOciImage } from '../sandbox/oci-image.js';
import { ensureRootfs } from '../sandbox/rootfs.js';
import { writeOciArchive, type OciArchive } from '../sandbox/oci-archive.js';
import {
  buildOperatorRootfs,
  IN_OPERATOR_IMAGE,
  OPERATOR_NODE_FLAGS,
  OPERATOR_UID,
} from './operator-rootfs.js';

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** Where `make images` puts the images, and the chart's image values point at. */
export const IMAGE_REPOSITORIES = {
  operator: 'localhost/vibe/operator',
  sandbox: 'localhost/vibe/sandbox',
} as const;

/** The project's version (package.json), the images' default tag and the chart's appVersion. */
export function projectVersion(): string {
  return (JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
}

/** Builds the operator image as `out`; its rootfs is built afresh in a directory beside it. */
export async function buildOperatorImage(out: string, version: string): Promise<OciArchive> {
  const work = mkdtempSync(`${out}.rootfs-`);
  try {
    await buildOperatorRootfs(work);
    return writeOciArchive(work, out, `${IMAGE_REPOSITORIES.operator}:${version}`, {
      User: `${OPERATOR_UID}:${OPERATOR_UID}`,
      WorkingDir: '/tmp',
      Entrypoint: [IN_OPERATOR_IMAGE.node, ...OPERATOR_NODE_FLAGS, IN_OPERATOR_IMAGE.bundle],
      Env: [`ESBUILD_BINARY_PATH=${IN_OPERATOR_IMAGE.esbuild}`, 'HOME=/tmp'],
      Labels: { 'org.opencontainers.image.version': version },
    });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/**
 * Builds the sandbox image as `out` from the cached sandbox rootfs: its V8 startup snapshot differs
 * from build to build, so the cache (keyed by the rootfs's inputs) is what keeps the digest stable.
 */
export async function buildSandboxImage(out: string, version: string): Promise<OciArchive> {
  return writeOciImage(
    await ensureRootfs(cacheDir()),
    out,
    `${IMAGE_REPOSITORIES.sandbox}:${version}`,
    version,
  );
}

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      version: { type: 'string', default: projectVersion() },
      out: { type: 'string', default: join(REPO_ROOT, 'dist', 'images') },
      'no-import': { type: 'boolean', default: false },
      'operator-rootfs': { type: 'string' },
    },
  });
  if (values['operator-rootfs']) {
    await buildOperatorRootfs(resolve(values['operator-rootfs']));
    return 0;
  }
  const out = resolve(values.out);
  mkdirSync(out, { recursive: true });
  const archives = {
    operator: join(out, `operator-${values.version}.oci.tar`),
    sandbox: join(out, `sandbox-${values.version}.oci.tar`),
  };
  const images: [string, OciArchive][] = [
    [archives.operator, await buildOperatorImage(archives.operator, values.version)],
    [archives.sandbox, await buildSandboxImage(archives.sandbox, values.version)],
  ];
  for (const [archive, image] of images) {
    if (!values['no-import']) {
      execFileSync('bash', [join(REPO_ROOT, 'test/cluster/images.sh'), 'import', archive], {
        stdio: 'inherit',
      });
    }
    const mib = (image.layerBytes / 2 ** 20).toFixed(1);
    process.stdout.write(`${image.reference} ${image.digest} ${mib} MiB compressed\n`);
  }
  return 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await main(process.argv.slice(2));
}
