/**
 * The runsc bundle's root filesystem: the node binary, the shared libraries `ldd` lists for it, the
 * runner bundle and its startup snapshot, nothing else. Built once per set of inputs under `$VIBE_CACHE/sandbox-rootfs-<hash>/`.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  linkSync,
  mkdirSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { SandboxSetupError } from './errors.js';
import { ensureRunner, runnerInputsHash } from './runner-bundle.js';
import { tempSibling } from './temp-name.js';

export const SANDBOX_UID = 65534;
/** Paths inside the sandbox. */
export const IN_SANDBOX = {
  node: '/bin/node',
  runner: '/runner/runner.cjs',
  snapshot: '/runner/runner.blob',
  input: '/in',
  scratch: '/tmp',
} as const;

/** The libraries the dynamic loader needs for a binary, as absolute host paths. */
export function sharedLibraries(binary: string): string[] {
  let out: string;
  try {
    out = execFileSync('ldd', [binary], { encoding: 'utf8' });
  } catch (error) {
    throw new SandboxSetupError(
      'VIBE_SANDBOX_LDD_FAILED',
      `could not list the shared libraries of ${binary} with ldd: ${String(error)}`,
    );
  }
  return out
    .split('\n')
    .map((line) => /(?:=>\s*)?(\/\S+)\s+\(0x/.exec(line)?.[1])
    .filter((p): p is string => p !== undefined);
}

/** Puts a file at `target` in the rootfs; symlinks are resolved because their targets are not copied. */
export function place(source: string, rootfs: string, target: string = source): void {
  const real = realpathSync(source);
  const destination = join(rootfs, target);
  mkdirSync(dirname(destination), { recursive: true });
  try {
    linkSync(real, destination);
  } catch {
    copyFileSync(real, destination);
  }
}

function inputsHash(nodePath: string, libraries: string[]): string {
  const hash = createHash('sha256').update(runnerInputsHash());
  for (const file of [nodePath, ...libraries]) {
    const s = statSync(file);
    hash.update(`${file}:${s.size}:${s.mtimeMs}\0`);
  }
  return hash.digest('hex').slice(0, 16);
}

/** Returns the rootfs directory for the current inputs, building it when missing. */
export async function ensureRootfs(cache: string, nodePath: string = process.execPath): Promise<string> {
  const libraries = sharedLibraries(nodePath);
  const dir = join(cache, `sandbox-rootfs-${inputsHash(nodePath, libraries)}`);
  if (existsSync(join(dir, IN_SANDBOX.snapshot))) return dir;
  const runner = await ensureRunner(cache, nodePath);
  const partial = tempSibling(dir);
  rmSync(partial, { recursive: true, force: true });
  place(nodePath, partial, IN_SANDBOX.node);
  for (const library of libraries) place(library, partial, library);
  place(runner.bundle, partial, IN_SANDBOX.runner);
  place(runner.snapshot, partial, IN_SANDBOX.snapshot);
  for (const mountPoint of [IN_SANDBOX.input, IN_SANDBOX.scratch, '/proc', '/dev'])
    mkdirSync(join(partial, mountPoint), { recursive: true });
  mkdirSync(join(partial, 'etc'), { recursive: true });
  writeFileSync(
    join(partial, 'etc', 'passwd'),
    `nobody:x:${SANDBOX_UID}:${SANDBOX_UID}:nobody:/tmp:/bin/node\n`,
  );
  writeFileSync(join(partial, 'etc', 'group'), `nogroup:x:${SANDBOX_UID}:\n`);
  chmodSync(partial, 0o755);
  try {
    renameSync(partial, dir);
  } catch (error) {
    rmSync(partial, { recursive: true, force: true });
    if (!existsSync(join(dir, IN_SANDBOX.snapshot))) throw error;
  }
  return dir;
}
