/**
 * Bundles the sandbox runner (runner + SDK + cdk8s + cdk8s-plus + zod) into one file, cached under a
 * hash of its inputs so a plan never pays for a rebuild it does not need.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

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

/** Returns the path of `runner.cjs` for the current sources, building it when the cache has none. */
export async function ensureRunnerBundle(cache: string): Promise<string> {
  const dir = join(cache, `runner-${runnerInputsHash()}`);
  const file = join(dir, 'runner.cjs');
  if (existsSync(file) && statSync(file).size > 0) return file;
  mkdirSync(dir, { recursive: true });
  const partial = `${file}.${process.pid}.tmp`;
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
