/**
 * Bundles the sandbox runner (runner + SDK + cdk8s + cdk8s-plus + zod) into one file and a V8 startup
 * snapshot of it, cached under a hash of their inputs so a plan never pays for a rebuild. The snapshot
 * spares every run the loading of the SDK and cdk8s: most of a run's cost under gVisor.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { tempSibling } from './temp-name.js';

export const RUNTIME_DIR = fileURLToPath(new URL('../../../sandbox-runtime/', import.meta.url));
const RUNNER_ENTRY = join(RUNTIME_DIR, 'runner', 'main.ts');
const BUNDLED_PACKAGES = ['cdk8s', 'cdk8s-plus-33', 'constructs', 'zod'];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

function packageVersion(name: string): string {
  const require = createRequire(RUNNER_ENTRY);
  const path = require.resolve(`${name}/package.json`);
  return (JSON.parse(readFileSync(path, 'utf8')) as { version: string }).version;
}

/** A digest of everything that changes the bundle's bytes. */
export function runnerInputsHash(): string {
  const hash = createHash('sha256');
  for (const file of sourceFiles(join(RUNTIME_DIR, 'runner'))
    .concat(sourceFiles(join(RUNTIME_DIR, 'sdk')))
    .sort()) {
    hash.update(relative(RUNTIME_DIR, file)).update('\0').update(readFileSync(file)).update('\0');
  }
  for (const name of BUNDLED_PACKAGES) hash.update(`${name}@${packageVersion(name)}\0`);
  return hash.digest('hex').slice(0, 16);
}

/**
 * V8 refuses a snapshot loaded with other flags than it was built with, so the heap limit is fixed
 * here; the sandbox's memory limit (a cgroup under runsc) still bounds everything else.
 */
export const RUNNER_NODE_FLAGS = ['--max-old-space-size=256'] as const;

export interface RunnerFiles {
  readonly bundle: string;
  /** A startup snapshot of the bundle; only the node binary that built it can load it. */
  readonly snapshot: string;
}

async function ensureBundle(dir: string): Promise<string> {
  const file = join(dir, 'runner.cjs');
  if (existsSync(file) && statSync(file).size > 0) return file;
  mkdirSync(dir, { recursive: true });
  const partial = tempSibling(file);
  await build({
    entryPoints: [RUNNER_ENTRY],
    outfile: partial,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    minify: true,
    legalComments: 'none',
    logLevel: 'silent',
  });
  renameSync(partial, file);
  return file;
}

function ensureSnapshot(bundle: string, dir: string, nodePath: string): string {
  const node = statSync(nodePath);
  const key = createHash('sha256')
    .update(`${nodePath}:${node.size}:${node.mtimeMs}`)
    .digest('hex')
    .slice(0, 12);
  const file = join(dir, `runner-${key}.blob`);
  if (existsSync(file)) return file;
  const partial = tempSibling(file);
  execFileSync(nodePath, [...RUNNER_NODE_FLAGS, '--snapshot-blob', partial, '--build-snapshot', bundle], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  renameSync(partial, file);
  return file;
}

/** The runner bundle and its snapshot for the current sources and node binary, built when missing. */
export async function ensureRunner(cache: string, nodePath: string = process.execPath): Promise<RunnerFiles> {
  const dir = join(cache, `runner-${runnerInputsHash()}`);
  const bundle = await ensureBundle(dir);
  return { bundle, snapshot: ensureSnapshot(bundle, dir, nodePath) };
}
