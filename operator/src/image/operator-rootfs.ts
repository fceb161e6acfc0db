/**
 * The operator image's root filesystem: the node binary and the shared libraries `ldd` lists for it,
 * the esbuild bundle of the `vibe` command (an entry and the chunks it imports), the TypeScript lib
 * files it type-checks scripts against and the esbuild binary it transpiles them with before they
 * reach a sandbox. No shell, no package manager, no compiler for native code.
 */
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { TYPECHECK_LIB } from '../agent/typecheck-gate.js';
import { place, sharedLibraries } from '../sandbox/rootfs.js';

/** The unprivileged user the operator runs as; the chart's securityContext names the same one. */
export const OPERATOR_UID = 65532;

/** Paths inside the operator image. */
export const IN_OPERATOR_IMAGE = {
  node: '/bin/node',
  bundle: '/app/vibe.mjs',
  esbuild: '/app/esbuild',
} as const;

/**
 * Node flags the operator runs with (ADR 0105): a 2 MiB semi-space (the young generation's half)
 * instead of node 20's 16 MiB, since the operator's garbage is short-lived (watch events, request
 * bodies) and the young generation's size is RSS it holds on to; and V8's optimize-for-size, which
 * keeps the old generation near what is live instead of letting a burst's garbage stay until the
 * next collection, which at rest never comes. The image's entrypoint and make bench-reconciler use
 * them.
 */
export const OPERATOR_NODE_FLAGS = ['--max-semi-space-size=2', '--optimize-for-size'] as const;

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/**
 * The bundle is ESM (the sources read import.meta.url); the CommonJS packages inside it call require()
 * for node's built-ins and read __filename, which ESM has no binding for. TypeScript finds its lib
 * files beside __filename, so they sit beside the bundle.
 */
const COMMONJS_BANNER = [
  "import { createRequire as vibeCreateRequire } from 'node:module';",
  "import { fileURLToPath as vibeFileURLToPath } from 'node:url';",
  'const require = vibeCreateRequire(import.meta.url);',
  'const __filename = vibeFileURLToPath(import.meta.url);',
  "const __dirname = vibeFileURLToPath(new URL('.', import.meta.url));",
].join('\n');

/**
 * Bundles bin/vibe.js's command, with every package it imports, into `outdir`: the entry `vibe.mjs`
 * and chunks. Inlined packages lose what the operator never calls (client-node's generated models and
 * APIs), and what is imported only on demand (TypeScript, the CLI's commands) stays in chunks that
 * start-up does not read (ADR 0105). Returns the files written.
 */
export async function bundleOperator(outdir: string): Promise<string[]> {
  const result = await build({
    stdin: {
      contents:
        "import { main } from './operator/src/vibe.ts';\n" +
        'process.exitCode = await main(process.argv.slice(2));\n',
      resolveDir: REPO_ROOT,
      loader: 'ts',
      sourcefile: 'vibe.ts',
    },
    outdir,
    entryNames: 'vibe',
    // No package.json beside the bundle says "module"; the extension does.
    outExtension: { '.js': '.mjs' },
    splitting: true,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    banner: { js: COMMONJS_BANNER },
    // Whitespace and syntax only: stack traces keep the sources' names.
    minifyWhitespace: true,
    minifySyntax: true,
    legalComments: 'none',
    logLevel: 'error',
    metafile: true,
  });
  return Object.keys(result.metafile.outputs).map((file) => resolve(file));
}

/** The esbuild binary matching the esbuild package the operator's transpile step calls. */
function esbuildBinary(): string {
  const require = createRequire(join(REPO_ROOT, 'package.json'));
  return require.resolve(`@esbuild/linux-${process.arch}/bin/esbuild`);
}

/** `lib` and every lib file it references (`/// <reference lib="..." />`), as paths in `libDir`. */
function libClosure(libDir: string, lib: string, found = new Set<string>()): Set<string> {
  if (found.has(lib)) return found;
  found.add(lib);
  for (const [, name] of readFileSync(join(libDir, lib), 'utf8').matchAll(/<reference lib="([^"]+)"/g)) {
    libClosure(libDir, `lib.${name}.d.ts`, found);
  }
  return found;
}

/** Fills the empty directory `dir` with the operator image's root filesystem. */
export async function buildOperatorRootfs(dir: string, nodePath: string = process.execPath): Promise<void> {
  place(nodePath, dir, IN_OPERATOR_IMAGE.node);
  for (const library of sharedLibraries(nodePath)) place(library, dir, library);
  place(esbuildBinary(), dir, IN_OPERATOR_IMAGE.esbuild);
  const bundleFiles = await bundleOperator(join(dir, dirname(IN_OPERATOR_IMAGE.bundle)));
  const libDir = dirname(createRequire(join(REPO_ROOT, 'package.json')).resolve('typescript/lib/lib.d.ts'));
  for (const lib of libClosure(libDir, TYPECHECK_LIB)) {
    place(join(libDir, lib), dir, join(dirname(IN_OPERATOR_IMAGE.bundle), lib));
  }
  for (const file of bundleFiles) chmodSync(file, 0o644);
  mkdirSync(join(dir, 'etc'), { recursive: true });
  writeFileSync(
    join(dir, 'etc', 'passwd'),
    `nonroot:x:${OPERATOR_UID}:${OPERATOR_UID}:nonroot:/tmp:/bin/node\n`,
  );
  writeFileSync(join(dir, 'etc', 'group'), `nonroot:x:${OPERATOR_UID}:\n`);
  // The chart mounts an emptyDir here; without it the read-only root leaves node no scratch space.
  mkdirSync(join(dir, 'tmp'));
  chmodSync(join(dir, 'tmp'), 0o1777);
  chmodSync(dir, 0o755);
}
